/** The checks OCI applies to an UpdateInstance request before it writes anything. */
import type { World, WorldDefinedTags, WorldInstance, WorldTagNamespace } from '../world-types';
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

/**
 * Throws a 400 {@link ApiError} for a field UpdateInstanceDetails does not
 * have or a value OCI would refuse. `current` is the instance's defined tags
 * before the update, against which retired tags are judged.
 */
export function validateInstanceUpdate(
  details: Record<string, unknown>,
  tagNamespaces: World['tagNamespaces'],
  current: WorldDefinedTags,
): void {
  for (const field of Object.keys(details)) {
    if (!UPDATE_INSTANCE_FIELDS.has(field)) throw invalidParameter(`UpdateInstanceDetails has no field ${field}`);
  }
  const { displayName, definedTags, freeformTags, metadata } = details;
  if (displayName !== undefined && (typeof displayName !== 'string' || displayName.length === 0 || displayName.length > 255)) {
    throw invalidParameter('displayName must be a string of 1 to 255 characters');
  }
  if (definedTags !== undefined) validateDefinedTags(definedTags, tagNamespaces, current);
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

/**
 * A retired tag can no longer be applied, but it stays on the resources that
 * carry it (OCI's tag management docs). UpdateInstance replaces the whole
 * map, so re-sending a value the instance already carries keeps it; setting
 * a new or changed value is refused.
 */
function refuseRetired(namespace: string, key: string, value: unknown, declared: WorldTagNamespace, current: WorldDefinedTags): void {
  if (current[namespace]?.[key] === value) return;
  if (declared.retired) throw invalidParameter(`The tag namespace ${namespace} is retired and cannot be used: ${namespace}.${key}.`);
  if (declared.retiredKeys?.includes(key) ?? false)
    throw invalidParameter(`The tag ${namespace}.${key} is retired and cannot be applied to a resource.`);
}

/** Checks sent defined tags against the tenancy's tag catalogue, as OCI does on every write. */
function validateDefinedTags(definedTags: unknown, tagNamespaces: World['tagNamespaces'], current: WorldDefinedTags): void {
  if (!isPlainObject(definedTags)) throw invalidParameter('definedTags must be an object');
  for (const [namespace, tags] of Object.entries(definedTags)) {
    if (!isPlainObject(tags)) throw invalidParameter(`definedTags.${namespace} must be an object`);
    const declared = tagNamespaces[namespace];
    const defaultKeys = ORACLE_DEFAULT_TAGS[namespace] ?? [];
    if (declared === undefined && defaultKeys.length === 0)
      throw invalidParameter(`The tag namespace ${namespace} does not exist or you are not authorized to use it.`);
    for (const [key, value] of Object.entries(tags)) {
      if (!defaultKeys.includes(key) && !(declared?.keys.includes(key) ?? false)) {
        throw invalidParameter(`The tag key ${key} does not exist in tag namespace ${namespace}.`);
      }
      if (declared !== undefined) refuseRetired(namespace, key, value, declared, current);
      if (typeof value !== 'string' || value.length > MAX_TAG_VALUE_LENGTH) {
        throw invalidParameter(`The value of tag ${namespace}.${key} must be a string of at most ${MAX_TAG_VALUE_LENGTH} characters.`);
      }
    }
  }
}
