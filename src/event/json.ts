/**
 * JSON as the parser reads it: parsed once, bounded in depth, deep-frozen,
 * and read through own properties only.
 */
import { describeError, fail, ok, type Step } from './rejection';

/** Deepest accepted JSON nesting; real events nest four levels at most. */
export const MAX_JSON_DEPTH = 64;

/** A parsed JSON object. */
export type JsonObject = Readonly<Record<string, unknown>>;

const JSON_WHITESPACE_ONLY = /^[ \t\n\r]*$/;

/** True when `text` holds nothing but JSON white space (an empty body). */
export function isBlankJson(text: string): boolean {
  return JSON_WHITESPACE_ONLY.test(text);
}

/**
 * `JSON.parse`, followed by one walk that rejects deep nesting and freezes
 * every object and array, so that the event data handed on is immutable.
 */
export function parseJson(text: string): Step<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`body is not JSON: ${describeError(error)}`);
  }
  const pending: Array<{ readonly node: unknown; readonly depth: number }> = [{ node: value, depth: 1 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.node !== 'object' || item.node === null) continue;
    if (item.depth > MAX_JSON_DEPTH) return fail(`body nests deeper than ${MAX_JSON_DEPTH} levels`);
    Object.freeze(item.node);
    for (const child of Object.values(item.node)) pending.push({ node: child, depth: item.depth + 1 });
  }
  return ok(value);
}

/** Own properties only, so that keys such as `constructor` never resolve to Object.prototype's. */
export function own(source: JsonObject, key: string): unknown {
  return Object.hasOwn(source, key) ? source[key] : undefined;
}

/** True for a JSON object: not null, not an array, not binary data. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
