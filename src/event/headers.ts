/**
 * Invocation headers as the parser reads them: names lower-cased, the first
 * value of each, and API Gateway's `Fn-Http-H-Ce-*` names mapped to `ce-*`.
 */

/**
 * Invocation headers. The FDK gives canonicalised names (`Content-Type`,
 * `Ce-Id`, `Fn-Http-H-Ce-Id`) with arrays of values; any name case and plain
 * string values are accepted too.
 */
export type InvocationHeaders = Readonly<Record<string, readonly string[] | string | undefined>>;

/** Headers by lower-case name, each with every value that arrived under that name. */
export type NormalisedHeaders = ReadonlyMap<string, readonly string[]>;

/** The prefix of a binary-mode CloudEvents attribute header. */
export const CE_HEADER_PREFIX = 'ce-';

const API_GATEWAY_HEADER_PREFIX = 'fn-http-h-';

/**
 * Lower-cases header names, takes the first value of each array (the FDK's
 * form) and maps API Gateway's `fn-http-h-ce-*` names to `ce-*`. A name may
 * so collect several values; binary-mode parsing rejects a disagreement.
 */
export function normaliseHeaders(headers: unknown): NormalisedHeaders {
  const values = new Map<string, string[]>();
  if (typeof headers !== 'object' || headers === null) return values;
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const value: unknown = Array.isArray(rawValue) ? rawValue[0] : rawValue;
    if (typeof value !== 'string') continue;
    let name = rawName.toLowerCase();
    if (name.startsWith(API_GATEWAY_HEADER_PREFIX + CE_HEADER_PREFIX)) name = name.slice(API_GATEWAY_HEADER_PREFIX.length);
    const existing = values.get(name);
    if (existing === undefined) values.set(name, [value]);
    else existing.push(value);
  }
  return values;
}

/** True when the headers carry a binary-mode CloudEvent: the event is in the headers, the body is only its data. */
export function isBinaryMode(headers: NormalisedHeaders): boolean {
  return headers.has(`${CE_HEADER_PREFIX}specversion`);
}
