/**
 * The function's input boundary. Turns the raw invocation (body bytes and
 * headers) into one immutable value: a launch event to act on, an event of
 * another type to ignore, a reconcile request, or a rejection with a reason.
 *
 * Three event shapes are accepted:
 * - the OCI Events envelope (CloudEvents 0.1 style), `oci-envelope.ts`;
 * - CloudEvents 1.0 in structured mode (the whole event is the JSON body),
 *   `cloudevent-structured.ts`;
 * - CloudEvents 1.0 in binary mode (attributes in `ce-*` headers, or
 *   `Fn-Http-H-Ce-*` through API Gateway, and the event data in the body),
 *   `cloudevent-binary.ts`.
 *
 * Nothing here throws: the input is untrusted, and a throw would become an
 * opaque 502 from the FDK instead of a logged, explained rejection.
 */
import { decodeBody, DEFAULT_MAX_BODY_BYTES, resolveBodyLimit } from './body';
import { classifyEvent, type EnforcedEvent, type IgnoredInput } from './classify';
import { fromBinaryMode } from './cloudevent-binary';
import { fromStructuredMode } from './cloudevent-structured';
import {
  LAUNCH_EVENT_TYPE,
  TERMINATE_EVENT_TYPE,
  UPDATE_CLUSTER_EVENT_TYPE,
  UPDATE_INSTANCE_EVENT_TYPE,
  UPDATE_NODE_POOL_EVENT_TYPE,
} from './event-types';
import { isBinaryMode, normaliseHeaders, type InvocationHeaders } from './headers';
import { isBlankJson, isJsonObject, parseJson } from './json';
import { fromOciEnvelope } from './oci-envelope';
import { parseReconcileRequest, type ReconcileRequest } from './reconcile-request';
import { describeError, describeKind, rejected, type RejectedInput } from './rejection';

export {
  DEFAULT_MAX_BODY_BYTES,
  LAUNCH_EVENT_TYPE,
  TERMINATE_EVENT_TYPE,
  UPDATE_CLUSTER_EVENT_TYPE,
  UPDATE_INSTANCE_EVENT_TYPE,
  UPDATE_NODE_POOL_EVENT_TYPE,
};
export type {
  ClusterUpdatedEvent,
  EnforcedEvent,
  EventData,
  IgnoredInput,
  InstanceUpdatedEvent,
  LaunchEvent,
  NodePoolUpdatedEvent,
} from './classify';
export { MAX_ATTRIBUTE_LENGTH } from './cloudevent-validation';
export type { InvocationHeaders } from './headers';
export { MAX_JSON_DEPTH } from './json';
export { MAX_RECONCILE_COMPARTMENTS, MAX_RESUME_LENGTH, type ReconcileRequest } from './reconcile-request';
export { MAX_ECHO_LENGTH, type RejectedInput } from './rejection';

/** Everything `parseInvocation` can return. */
export type ParsedInvocation = EnforcedEvent | IgnoredInput | RejectedInput | ReconcileRequest;

/** Options for `parseInvocation`. */
export interface ParseInvocationOptions {
  /** Largest accepted body in bytes; a value that is not a non-negative safe integer means the default. */
  readonly maxBodyBytes?: number;
}

/**
 * Parses one function invocation into a frozen {@link ParsedInvocation}.
 *
 * Order of checks: body size, UTF-8 decoding, JSON parsing (whatever the
 * Content-Type says, because the headers OCI Events sends are unconfirmed),
 * then the shape: a reconcile request (`action` key), a binary-mode
 * CloudEvent (`ce-specversion` header), a structured CloudEvent
 * (`specversion` key), the OCI envelope (`eventType` and
 * `cloudEventsVersion`). An event of a type the function does not act on is
 * ignored; an enforced event must carry `data.resourceId` holding an OCID of
 * the resource its type names.
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
  const text = decodeBody(body, resolveBodyLimit(typeof options === 'object' && options !== null ? options.maxBodyBytes : undefined));
  if (!text.ok) return text.result;

  const headerValues = normaliseHeaders(headers);
  const binaryMode = isBinaryMode(headerValues);

  if (isBlankJson(text.value)) {
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
