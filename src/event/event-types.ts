/** The OCI Events types this project knows, each spelled once. */

/** A compute instance finished launching: the event the function tags on. */
export const LAUNCH_EVENT_TYPE = 'com.oraclecloud.computeapi.launchinstance.end';

/** A compute instance finished terminating: a type the function receives from a broad rule and ignores. */
export const TERMINATE_EVENT_TYPE = 'com.oraclecloud.computeapi.terminateinstance.end';

/** Someone changed an instance (its tags included); no `.begin`/`.end` suffix. Our own writes raise it too. */
export const UPDATE_INSTANCE_EVENT_TYPE = 'com.oraclecloud.computeapi.updateinstance';

/** A node pool was updated: every autoscaler resize, and the rare rename. */
export const UPDATE_NODE_POOL_EVENT_TYPE = 'com.oraclecloud.clustersapi.updatenodepool.end';

/** A cluster was updated, perhaps renamed: it matters only with `cluster_tag_name`. */
export const UPDATE_CLUSTER_EVENT_TYPE = 'com.oraclecloud.clustersapi.updatecluster.end';

/** What each event type the function acts on names in `data.resourceId`. */
export const ENFORCED_EVENT_TYPES = Object.freeze({
  [LAUNCH_EVENT_TYPE]: { kind: 'launch', resource: 'instance' },
  [UPDATE_INSTANCE_EVENT_TYPE]: { kind: 'instance-updated', resource: 'instance' },
  [UPDATE_NODE_POOL_EVENT_TYPE]: { kind: 'pool-updated', resource: 'nodepool' },
  [UPDATE_CLUSTER_EVENT_TYPE]: { kind: 'cluster-updated', resource: 'cluster' },
} as const);

/** Instance events subscribe in the compartments that hold instances; pool and cluster events where the pools are. */
export const INSTANCE_EVENT_TYPES: readonly string[] = [LAUNCH_EVENT_TYPE, UPDATE_INSTANCE_EVENT_TYPE];
export const NODE_POOL_EVENT_TYPES: readonly string[] = [UPDATE_NODE_POOL_EVENT_TYPE, UPDATE_CLUSTER_EVENT_TYPE];
