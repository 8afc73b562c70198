/** Reading an incoming request: its headers and its body. */
import type { IncomingMessage } from 'node:http';
import { invalidParameter } from './api-error';

/** Largest request body accepted; a larger one is answered 413. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Methods whose requests carry a body, and so a signed body hash. */
export const BODY_METHODS: readonly string[] = ['PUT', 'POST', 'PATCH'];

/** A header's value; repeated headers are joined as HTTP allows. */
export function headerValue(headers: IncomingMessage['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The whole request body, or undefined when it exceeds {@link BODY_LIMIT_BYTES}. */
export async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > BODY_LIMIT_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** True for a JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON object sent as a request body; an empty body is an empty object (the SDK omits `{}`). */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidParameter('The request body is not valid JSON.');
  }
  if (!isPlainObject(parsed)) throw invalidParameter('The request body must be a JSON object.');
  return parsed;
}
