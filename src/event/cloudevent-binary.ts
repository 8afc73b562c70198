/**
 * CloudEvents 1.0 in binary mode: the attributes arrive in `ce-*` headers
 * (or `Fn-Http-H-Ce-*` through API Gateway) and the body is the event data.
 */
import { HTTP } from 'cloudevents';
import {
  checkOptionalTimestamp,
  checkVersion,
  isAttributeName,
  MAX_ATTRIBUTE_LENGTH,
  toValidatedEvent,
  type RecognisedEvent,
} from './cloudevent-validation';
import { CE_HEADER_PREFIX, type NormalisedHeaders } from './headers';
import type { JsonObject } from './json';
import { fail, quote, type Step } from './rejection';

/**
 * Validates the `ce-*` headers as a binary-mode CloudEvent whose data is the
 * parsed body, or `undefined` for an empty body.
 */
export function fromBinaryMode(headers: NormalisedHeaders, data: JsonObject | undefined): Step<RecognisedEvent> {
  const attributes = new Map<string, string>();
  for (const [name, values] of headers) {
    if (!name.startsWith(CE_HEADER_PREFIX)) continue;
    const attribute = name.slice(CE_HEADER_PREFIX.length);
    if (!isAttributeName(attribute)) return fail(`header ${quote(name)} does not name a valid CloudEvents attribute`);
    if (new Set(values).size > 1) return fail(`header ${name} has conflicting values (ce-* and Fn-Http-H-Ce-* disagree)`);
    const value = values[0] ?? '';
    if (value.length > MAX_ATTRIBUTE_LENGTH) return fail(`header ${name} is longer than ${MAX_ATTRIBUTE_LENGTH} characters`);
    attributes.set(attribute, value);
  }

  const specversion = checkVersion(attributes.get('specversion'), 'ce-specversion header', '1.0');
  if (!specversion.ok) return specversion;
  for (const required of ['id', 'type', 'source']) {
    if (!attributes.get(required)) return fail(`ce-${required} header is missing or empty`);
  }
  const time = checkOptionalTimestamp(attributes.get('time'), 'ce-time header');
  if (!time.ok) return time;

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
