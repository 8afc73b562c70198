/**
 * The function's input boundary. Turns the raw invocation (body bytes and
 * headers) into one immutable value: a launch event to act on, an event of
 * another type to ignore, a reconcile request, or a rejection with a reason.
 *
 * Three event shapes are accepted:
 * - the OCI Events envelope (CloudEvents 0.1 style: `eventType`,
 *   `cloudEventsVersion`, `eventID`/`eventId`), mapped here into a
 *   CloudEvents 1.0 `CloudEvent`, because the `cloudevents` package does not
 *   know spec 0.1;
 * - CloudEvents 1.0 in structured mode (the whole event is the JSON body);
 * - CloudEvents 1.0 in binary mode (attributes in `ce-*` headers, or
 *   `Fn-Http-H-Ce-*` through API Gateway, and the event data in the body).
 *
 * Nothing here throws: the input is untrusted, and a throw would become an
 * opaque 502 from the FDK instead of a logged, explained rejection.
 */
import { TextDecoder } from 'node:util';
import { CloudEvent, HTTP } from 'cloudevents';
import { LAUNCH_EVENT_TYPE } from './event/event-types';
import { isOcid, ocidType } from './ocid';

export { LAUNCH_EVENT_TYPE };

/** Default limit on the body size, in bytes (256 KiB); OCI event messages are a few KiB. */
export const DEFAULT_MAX_BODY_BYTES = 262144;

/** Longest accepted value for the event attributes this parser reads (id, type, source, time, header values). */
export const MAX_ATTRIBUTE_LENGTH = 1024;

/** Deepest accepted JSON nesting; real events nest four levels at most. */
export const MAX_JSON_DEPTH = 64;

/** Most compartments one reconcile request may name. */
export const MAX_RECONCILE_COMPARTMENTS = 100;

/** Longest accepted reconcile `resume` token. */
export const MAX_RESUME_LENGTH = 4096;

/** Most characters of untrusted input quoted back in a reason. */
export const MAX_ECHO_LENGTH = 100;

/**
 * Invocation headers. The FDK gives canonicalised names (`Content-Type`,
 * `Ce-Id`, `Fn-Http-H-Ce-Id`) with arrays of values; any name case and plain
 * string values are accepted too.
 */
export type InvocationHeaders = Readonly<Record<string, readonly string[] | string | undefined>>;

/** The `data` of an accepted event: a deep-frozen JSON object. */
export type EventData = Readonly<Record<string, unknown>>;

/** A `launchinstance.end` event naming a well-formed instance OCID. */
export interface LaunchEvent {
  readonly kind: 'launch';
  readonly event: CloudEvent<EventData>;
  readonly eventId: string;
  readonly eventType: string;
  readonly instanceId: string;
  readonly compartmentId?: string;
}

/** A well-formed event of a type this function does not act on. */
export interface IgnoredInput {
  readonly kind: 'ignored';
  readonly eventId?: string;
  readonly eventType: string;
  readonly reason: string;
}

/** Input that is malformed, oversized, hostile or of an unknown shape. */
export interface RejectedInput {
  readonly kind: 'rejected';
  readonly eventId?: string;
  readonly reason: string;
}

/** A request to reconcile the tags of every node in the named compartments. */
export interface ReconcileRequest {
  readonly kind: 'reconcile';
  readonly compartmentIds: readonly string[];
  readonly apply: boolean;
  readonly prune: boolean;
  readonly resume?: string;
}

/** Everything `parseInvocation` can return. */
export type ParsedInvocation = LaunchEvent | IgnoredInput | RejectedInput | ReconcileRequest;

/** Options for `parseInvocation`. */
export interface ParseInvocationOptions {
  /** Largest accepted body in bytes; a value that is not a non-negative safe integer means the default. */
  readonly maxBodyBytes?: number;
}

type JsonObject = Readonly<Record<string, unknown>>;
type Step<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly result: RejectedInput };

