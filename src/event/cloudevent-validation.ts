/**
 * The checks the three event shapes share: the version, the required string
 * attributes, the optional timestamp, and the build-then-validate step
 * through the `cloudevents` package. The package is lenient (it accepts any
 * specversion, fills a missing id and time, and replaces an unparseable time
 * with the current one), so the raw values are checked here first.
 */
import { CloudEvent } from 'cloudevents';
import { own, type JsonObject } from './json';
import { describeError, describeKind, fail, ok, quote, type Step } from './rejection';

/** Longest accepted value for the event attributes this parser reads (id, type, source, time, header values). */
export const MAX_ATTRIBUTE_LENGTH = 1024;

/** An event recognised and validated, before its type and data are looked at. */
export interface RecognisedEvent {
  readonly event: CloudEvent<unknown>;
  /** The compartment named by the envelope rather than by `data`, when there is one. */
  readonly envelopeCompartmentId?: string;
}

/** CloudEvents attribute names: lower-case ASCII letters and digits only. */
const ATTRIBUTE_NAME = /^[a-z0-9]+$/;

// The package's JSON parser assigns the global `JSON` on every call, to
// json-bigint's parser when CE_USE_BIG_INT=true (function config arrives as
// environment variables). It is put back after each call into the package.
const nativeJson = JSON;

/** True when `name` is a valid CloudEvents attribute name. */
export function isAttributeName(name: string): boolean {
  return ATTRIBUTE_NAME.test(name);
}

/** Accepts `value` only when it is exactly the `expected` version; `field` names where it came from. */
export function checkVersion(value: unknown, field: string, expected: string): Step<string> {
  if (value !== expected) return fail(`${field} ${quote(value)} is not supported; expected "${expected}"`);
  return ok(expected);
}

/** Where an event shape keeps the attributes every event carries. */
export interface EventAttributeFields {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly time: string;
}

/** The attributes every event carries, read and checked; `time` is optional. */
export interface EventAttributes {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly time: string | undefined;
}

/**
 * Reads `id`, `type` and `source` (required, non-empty strings) and `time`
 * (optional timestamp) from the fields that hold them, naming the field in
 * any reason; a rejection after the id carries it.
 */
export function readEventAttributes(source: JsonObject, fields: EventAttributeFields): Step<EventAttributes> {
  const id = readRequiredString(source, fields.id);
  if (!id.ok) return id;
  const type = readRequiredString(source, fields.type, id.value);
  if (!type.ok) return type;
  const eventSource = readRequiredString(source, fields.source, id.value);
  if (!eventSource.ok) return eventSource;
  const time = checkOptionalTimestamp(own(source, fields.time), fields.time, id.value);
  if (!time.ok) return time;
  return ok({ id: id.value, type: type.value, source: eventSource.value, time: time.value });
}

function readRequiredString(source: JsonObject, field: string, eventId?: string): Step<string> {
  const value = own(source, field);
  if (value === undefined) return fail(`${field} is missing`, eventId);
  if (typeof value !== 'string') return fail(`${field} is ${describeKind(value)}, not a string`, eventId);
  if (value.length === 0) return fail(`${field} is empty`, eventId);
  if (value.length > MAX_ATTRIBUTE_LENGTH) return fail(`${field} is longer than ${MAX_ATTRIBUTE_LENGTH} characters`, eventId);
  return ok(value);
}

/** Accepts an absent time or a parseable timestamp of at most {@link MAX_ATTRIBUTE_LENGTH} characters. */
export function checkOptionalTimestamp(value: unknown, field: string, eventId?: string): Step<string | undefined> {
  if (value === undefined) return ok(undefined);
  if (typeof value !== 'string' || value.length > MAX_ATTRIBUTE_LENGTH || Number.isNaN(Date.parse(value))) {
    return fail(`${field} ${quote(value)} is not a timestamp`, eventId);
  }
  return ok(value);
}

/**
 * Builds the event with the package, then validates it. `HTTP.toEvent`
 * constructs without validating, so `validate()` is called explicitly.
 */
export function toValidatedEvent(build: () => unknown, eventId: string | undefined): Step<RecognisedEvent> {
  let event: unknown;
  try {
    event = build();
  } catch (error) {
    return fail(`not a valid CloudEvent: ${describeError(error)}`, eventId);
  } finally {
    if (globalThis.JSON !== nativeJson) globalThis.JSON = nativeJson;
  }
  if (!(event instanceof CloudEvent)) return fail('not a single CloudEvent', eventId);
  try {
    event.validate();
  } catch (error) {
    return fail(`not a valid CloudEvent: ${describeError(error)}`, eventId);
  }
  return ok({ event });
}
