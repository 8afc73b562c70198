/**
 * The use case behind a launch event: find the node pool that really contains
 * the instance and make its defined tags say so, changing nothing else.
 */
import type { Deadline, Sleep } from '../deadline';
import { ClusterNotFoundError } from '../errors';
import { findNodePoolForInstance } from './find-node-pool';
import { isInstanceGone } from './lifecycle';
import type { ClusterInfo, ComputePort, ContainerEnginePort } from './model';
import { decideTags, hasDesiredTags, ourTagValues, setDesiredTags, type TagKeys } from './tags';
import { writeDefinedTags } from './write-tags';

export type TagOutcome = 'tagged' | 'unchanged' | 'would-tag' | 'not-in-node-pool' | 'gone';

export interface TagInstanceResult {
  readonly outcome: TagOutcome;
  readonly instanceId: string;
  /** The instance's display name, for people reading results and logs. */
  readonly instanceName?: string;
  readonly nodePoolId?: string;
  readonly nodePoolName?: string;
  readonly clusterId?: string;
  readonly clusterName?: string;
  /** Our keys and the values that were (or would be) set. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Our keys' values before the write, where they differed. */
  readonly previousTags?: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly foundVia?: 'hint' | 'scan';
  readonly searchedCompartments?: readonly string[];
}

export interface TagInstanceDeps {
  readonly compute: ComputePort;
  readonly containerEngine: ContainerEnginePort;
  readonly keys: TagKeys;
  readonly dryRun: boolean;
  readonly extraCompartmentIds: readonly string[];
  readonly membershipWaitMs: number;
  readonly deadline: Deadline;
  readonly sleep: Sleep;
}

export { MAX_TAG_WRITES } from './write-tags';
/** GetNodePool calls in flight at once during a scan. */
export const SCAN_CONCURRENCY = 4;
/** Time kept back after the pool search for GetCluster and the write. */
const SEARCH_RESERVE_MS = 1500;

/**
 * Tags one instance with its node pool's name (and cluster name when
 * configured). Costs one GetInstance for a non-OKE instance or one that is
 * already gone (TERMINATING or TERMINATED), and GetInstance,
 * GetNodePool and at most one UpdateInstance for a node whose hint is right.
 */
export async function tagInstance(deps: TagInstanceDeps, instanceId: string): Promise<TagInstanceResult> {
  const snapshot = await deps.compute.getInstance(instanceId);
  const named = snapshot.instance.displayName === undefined ? {} : { instanceName: snapshot.instance.displayName };
  if (isInstanceGone(snapshot.instance.lifecycleState)) {
    return { outcome: 'gone', instanceId, ...named, reason: `the instance is ${snapshot.instance.lifecycleState ?? ''}: it gets no tag` };
  }
  const search = await findNodePoolForInstance(snapshot.instance, deps.containerEngine, {
    extraCompartmentIds: deps.extraCompartmentIds,
    membershipWaitMs: deps.membershipWaitMs,
    scanConcurrency: SCAN_CONCURRENCY,
    deadline: deps.deadline,
    sleep: deps.sleep,
    reserveMs: SEARCH_RESERVE_MS,
  });
  if (!search.found) {
    return { outcome: 'not-in-node-pool', instanceId, ...named, reason: search.reason, searchedCompartments: search.searchedCompartments };
  }
  const { pool } = search;
  let cluster: ClusterInfo | undefined;
  if (deps.keys.clusterTagName !== undefined) {
    cluster = search.clusters.get(pool.clusterId) ?? (await deps.containerEngine.getCluster(pool.clusterId));
    if (cluster === undefined) throw new ClusterNotFoundError(pool.clusterId);
  }
  const desired = decideTags(deps.keys, pool.name, cluster?.name);
  const found = {
    instanceId,
    ...named,
    nodePoolId: pool.id,
    nodePoolName: pool.name,
    clusterId: pool.clusterId,
    ...(cluster ? { clusterName: cluster.name } : {}),
    tags: desired.values,
    foundVia: search.via,
  };

  if (hasDesiredTags(snapshot.instance.definedTags, desired)) return { outcome: 'unchanged', ...found };
  if (deps.dryRun) return { outcome: 'would-tag', ...found, previousTags: ourTagValues(snapshot.instance.definedTags, deps.keys) };
  const write = await writeDefinedTags(deps.compute, instanceId, setDesiredTags(desired), { snapshot });
  if (!write.written) return { outcome: 'unchanged', ...found };
  return { outcome: 'tagged', ...found, previousTags: ourTagValues(write.snapshot.instance.definedTags, deps.keys) };
}
