/**
 * What a recognised event means for the function: a launch event naming an
 * instance to tag, an event of another type to ignore, or a launch event
 * whose data is unusable, rejected.
 */
import type { CloudEvent } from 'cloudevents';
import { isOcid } from '../ocid';
import type { RecognisedEvent } from './cloudevent-validation';
import { isCompartmentOcid } from './compartment-ocid';
import { LAUNCH_EVENT_TYPE } from './event-types';
import { isJsonObject, own } from './json';
import { describeKind, describeOcidMismatch, quote, rejected, type RejectedInput, type Step } from './rejection';

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

/**
 * Checks the type, then the data, of a recognised event. A launch event must
 * carry `data.resourceId` holding an instance OCID; its compartment comes
 * from `data.compartmentId`, else from the envelope or the `compartmentid`
 * extension.
 *
 * @param recognised - the event, or the rejection of an earlier step, handed through.
 * @param missingDataReason - the reason when a launch event has no data, which depends on the event's shape.
 */
export function classifyEvent(recognised: Step<RecognisedEvent>, missingDataReason: string): LaunchEvent | IgnoredInput | RejectedInput {
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
