/**
 * A rejected input and the words of its reason. Every step of the parser
 * returns a {@link Step}: a value to go on with, or the rejection to hand
 * back. Reasons quote untrusted input only through {@link quote}, escaped and
 * cut short, so that a hostile body cannot flood or forge a log line.
 */
import { ocidType } from '../ocid';

/** Most characters of untrusted input quoted back in a reason. */
export const MAX_ECHO_LENGTH = 100;

/** Input that is malformed, oversized, hostile or of an unknown shape. */
export interface RejectedInput {
  readonly kind: 'rejected';
  readonly eventId?: string;
  readonly reason: string;
}

/** The outcome of one parsing step: a value to go on with, or a rejection. */
export type Step<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly result: RejectedInput };

/** A step that succeeded with `value`. */
export function ok<T>(value: T): Step<T> {
  return { ok: true, value };
}

/** A step that failed for `reason`, with the event id when one is known. */
export function fail(reason: string, eventId?: string): { readonly ok: false; readonly result: RejectedInput } {
  return { ok: false, result: rejected(reason, eventId) };
}

/** A frozen rejection. */
export function rejected(reason: string, eventId?: string): RejectedInput {
  return Object.freeze(eventId === undefined ? { kind: 'rejected' as const, reason } : { kind: 'rejected' as const, eventId, reason });
}

/** Names the kind of a JSON value for a reason: `null`, `an array`, `a number`… */
export function describeKind(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return 'binary data';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Quotes untrusted input for a reason: JSON-escaped, cut to {@link MAX_ECHO_LENGTH} characters. */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= MAX_ECHO_LENGTH) return JSON.stringify(value);
    let cut = value.slice(0, MAX_ECHO_LENGTH);
    // Do not split a surrogate pair at the cut.
    const last = cut.charCodeAt(cut.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
    return `${JSON.stringify(cut)}… (${value.length} characters)`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return describeKind(value);
}

/** The message of a caught error on one line, cut to 300 characters; never throws, even on a hostile error object. */
export function describeError(error: unknown): string {
  let message: string;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    message = 'unknown error';
  }
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/** Says why `value` is not an OCID of the `expected` kind (`an instance`, `a compartment or tenancy`). */
export function describeOcidMismatch(field: string, value: unknown, expected: string): string {
  if (typeof value !== 'string') return `${field} is ${describeKind(value)}, not a string`;
  const actualType = ocidType(value);
  if (actualType !== undefined) return `${field} is an OCID of type ${quote(actualType)}, not ${expected} OCID`;
  return `${field} is not a well-formed OCID: ${quote(value)}`;
}
