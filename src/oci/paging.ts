/**
 * Follows `opc-next-page` through every page of an OCI list operation, each
 * page fetched under the shared retry policy.
 */
import { callWithRetry } from './retry';
import { type CallScope } from '../call-scope';

/** One page as the SDK's list responses shape it. */
export interface Page<T> {
  readonly items: T[];
  readonly opcNextPage?: string | undefined;
}

/** Every item of every page; `fetchPage` receives the page token (undefined for the first page). */
export async function allPages<T>(
  scope: CallScope,
  operation: string,
  resourceId: string,
  fetchPage: (page: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let page: string | undefined;
  do {
    const token = page;
    const response = await callWithRetry(scope, operation, resourceId, () => fetchPage(token));
    items.push(...response.items);
    page = response.opcNextPage || undefined;
  } while (page !== undefined);
  return items;
}

/** The `page` request field for a token, or nothing for the first page. */
export function pageParam(token: string | undefined): { page?: string } {
  return token === undefined ? {} : { page: token };
}
