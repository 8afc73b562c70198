/**
 * The lifecycle states OCI defines for the resources the fake serves, as the
 * API reference spells them. World files are checked against them and List
 * operations accept them as `lifecycleState` filters.
 */

export const INSTANCE_STATES: readonly string[] = [
  'MOVING',
  'PROVISIONING',
  'RUNNING',
  'STARTING',
  'STOPPING',
  'STOPPED',
  'CREATING_IMAGE',
  'TERMINATING',
  'TERMINATED',
];

/** States of a node pool's `nodes[]` entries. */
export const NODE_STATES: readonly string[] = ['CREATING', 'ACTIVE', 'UPDATING', 'DELETING', 'DELETED', 'FAILING', 'INACTIVE'];

export const NODE_POOL_STATES: readonly string[] = [
  'DELETED',
  'CREATING',
  'ACTIVE',
  'UPDATING',
  'DELETING',
  'FAILED',
  'INACTIVE',
  'NEEDS_ATTENTION',
];

export const CLUSTER_STATES: readonly string[] = ['CREATING', 'ACTIVE', 'FAILED', 'DELETING', 'DELETED', 'UPDATING'];
