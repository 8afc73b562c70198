/**
 * What a recognised event means for the function: an event of a type it
 * enforces on (an instance launched or updated, a node pool or cluster
 * updated) naming the resource, an event of another type to ignore, or an
 * enforced event whose data is unusable, rejected.
 */
import type { CloudEvent } from 'cloudevents';
import { isOcid } from '../ocid';
import type { RecognisedEvent } from './cloudevent-validation';
import { isCompartmentOcid } from './compartment-ocid';
import { ENFORCED_EVENT_TYPES } from './event-types';
import { isJsonObject, own } from './json';
import { describeKind, describeOcidMismatch, quote, rejected, type RejectedInput, type Step } from './rejection';

/** The `data` of an accepted event: a deep-frozen JSON object. */
export type EventData = Readonly<Record<string, unknown>>;

interface EnforcedEventBase {
  readonly event: CloudEvent<EventData>;
  readonly eventId: string;
  readonly eventType: string;
  /** The event's compartment, as a hint for logs; never used to choose a tag. */
  readonly compartmentId?: string;
}

/** A `launchinstance.end` event naming a well-formed instance OCID. */
export interface LaunchEvent extends EnforcedEventBase {
  readonly kind: 'launch';
  readonly instanceId: string;
}

/** An `updateinstance` event naming a well-formed instance OCID. */
export interface InstanceUpdatedEvent extends EnforcedEventBase {
  readonly kind: 'instance-updated';
  readonly instanceId: string;
}

/** An `updatenodepool.end` event naming a well-formed node pool OCID. */
export interface NodePoolUpdatedEvent extends EnforcedEventBase {
  readonly kind: 'pool-updated';
  readonly nodePoolId: string;
}

/** An `updatecluster.end` event naming a well-formed cluster OCID. */
export interface ClusterUpdatedEvent extends EnforcedEventBase {
  readonly kind: 'cluster-updated';
  readonly clusterId: string;
}

/** Every event the function acts on. */
export type EnforcedEvent = LaunchEvent | InstanceUpdatedEvent | NodePoolUpdatedEvent | ClusterUpdatedEvent;

const RESOURCE_FIELD = { instance: 'instanceId', nodepool: 'nodePoolId', cluster: 'clusterId' } as const;
const RESOURCE_NAME = { instance: 'an instance', nodepool: 'a node pool', cluster: 'a cluster' } as const;

/** A well-formed event of a type this function does not act on. */
export interface IgnoredInput {
  readonly kind: 'ignored';
  readonly eventId?: string;
  readonly eventType: string;
  readonly reason: string;
}

/**
 * Checks the type, then the data, of a recognised event. An enforced event
 * must carry `data.resourceId` holding an OCID of the resource its type
 * names; its compartment comes from `data.compartmentId`, else from the
 * envelope or the `compartmentid` extension.
 *
 * @param recognised - the event, or the rejection of an earlier step, handed through.
 * @param missingDataReason - the reason when a launch event has no data, which depends on the event's shape.
 */
export function classifyEvent(recognised: Step<RecognisedEvent>, missingDataReason: string): EnforcedEvent | IgnoredInput | RejectedInput {
  if (!recognised.ok) return recognised.result;
  const { event, envelopeCompartmentId } = recognised.value;
  const eventId = event.id;
  const eventType = event.type;
  const enforced = Object.hasOwn(ENFORCED_EVENT_TYPES, eventType)
    ? ENFORCED_EVENT_TYPES[eventType as keyof typeof ENFORCED_EVENT_TYPES]
    : undefined;
  if (enforced === undefined) {
    return Object.freeze({ kind: 'ignored', eventId, eventType, reason: `event type ${quote(eventType)} is not one the function acts on` });
  }

  const data = event.data;
  if (data === undefined) return rejected(missingDataReason, eventId);
  // A structured event whose `data` is a JSON-encoded string is not unwrapped:
  // the spec puts JSON data in as a value, and parsing a second layer would
  // hand hostile text a second parser for no sender known to need it.
  if (!isJsonObject(data)) return rejected(`data is ${describeKind(data)}, not a JSON object`, eventId);
  const resourceId = own(data, 'resourceId');
  if (resourceId === undefined) return rejected('data.resourceId is missing', eventId);
  if (!isOcid(resourceId, enforced.resource)) {
    return rejected(describeOcidMismatch('data.resourceId', resourceId, RESOURCE_NAME[enforced.resource]), eventId);
  }

  // A malformed compartmentId is dropped rather than rejected: the instance
  // OCID is what the function acts on, the compartment is only a hint.
  const dataCompartmentId = own(data, 'compartmentId');
  const compartmentId = isCompartmentOcid(dataCompartmentId) ? dataCompartmentId : (envelopeCompartmentId ?? extensionCompartmentId(event));
  const classified = {
    kind: enforced.kind,
    // Checked just above: data is a JSON object, deep-frozen by parseJson.
    event: event as CloudEvent<EventData>,
    eventId,
    eventType,
    [RESOURCE_FIELD[enforced.resource]]: resourceId,
    ...(compartmentId === undefined ? {} : { compartmentId }),
  } as EnforcedEvent;
  return Object.freeze(classified);
}

function extensionCompartmentId(event: CloudEvent<unknown>): string | undefined {
  const value = Object.hasOwn(event, 'compartmentid') ? event['compartmentid'] : undefined;
  return isCompartmentOcid(value) ? value : undefined;
}