/** CloudEvents attribute names: lower-case ASCII letters and digits only. */
const ATTRIBUTE_NAME = /^[a-z0-9]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const JSON_WHITESPACE_ONLY = /^[ \t\n\r]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const API_GATEWAY_HEADER_PREFIX = 'fn-http-h-';
const CE_HEADER_PREFIX = 'ce-';
const RECONCILE_KEYS: ReadonlySet<string> = new Set(['action', 'compartmentIds', 'apply', 'prune', 'resume']);

// Fatal, so that a malformed byte sequence is rejected rather than turned into
// U+FFFD; the BOM is kept by the decoder and stripped explicitly below so that
// string and byte bodies are treated alike.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// The package's JSON parser assigns the global `JSON` on every call, to
// json-bigint's parser when CE_USE_BIG_INT=true (function config arrives as
// environment variables). It is put back after each call into the package.
const nativeJson = JSON;

/**
 * Parses one function invocation into a frozen {@link ParsedInvocation}.
 *
 * Order of checks: body size, UTF-8 decoding, JSON parsing (whatever the
 * Content-Type says, because the headers OCI Events sends are unconfirmed),
 * then the shape: a reconcile request (`action` key), a binary-mode
 * CloudEvent (`ce-specversion` header), a structured CloudEvent
 * (`specversion` key), the OCI envelope (`eventType` and
 * `cloudEventsVersion`). An event of another type than
 * {@link LAUNCH_EVENT_TYPE} is ignored; a launch event must carry
 * `data.resourceId` holding an instance OCID.
 *
 * @param body - the raw request body; bytes are decoded as UTF-8 as a whole.
 * @param headers - the invocation headers, any name case, arrays or strings.
 * @param options - `maxBodyBytes` overrides {@link DEFAULT_MAX_BODY_BYTES}.
 * @returns a frozen result; never throws, whatever the input.
 */
export function parseInvocation(
  body: Buffer | Uint8Array | string,
  headers: InvocationHeaders,
  options?: ParseInvocationOptions,
): ParsedInvocation {
  try {
    return parseOrReject(body, headers, options);
  } catch (error) {
    // parseOrReject turns every foreseen failure into a result without
    // throwing. This is the backstop for the unforeseen, such as a header map
    // whose getters throw.
    return rejected(`input could not be parsed: ${describeError(error)}`);
  }
}

function parseOrReject(body: unknown, headers: unknown, options: ParseInvocationOptions | undefined): ParsedInvocation {
  const text = decodeBody(body, resolveBodyLimit(options));
  if (!text.ok) return text.result;

  const headerValues = normaliseHeaders(headers);
  // In binary mode the event lives in the headers and the body is only its data.
  const binaryMode = headerValues.has(`${CE_HEADER_PREFIX}specversion`);

  if (JSON_WHITESPACE_ONLY.test(text.value)) {
    if (!binaryMode) return rejected('body is empty');
    return classifyEvent(fromBinaryMode(headerValues, undefined), 'data is missing: the binary-mode CloudEvent has an empty body');
  }

  const json = parseJson(text.value);
  if (!json.ok) return json.result;
  if (!isJsonObject(json.value)) return rejected(`body is ${describeKind(json.value)}, not a JSON object`);
  const message = json.value;

  if (Object.hasOwn(message, 'action')) return parseReconcileRequest(message);
  if (binaryMode) return classifyEvent(fromBinaryMode(headerValues, message), 'data is missing');
  if (Object.hasOwn(message, 'specversion')) return classifyEvent(fromStructuredMode(message), 'data is missing');
  if (Object.hasOwn(message, 'eventType') && Object.hasOwn(message, 'cloudEventsVersion')) {
    return classifyEvent(fromOciEnvelope(message), 'data is missing');
  }
  return rejected(
    'not an OCI event or CloudEvent: expected "specversion" (CloudEvents 1.0), "ce-specversion" header, or "eventType" and "cloudEventsVersion" (OCI Events)',
  );
}

