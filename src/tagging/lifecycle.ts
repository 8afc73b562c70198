/**
 * Lifecycle rules, each defined once and used by the function, reconcile,
 * snapshot and iam alike. States are compared without regard to case, since
 * world files and SDK enums may spell them either way.
 */

function is(state: string | undefined, ...states: readonly string[]): boolean {
  return state !== undefined && states.includes(state.toUpperCase());
}

/** An instance is gone once it is TERMINATING or TERMINATED: it gets no tag and no write. */
export function isInstanceGone(state: string | undefined): boolean {
  return is(state, 'TERMINATING', 'TERMINATED');
}

/**
 * A DELETED node pool proves nothing (its `nodes` say nothing about who is a
 * member) and gets no dynamic group. A DELETING pool is not deleted: the
 * nodes it still lists are members and are never pruned.
 */
export function isNodePoolDeleted(state: string | undefined): boolean {
  return is(state, 'DELETED');
}

/** Whether `iam` makes a dynamic group for a pool: not for one that is DELETED or DELETING. */
export function nodePoolGetsDynamicGroup(state: string | undefined): boolean {
  return !is(state, 'DELETED', 'DELETING');
}

/** A DELETED node entry of a pool no longer stands for an instance. */
export function isNodeDeleted(state: string | undefined): boolean {
  return is(state, 'DELETED');
}

/** A DELETED cluster is left out of snapshots and scans. */
export function isClusterDeleted(state: string | undefined): boolean {
  return is(state, 'DELETED');
}

/**
 * An IAM, Events or Resource Scheduler resource (compartment, dynamic group,
 * policy, tag namespace, rule, schedule) that is DELETED or DELETING grants,
 * delivers and runs nothing.
 */
export function isResourceGone(state: string | undefined): boolean {
  return is(state, 'DELETED', 'DELETING');
}

/** Such a resource is in force only when ACTIVE; an answer without a state is taken as ACTIVE, as the APIs always send one. */
export function isResourceActive(state: string | undefined): boolean {
  return state === undefined || is(state, 'ACTIVE');
}
