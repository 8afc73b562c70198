/**
 * The pure per-instance plan of reconcile: given an instance and the pool
 * that lists it (if any), which of `tag`, `fix`, `prune` or `ok` it needs.
 */
import type { InstanceInfo, NodePoolInfo } from './model';
import { decideTags, hasDesiredTags, ourTagValues, type TagKeys } from './tags';

export type ReconcileAction = 'tag' | 'fix' | 'prune' | 'ok' | 'unknown';
export const RECONCILE_ACTIONS: readonly ReconcileAction[] = ['tag', 'fix', 'prune', 'ok', 'unknown'];

/** One instance's planned (and possibly applied) action. */
export interface PlannedAction {
  readonly instanceId: string;
  readonly instanceName?: string | undefined;
  readonly action: ReconcileAction;
  /** Our keys' current values (absent keys left out). */
  readonly from: Readonly<Record<string, unknown>>;
  /** Our keys' wanted values; empty for a prune. */
  readonly to: Readonly<Record<string, string>>;
  readonly nodePoolId?: string | undefined;
  readonly nodePoolName?: string | undefined;
  /** True once written; false in a dry run, for `ok`, and for a prune without --prune. */
  readonly applied: boolean;
  /** Why applying failed, when it did; the run goes on. */
  readonly error?: string;
  /** Why membership is unknown (action `unknown`) or why the instance is a prune candidate. */
  readonly reason?: string;
}

/** A plan before it is applied. */
export type InstancePlan = Omit<PlannedAction, 'applied'>;

/**
 * The plan for one instance: `pool` is the pool that lists it, if any.
 * A member gets `ok`, `tag` (none of our keys yet) or `fix` (a stale value);
 * a non-member carrying any of our keys is a `prune` candidate.
 */
export function planInstance(
  instance: InstanceInfo,
  pool: NodePoolInfo | undefined,
  keys: TagKeys,
  clusterName: string | undefined,
): InstancePlan {
  const from = ourTagValues(instance.definedTags, keys);
  const base = { instanceId: instance.id, instanceName: instance.displayName, from };
  if (pool === undefined) return { ...base, action: Object.keys(from).length > 0 ? 'prune' : 'ok', to: {} };
  const desired = decideTags(keys, pool.name, clusterName);
  const member = { ...base, nodePoolId: pool.id, nodePoolName: pool.name, to: desired.values };
  if (hasDesiredTags(instance.definedTags, desired)) return { ...member, action: 'ok' };
  return { ...member, action: Object.keys(from).length === 0 ? 'tag' : 'fix' };
}
