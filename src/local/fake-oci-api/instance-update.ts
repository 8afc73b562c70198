/** The checks OCI applies to an UpdateInstance request before it writes anything. */
import type { World, WorldInstance } from '../world-types';
import { ApiError, invalidParameter } from './api-error';
import { isPlainObject } from './request';

/** Oracle's default tags, accepted in every tenancy whatever its tag catalogue says. */
const ORACLE_DEFAULT_TAGS: Readonly<Record<string, readonly string[]>> = { 'Oracle-Tags': ['CreatedBy', 'CreatedOn'] };
const MAX_TAG_VALUE_LENGTH = 256;
const MAX_FREEFORM_KEY_LENGTH = 100;
const UPDATE_INSTANCE_FIELDS = new Set([
  'isAIEnterpriseEnabled',
  'capacityReservationId',
  'definedTags',
  'securityAttributes',
  'displayName',
  'freeformTags',
  'agentConfig',
  'metadata',
  'extendedMetadata',
  'shape',
  'shapeConfig',
  'sourceDetails',
  'updateOperationConstraint',
  'instanceOptions',
  'faultDomain',
  'launchOptions',
  'availabilityConfig',
  'timeMaintenanceRebootDue',
  'dedicatedVmHostId',
  'platformConfig',
  'licensingConfigs',
]);

/**
 * OCI's rule, not the tagger's: an instance being or having been terminated
 * takes no update, whatever is sent. Kept apart from `src/tagging/lifecycle.ts`
 * so that the tagger's own rule is checked against it rather than shared.
 */
const UPDATE_REFUSED_STATES: readonly string[] = ['TERMINATING', 'TERMINATED'];

/** Throws 409 IncorrectState when the instance's lifecycle state refuses updates. */
export function refuseUpdateOfTerminated(instance: WorldInstance): void {
  if (UPDATE_REFUSED_STATES.includes(instance.lifecycleState)) {
    throw new ApiError(409, 'IncorrectState', `Instance ${instance.id} is ${instance.lifecycleState} and cannot be updated.`);
  }
}

/** Throws a 400 {@link ApiError} for a field UpdateInstanceDetails does not have or a value OCI would refuse. */
export function validateInstanceUpdate(details: Record<string, unknown>, tagNamespaces: World['tagNamespaces']): void {
  for (const field of Object.keys(details)) {
    if (!UPDATE_INSTANCE_FIELDS.has(field)) throw invalidParameter(`UpdateInstanceDetails has no field ${field}`);
  }
  const { displayName, definedTags, freeformTags, metadata } = details;
  if (displayName !== undefined && (typeof displayName !== 'string' || displayName.length === 0 || displayName.length > 255)) {
    throw invalidParameter('displayName must be a string of 1 to 255 characters');
  }
  if (definedTags !== undefined) validateDefinedTags(definedTags, tagNamespaces);
  if (freeformTags !== undefined) validateFreeformTags(freeformTags);
  if (metadata !== undefined) {
    if (!isPlainObject(metadata) || Object.values(metadata).some((value) => typeof value !== 'string'))
      throw invalidParameter('metadata must be an object of strings');
  }
}

function validateFreeformTags(freeformTags: unknown): void {
  if (!isPlainObject(freeformTags)) throw invalidParameter('freeformTags must be an object');
  for (const [key, value] of Object.entries(freeformTags)) {
    if (key.length === 0 || key.length > MAX_FREEFORM_KEY_LENGTH)
      throw invalidParameter(`freeformTags key ${JSON.stringify(key)} must have 1 to ${MAX_FREEFORM_KEY_LENGTH} characters`);
    if (typeof value !== 'string' || value.length > MAX_TAG_VALUE_LENGTH)
      throw invalidParameter(`freeformTags.${key} must be a string of at most ${MAX_TAG_VALUE_LENGTH} characters`);
  }
}

/** Checks sent defined tags against the tenancy's tag catalogue, as OCI does on every write. */
function validateDefinedTags(definedTags: unknown, tagNamespaces: World['tagNamespaces']): void {
  if (!isPlainObject(definedTags)) throw invalidParameter('definedTags must be an object');
  for (const [namespace, tags] of Object.entries(definedTags)) {
    if (!isPlainObject(tags)) throw invalidParameter(`definedTags.${namespace} must be an object`);
    const declared = tagNamespaces[namespace];
    const defaultKeys = ORACLE_DEFAULT_TAGS[namespace] ?? [];
    if (declared === undefined && defaultKeys.length === 0)
      throw invalidParameter(`The tag namespace ${namespace} does not exist or you are not authorized to use it.`);
    if (declared?.retired === true) throw invalidParameter(`The tag namespace ${namespace} is retired and cannot be used.`);
    for (const [key, value] of Object.entries(tags)) {
      if (!defaultKeys.includes(key) && !(declared?.keys.includes(key) ?? false)) {
        throw invalidParameter(`The tag key ${key} does not exist in tag namespace ${namespace}.`);
      }
      if (typeof value !== 'string' || value.length > MAX_TAG_VALUE_LENGTH) {
        throw invalidParameter(`The value of tag ${namespace}.${key} must be a string of at most ${MAX_TAG_VALUE_LENGTH} characters.`);
      }
    }
  }
}
