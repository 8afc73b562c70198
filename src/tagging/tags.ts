/**
 * Pure tag decisions: which of our keys an instance should carry, whether it
 * already does, and how to merge them into its existing defined tags without
 * touching anything else. OCI compares tag namespace and key names without
 * regard to case, so every lookup here does too.
 */
import { TagValueError } from '../errors';
import type { DefinedTags, InstanceInfo } from './model';

/** Longest defined-tag value OCI accepts. */
export const MAX_TAG_VALUE_LENGTH = 256;

/** The values of our keys that an instance should carry, in one namespace. */
export interface DesiredTags {
  readonly namespace: string;
  readonly values: Readonly<Record<string, string>>;
}

export interface TagKeys {
  readonly tagNamespace: string;
  readonly tagName: string;
  readonly clusterTagName?: string | undefined;
}

function checkValue(key: string, value: string): string {
  if (value.length === 0) throw new TagValueError(`tag ${key}: the value is empty`);
  if (value.length > MAX_TAG_VALUE_LENGTH) {
    throw new TagValueError(`tag ${key}: the value is ${value.length} characters long; OCI allows at most ${MAX_TAG_VALUE_LENGTH}`);
  }
  return value;
}

/**
 * Decides our tags: `tagName` gets the node pool's name and, when
 * `clusterTagName` is configured, that key gets the cluster's name.
 * Throws {@link TagValueError} when a value breaks OCI's limits.
 */
export function decideTags(keys: TagKeys, nodePoolName: string, clusterName?: string): DesiredTags {
  const values: Record<string, string> = { [keys.tagName]: checkValue(keys.tagName, nodePoolName) };
  if (keys.clusterTagName !== undefined) {
    if (clusterName === undefined) throw new TagValueError(`tag ${keys.clusterTagName}: the cluster name is unknown`);
    values[keys.clusterTagName] = checkValue(keys.clusterTagName, clusterName);
  }
  return Object.freeze({ namespace: keys.tagNamespace, values: Object.freeze(values) });
}

/** Sets an own property even for names such as `__proto__`, which plain assignment would treat as the prototype. */
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function copyTags(current: DefinedTags): DefinedTags {
  const copy: DefinedTags = {};
  for (const [ns, keys] of Object.entries(current)) setOwn(copy, ns, { ...keys });
  return copy;
}

function findKey(record: Readonly<Record<string, unknown>>, wanted: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(record, wanted)) return wanted;
  const lower = wanted.toLowerCase();
  return Object.keys(record).find((key) => key.toLowerCase() === lower);
}

/** The current value of `namespace.key` in `tags`, compared without regard to case of names. */
export function readTag(tags: DefinedTags, namespace: string, key: string): unknown {
  const ns = findKey(tags, namespace);
  if (ns === undefined) return undefined;
  const keys = tags[ns] ?? {};
  const k = findKey(keys, key);
  return k === undefined ? undefined : keys[k];
}

/** Our keys: the pool key, and the cluster key when one is configured. */
export function ourTagKeys(keys: TagKeys): string[] {
  return [keys.tagName, ...(keys.clusterTagName === undefined ? [] : [keys.clusterTagName])];
}

/** The current values of our keys on an instance (absent keys left out). */
export function ourTagValues(tags: DefinedTags, keys: TagKeys): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of ourTagKeys(keys)) {
    const value = readTag(tags, keys.tagNamespace, key);
    if (value !== undefined) values[key] = value;
  }
  return values;
}

/** True when every desired key already carries exactly the desired value. */
export function hasDesiredTags(current: DefinedTags, desired: DesiredTags): boolean {
  return Object.entries(desired.values).every(([key, value]) => readTag(current, desired.namespace, key) === value);
}

/**
 * Returns a new defined-tag map: `current` with our keys set to the desired
 * values. Every other namespace, every other key of our namespace and every
 * value's type stay exactly as they were; `current` is not modified.
 */
export function mergeDefinedTags(current: DefinedTags, desired: DesiredTags): DefinedTags {
  const merged = copyTags(current);
  const ns = findKey(merged, desired.namespace) ?? desired.namespace;
  const target: Record<string, unknown> = { ...(Object.prototype.hasOwnProperty.call(merged, ns) ? merged[ns] : {}) };
  for (const [key, value] of Object.entries(desired.values)) {
    setOwn(target, findKey(target, key) ?? key, value);
  }
  setOwn(merged, ns, target);
  return merged;
}

/**
 * Returns a new defined-tag map without the given keys of our namespace (for
 * pruning). The namespace itself is dropped when no key is left in it.
 */
export function removeDefinedTags(current: DefinedTags, namespace: string, keysToRemove: readonly string[]): DefinedTags {
  const merged = copyTags(current);
  const ns = findKey(merged, namespace);
  if (ns === undefined) return merged;
  const target: Record<string, unknown> = { ...merged[ns] };
  for (const key of keysToRemove) {
    const found = findKey(target, key);
    if (found !== undefined) delete target[found];
  }
  if (Object.keys(target).length === 0) delete merged[ns];
  else setOwn(merged, ns, target);
  return merged;
}

/** A change to an instance's defined tags: the new map, or `undefined` when the current tags need none. */
export type TagChange = (current: DefinedTags) => DefinedTags | undefined;

/** The change that gives an instance the desired values, if it lacks any. */
export function setDesiredTags(desired: DesiredTags): TagChange {
  return (current) => (hasDesiredTags(current, desired) ? undefined : mergeDefinedTags(current, desired));
}

/** The change that removes our keys from an instance, if it carries any (a prune). */
export function removeOurTags(keys: TagKeys): TagChange {
  return (current) =>
    Object.keys(ourTagValues(current, keys)).length === 0 ? undefined : removeDefinedTags(current, keys.tagNamespace, ourTagKeys(keys));
}

/**
 * The part of an instance a plan reads: its identity, state, `oke-*`
 * metadata and our namespace's tags. Writes read the instance afresh, so a
 * long listing keeps only this much of each instance in memory.
 */
export function slimForPlanning(instance: InstanceInfo, keys: TagKeys): InstanceInfo {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(instance.metadata)) if (key.startsWith('oke-')) metadata[key] = value;
  const ns = findKey(instance.definedTags, keys.tagNamespace);
  const definedTags: DefinedTags = {};
  if (ns !== undefined) setOwn(definedTags, ns, { ...instance.definedTags[ns] });
  return {
    id: instance.id,
    compartmentId: instance.compartmentId,
    displayName: instance.displayName,
    lifecycleState: instance.lifecycleState,
    timeCreated: instance.timeCreated,
    metadata,
    definedTags,
    freeformTags: {},
  };
}