function resolveBodyLimit(options: ParseInvocationOptions | undefined): number {
  const limit: unknown = typeof options === 'object' && options !== null ? options.maxBodyBytes : undefined;
  return typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 0 ? limit : DEFAULT_MAX_BODY_BYTES;
}

function decodeBody(body: unknown, limit: number): Step<string> {
  let text: string;
  if (typeof body === 'string') {
    const size = Buffer.byteLength(body, 'utf8');
    if (size > limit) return fail(`body is ${size} bytes, over the ${limit}-byte limit`);
    // A JS string can hold halves of surrogate pairs, which have no UTF-8 form.
    if (LONE_SURROGATE.test(body)) return fail('body is not valid UTF-8: it contains a lone surrogate');
    text = body;
  } else if (body instanceof Uint8Array) {
    if (body.byteLength > limit) return fail(`body is ${body.byteLength} bytes, over the ${limit}-byte limit`);
    try {
      text = utf8Decoder.decode(body);
    } catch {
      return fail('body is not valid UTF-8');
    }
  } else {
    return fail(`body is ${describeKind(body)}, expected bytes or a string`);
  }
  return ok(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

/**
 * Lower-cases header names, takes the first value of each array (the FDK's
 * form) and maps API Gateway's `fn-http-h-ce-*` names to `ce-*`. A name may
 * so collect several values; binary-mode parsing rejects a disagreement.
 */
function normaliseHeaders(headers: unknown): Map<string, string[]> {
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

/**
 * `JSON.parse`, followed by one walk that rejects deep nesting and freezes
 * every object and array, so that the event data handed on is immutable.
 */
function parseJson(text: string): Step<unknown> {
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

function parseReconcileRequest(request: JsonObject): ParsedInvocation {
  const action = own(request, 'action');
  if (action !== 'reconcile') return rejected(`action ${quote(action)} is not supported; expected "reconcile"`);
  for (const key of Object.keys(request)) {
    if (!RECONCILE_KEYS.has(key)) return rejected(`reconcile request has an unknown key ${quote(key)}`);
  }

  const compartmentIds = own(request, 'compartmentIds');
  if (compartmentIds === undefined) return rejected('compartmentIds is missing');
  if (!Array.isArray(compartmentIds)) return rejected(`compartmentIds is ${describeKind(compartmentIds)}, not an array`);
  if (compartmentIds.length === 0) return rejected('compartmentIds is empty');
  if (compartmentIds.length > MAX_RECONCILE_COMPARTMENTS) {
    return rejected(`compartmentIds has ${compartmentIds.length} entries, over the limit of ${MAX_RECONCILE_COMPARTMENTS}`);
  }
  const unique = new Set<string>();
  for (const [index, id] of compartmentIds.entries()) {
    if (!isCompartmentOcid(id)) return rejected(describeOcidMismatch(`compartmentIds[${index}]`, id, 'a compartment or tenancy'));
    unique.add(id);
  }

  const apply = own(request, 'apply') ?? false;
  if (typeof apply !== 'boolean') return rejected(`apply is ${describeKind(apply)}, not a boolean`);
  const prune = own(request, 'prune') ?? false;
  if (typeof prune !== 'boolean') return rejected(`prune is ${describeKind(prune)}, not a boolean`);

  const resume = own(request, 'resume');
  if (resume !== undefined) {
    if (typeof resume !== 'string') return rejected(`resume is ${describeKind(resume)}, not a string`);
    if (resume.length === 0) return rejected('resume is empty');
    if (resume.length > MAX_RESUME_LENGTH) return rejected(`resume is longer than ${MAX_RESUME_LENGTH} characters`);
    if (!PRINTABLE_ASCII.test(resume)) return rejected('resume contains characters that are not printable ASCII');
  }

  const base = { kind: 'reconcile' as const, compartmentIds: Object.freeze([...unique]), apply, prune };
  return Object.freeze(resume === undefined ? base : { ...base, resume });
}

/** An event recognised and validated, before its type and data are looked at. */
interface RecognisedEvent {
  readonly event: CloudEvent<unknown>;
  /** The compartment named by the envelope rather than by `data`, when there is one. */
  readonly envelopeCompartmentId?: string;
}

function fromBinaryMode(headers: ReadonlyMap<string, readonly string[]>, data: JsonObject | undefined): Step<RecognisedEvent> {
  const attributes = new Map<string, string>();
  for (const [name, values] of headers) {
    if (!name.startsWith(CE_HEADER_PREFIX)) continue;
    const attribute = name.slice(CE_HEADER_PREFIX.length);
    if (!ATTRIBUTE_NAME.test(attribute)) return fail(`header ${quote(name)} does not name a valid CloudEvents attribute`);
    if (new Set(values).size > 1) return fail(`header ${name} has conflicting values (ce-* and Fn-Http-H-Ce-* disagree)`);
    const value = values[0] ?? '';
    if (value.length > MAX_ATTRIBUTE_LENGTH) return fail(`header ${name} is longer than ${MAX_ATTRIBUTE_LENGTH} characters`);
    attributes.set(attribute, value);
  }

  // The cloudevents package accepts any specversion (and fills a missing id
  // and time), so the raw values are checked here before it sees them.
  const specversion = attributes.get('specversion');
  if (specversion !== '1.0') return fail(`ce-specversion header ${quote(specversion)} is not supported; expected "1.0"`);
  for (const required of ['id', 'type', 'source']) {
    if (!attributes.get(required)) return fail(`ce-${required} header is missing or empty`);
  }
  const time = attributes.get('time');
  if (time !== undefined && Number.isNaN(Date.parse(time))) return fail(`ce-time header ${quote(time)} is not a timestamp`);

  const contentType = headers.get('content-type')?.[0];
  if (contentType?.toLowerCase().startsWith('application/cloudevents')) {
    return fail(`binary-mode ce-* headers came with the structured-mode Content-Type ${quote(contentType)}`);
  }

  const messageHeaders: Record<string, string> = {};
  for (const [attribute, value] of attributes) messageHeaders[CE_HEADER_PREFIX + attribute] = value;
  if (contentType !== undefined) messageHeaders['content-type'] = contentType;
  // The body was parsed as JSON already; passing the object (not the text)
  // keeps the package from parsing it a second time by its own rules.
  return toValidatedEvent(() => HTTP.toEvent({ headers: messageHeaders, body: data }), attributes.get('id'));
}

function fromStructuredMode(message: JsonObject): Step<RecognisedEvent> {
  const specversion = own(message, 'specversion');
  if (specversion !== '1.0') return fail(`specversion ${quote(specversion)} is not supported; expected "1.0"`);
  for (const key of Object.keys(message)) {
    // Checked here because the package drops a `__proto__` key silently instead of rejecting it.
    if (!ATTRIBUTE_NAME.test(key) && key !== 'data_base64')
      return fail(`attribute ${quote(key)} is not a valid CloudEvents attribute name`);
  }
  const attributes = readAttributes(message, [
    ['id', 'id'],
    ['type', 'type'],
    ['source', 'source'],
  ]);
  if (!attributes.ok) return attributes;
  const id = attributes.value.get('id');
  const time = readOptionalTimestamp(message, 'time', id);
  if (!time.ok) return time;

  return toValidatedEvent(() => HTTP.toEvent({ headers: { 'content-type': 'application/cloudevents+json' }, body: message }), id);
}

function fromOciEnvelope(envelope: JsonObject): Step<RecognisedEvent> {
  const version = own(envelope, 'cloudEventsVersion');
  if (version !== '0.1') return fail(`cloudEventsVersion ${quote(version)} is not supported; expected "0.1"`);

  // Oracle's documentation spells the id both ways; accept either, not both disagreeing.
  const upper = own(envelope, 'eventID');
  const lower = own(envelope, 'eventId');
  if (upper !== undefined && lower !== undefined && upper !== lower) return fail('eventID and eventId disagree');
  const attributes = readAttributes(envelope, [
    [upper === undefined && lower !== undefined ? 'eventId' : 'eventID', 'id'],
    ['eventType', 'type'],
    ['source', 'source'],
  ]);
  if (!attributes.ok) return attributes;
  const id = attributes.value.get('id');
  const time = readOptionalTimestamp(envelope, 'eventTime', id);
  if (!time.ok) return time;
  const contentType = own(envelope, 'contentType');
  if (contentType !== undefined && (typeof contentType !== 'string' || contentType.length > MAX_ATTRIBUTE_LENGTH)) {
    return { ok: false, result: rejected(`contentType is not a string of at most ${MAX_ATTRIBUTE_LENGTH} characters`, id) };
  }

  const extensions = own(envelope, 'extensions');
  const compartmentId = isJsonObject(extensions) ? own(extensions, 'compartmentId') : undefined;
  const properties: Record<string, unknown> = {
    specversion: '1.0',
    id,
    type: attributes.value.get('type'),
    source: attributes.value.get('source'),
    data: own(envelope, 'data'),
  };
  if (time.value !== undefined) properties['time'] = time.value;
  if (typeof contentType === 'string') properties['datacontenttype'] = contentType;
  // CloudEvents extension names are lower-case alphanumerics, hence `compartmentid`.
  if (isCompartmentOcid(compartmentId)) properties['compartmentid'] = compartmentId;

  const mapped = toValidatedEvent(() => new CloudEvent<unknown>(properties, false), id);
  if (!mapped.ok || !isCompartmentOcid(compartmentId)) return mapped;
  return ok({ event: mapped.value.event, envelopeCompartmentId: compartmentId });
}

/**
 * Builds the event with the package, then validates it. `HTTP.toEvent`
 * constructs without validating, so `validate()` is called explicitly.
 */
function toValidatedEvent(build: () => unknown, eventId: string | undefined): Step<RecognisedEvent> {
  let event: unknown;
  try {
    event = build();
  } catch (error) {
    return { ok: false, result: rejected(`not a valid CloudEvent: ${describeError(error)}`, eventId) };
  } finally {
    if (globalThis.JSON !== nativeJson) globalThis.JSON = nativeJson;
  }
  if (!(event instanceof CloudEvent)) return { ok: false, result: rejected('not a single CloudEvent', eventId) };
  try {
    event.validate();
  } catch (error) {
    return { ok: false, result: rejected(`not a valid CloudEvent: ${describeError(error)}`, eventId) };
  }
  return ok({ event });
}

/** Checks the type, then the data, of a recognised event. */
function classifyEvent(recognised: Step<RecognisedEvent>, missingDataReason: string): ParsedInvocation {
  if (!recognised.ok) return recognised.result;
  const { event, envelopeCompartmentId } = recognised.value;
  const eventId = event.id;
  const eventType = event.type;
  if (eventType !== LAUNCH_EVENT_TYPE) {
    return Object.freeze({ kind: 'ignored', eventId, eventType, reason: `event type ${quote(eventType)} is not ${LAUNCH_EVENT_TYPE}` });
  }

  const data = event.data;
  if (data === undefined) return rejected(missingDataReason, eventId);
  // A structured event whose `data` is a JSON-encoded string is not unwrapped:
  // the spec puts JSON data in as a value, and parsing a second layer would
  // hand hostile text a second parser for no sender known to need it.
  if (!isJsonObject(data)) return rejected(`data is ${describeKind(data)}, not a JSON object`, eventId);
  const instanceId = own(data, 'resourceId');
  if (instanceId === undefined) return rejected('data.resourceId is missing', eventId);
  if (!isOcid(instanceId, 'instance')) return rejected(describeOcidMismatch('data.resourceId', instanceId, 'an instance'), eventId);

  // A malformed compartmentId is dropped rather than rejected: the instance
  // OCID is what the function acts on, the compartment is only a hint.
  const dataCompartmentId = own(data, 'compartmentId');
  const compartmentId = isCompartmentOcid(dataCompartmentId) ? dataCompartmentId : (envelopeCompartmentId ?? extensionCompartmentId(event));
  const launch = {
    kind: 'launch' as const,
    // Checked just above: data is a JSON object, deep-frozen by parseJson.
    event: event as CloudEvent<EventData>,
    eventId,
    eventType,
    instanceId,
  };
  return Object.freeze(compartmentId === undefined ? launch : { ...launch, compartmentId });
}

function extensionCompartmentId(event: CloudEvent<unknown>): string | undefined {
  const value = Object.hasOwn(event, 'compartmentid') ? event['compartmentid'] : undefined;
  return isCompartmentOcid(value) ? value : undefined;
}

/** Reads required string attributes, naming the source field in any reason; the result is keyed by CloudEvents name. */
function readAttributes(
  source: JsonObject,
  fields: ReadonlyArray<readonly [field: string, attribute: string]>,
): Step<ReadonlyMap<string, string>> {
  const values = new Map<string, string>();
  for (const [field, attribute] of fields) {
    const value = own(source, field);
    const reason =
      value === undefined
        ? `${field} is missing`
        : typeof value !== 'string'
          ? `${field} is ${describeKind(value)}, not a string`
          : value.length === 0
            ? `${field} is empty`
            : value.length > MAX_ATTRIBUTE_LENGTH
              ? `${field} is longer than ${MAX_ATTRIBUTE_LENGTH} characters`
              : undefined;
    if (reason !== undefined) return { ok: false, result: rejected(reason, values.get('id')) };
    values.set(attribute, value as string);
  }
  return ok(values);
}

/** The package replaces an unparseable time with the current time, silently; reject it instead. */
function readOptionalTimestamp(source: JsonObject, field: string, eventId: string | undefined): Step<string | undefined> {
  const value = own(source, field);
  if (value === undefined) return ok(undefined);
  if (typeof value !== 'string' || value.length > MAX_ATTRIBUTE_LENGTH || Number.isNaN(Date.parse(value))) {
    return { ok: false, result: rejected(`${field} ${quote(value)} is not a timestamp`, eventId) };
  }
  return ok(value);
}

function isCompartmentOcid(value: unknown): value is string {
  // The root compartment's OCID is the tenancy's.
  return isOcid(value, 'compartment') || isOcid(value, 'tenancy');
}

function describeOcidMismatch(field: string, value: unknown, expected: string): string {
  if (typeof value !== 'string') return `${field} is ${describeKind(value)}, not a string`;
  const actualType = ocidType(value);
  if (actualType !== undefined) return `${field} is an OCID of type ${quote(actualType)}, not ${expected} OCID`;
  return `${field} is not a well-formed OCID: ${quote(value)}`;
}

/** Own properties only, so that keys such as `constructor` never resolve to Object.prototype's. */
function own(source: JsonObject, key: string): unknown {
  return Object.hasOwn(source, key) ? source[key] : undefined;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function describeKind(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return 'binary data';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Quotes untrusted input for a reason: JSON-escaped, cut to {@link MAX_ECHO_LENGTH} characters. */
function quote(value: unknown): string {
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

function describeError(error: unknown): string {
  let message: string;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    message = 'unknown error';
  }
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

function ok<T>(value: T): Step<T> {
  return { ok: true, value };
}

function fail(reason: string): { readonly ok: false; readonly result: RejectedInput } {
  return { ok: false, result: rejected(reason) };
}

function rejected(reason: string, eventId?: string): RejectedInput {
  return Object.freeze(eventId === undefined ? { kind: 'rejected' as const, reason } : { kind: 'rejected' as const, eventId, reason });
}
