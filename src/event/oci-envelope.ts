/**
 * The OCI Events envelope (CloudEvents 0.1 style: `eventType`,
 * `cloudEventsVersion`, `eventID` or `eventId`), mapped into a CloudEvents 1.0
 * `CloudEvent` because the `cloudevents` package does not know spec 0.1.
 */
import { CloudEvent } from 'cloudevents';
import { checkVersion, MAX_ATTRIBUTE_LENGTH, readEventAttributes, toValidatedEvent, type RecognisedEvent } from './cloudevent-validation';
import { isCompartmentOcid } from './compartment-ocid';
import { isJsonObject, own, type JsonObject } from './json';
import { fail, ok, type Step } from './rejection';

/**
 * Validates a JSON body that has `eventType` and `cloudEventsVersion` keys as
 * an OCI Events envelope. A well-formed `extensions.compartmentId` becomes the
 * `compartmentid` extension and the envelope's compartment.
 */
export function fromOciEnvelope(envelope: JsonObject): Step<RecognisedEvent> {
  const version = checkVersion(own(envelope, 'cloudEventsVersion'), 'cloudEventsVersion', '0.1');
  if (!version.ok) return version;

  // Oracle's documentation spells the id both ways; accept either, not both disagreeing.
  const upper = own(envelope, 'eventID');
  const lower = own(envelope, 'eventId');
  if (upper !== undefined && lower !== undefined && upper !== lower) return fail('eventID and eventId disagree');
  const attributes = readEventAttributes(envelope, {
    id: upper === undefined && lower !== undefined ? 'eventId' : 'eventID',
    type: 'eventType',
    source: 'source',
    time: 'eventTime',
  });
  if (!attributes.ok) return attributes;
  const { id, type, source, time } = attributes.value;
  const contentType = own(envelope, 'contentType');
  if (contentType !== undefined && (typeof contentType !== 'string' || contentType.length > MAX_ATTRIBUTE_LENGTH)) {
    return fail(`contentType is not a string of at most ${MAX_ATTRIBUTE_LENGTH} characters`, id);
  }

  const extensions = own(envelope, 'extensions');
  const compartmentId = isJsonObject(extensions) ? own(extensions, 'compartmentId') : undefined;
  const properties: Record<string, unknown> = {
    specversion: '1.0',
    id,
    type,
    source,
    data: own(envelope, 'data'),
  };
  if (time !== undefined) properties['time'] = time;
  if (typeof contentType === 'string') properties['datacontenttype'] = contentType;
  // CloudEvents extension names are lower-case alphanumerics, hence `compartmentid`.
  if (isCompartmentOcid(compartmentId)) properties['compartmentid'] = compartmentId;

  const mapped = toValidatedEvent(() => new CloudEvent<unknown>(properties, false), id);
  if (!mapped.ok || !isCompartmentOcid(compartmentId)) return mapped;
  return ok({ event: mapped.value.event, envelopeCompartmentId: compartmentId });
}
