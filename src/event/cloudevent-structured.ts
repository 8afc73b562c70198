/** CloudEvents 1.0 in structured mode: the whole event is the JSON body. */
import { HTTP } from 'cloudevents';
import { checkVersion, isAttributeName, readEventAttributes, toValidatedEvent, type RecognisedEvent } from './cloudevent-validation';
import { own, type JsonObject } from './json';
import { fail, quote, type Step } from './rejection';

/** Validates a JSON body that has a `specversion` key as a structured-mode CloudEvent. */
export function fromStructuredMode(message: JsonObject): Step<RecognisedEvent> {
  const specversion = checkVersion(own(message, 'specversion'), 'specversion', '1.0');
  if (!specversion.ok) return specversion;
  for (const key of Object.keys(message)) {
    // Checked here because the package drops a `__proto__` key silently instead of rejecting it.
    if (!isAttributeName(key) && key !== 'data_base64') return fail(`attribute ${quote(key)} is not a valid CloudEvents attribute name`);
  }
  const attributes = readEventAttributes(message, { id: 'id', type: 'type', source: 'source', time: 'time' });
  if (!attributes.ok) return attributes;

  return toValidatedEvent(
    () => HTTP.toEvent({ headers: { 'content-type': 'application/cloudevents+json' }, body: message }),
    attributes.value.id,
  );
}
