/** The order and the pages of List answers, shared by every service. */
import { invalidParameter } from './api-error';
import type { QueryReader } from './query';

/** The `sortOrder` values every List operation accepts. */
export const SORT_ORDERS: readonly string[] = ['ASC', 'DESC'];

/** One page of a List answer: the items, and the `opc-next-page` token when more follow. */
export interface Page<T> {
  readonly body: T[];
  readonly nextPage?: string;
}

/** Stable order for List operations that honour `sortBy`/`sortOrder`. */
export function sortItems<T extends Record<string, unknown>>(items: T[], field: string | undefined, order: string | undefined): T[] {
  if (field === undefined) return order === 'DESC' ? [...items].reverse() : items;
  const direction = order === 'DESC' ? -1 : 1;
  return [...items].sort((a, b) => direction * String(a[field] ?? '').localeCompare(String(b[field] ?? '')));
}

/**
 * The page of `items` the `limit` and `page` query parameters ask for, at most
 * `pageSize` long. A page token names the operation that issued it, so a
 * token carried over from another List operation is rejected.
 */
export function pageOf<T>(items: readonly T[], operation: string, query: QueryReader, pageSize: number): Page<T> {
  const limit = query.limit();
  const token = query.optional('page');
  const size = Math.min(pageSize, limit ?? pageSize);
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^([A-Za-z]+):([0-9]+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (decoded === null || decoded[1] !== operation || Number(decoded[2]) > items.length)
      throw invalidParameter(`Invalid page token: ${token}`);
    offset = Number(decoded[2]);
  }
  const end = offset + size;
  return {
    body: items.slice(offset, end),
    ...(end < items.length ? { nextPage: Buffer.from(`${operation}:${end}`).toString('base64url') } : {}),
  };
}
