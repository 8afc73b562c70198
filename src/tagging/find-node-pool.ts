/**
 * Finds the OKE node pool that really contains an instance. Membership is
 * what the Container Engine API says (the instance's OCID is in the pool's
 * `nodes`); the instance's `oke-pool-id` metadata is only a hint that makes
 * the common case cost one GetNodePool.
 */
import type { Deadline, Sleep } from '../deadline';
import { forEachConcurrently } from '../concurrency';
import { isOcid } from '../ocid';
import { isNodePoolDeleted } from './lifecycle';
import type { ClusterInfo, ContainerEnginePort, InstanceInfo, NodePoolInfo, NodePoolSummaryInfo } from './model';

export interface FindNodePoolOptions {
  /** Compartments searched besides the instance's and its cluster's. */
  readonly extraCompartmentIds: readonly string[];
  /** How long to keep re-checking a hinted pool that does not list the instance yet. */
  readonly membershipWaitMs: number;
  /** GetNodePool calls in flight at once during a scan. */
  readonly scanConcurrency: number;
  readonly deadline: Deadline;
  readonly sleep: Sleep;
  /** Time to keep for the work after the search (reading the cluster, writing tags). */
  readonly reserveMs: number;
}

export type NodePoolSearch =
  | {
      readonly found: true;
      readonly pool: NodePoolInfo;
      readonly via: 'hint' | 'scan';
      readonly clusters: ReadonlyMap<string, ClusterInfo>;
    }
  | {
      readonly found: false;
      readonly reason: string;
      readonly searchedCompartments: readonly string[];
      readonly clusters: ReadonlyMap<string, ClusterInfo>;
    };

/** The OKE hints in an instance's metadata, validated as strictly as an event's resourceId. */
export interface OkeHints {
  readonly nodePoolId: string | undefined;
  readonly clusterId: string | undefined;
  /** True when any `oke-*` metadata key is present, valid or not. */
  readonly hasOkeMetadata: boolean;
}

/** Reads the OKE hints from instance metadata. Malformed values are dropped, never used. */
export function readOkeHints(metadata: Readonly<Record<string, string>>): OkeHints {
  const pool = metadata['oke-pool-id'];
  const cluster = metadata['oke-cluster-id'];
  return {
    nodePoolId: isOcid(pool, 'nodepool') ? pool : undefined,
    clusterId: isOcid(cluster, 'cluster') ? cluster : undefined,
    hasOkeMetadata: Object.keys(metadata).some((key) => key.startsWith('oke-')),
  };
}

/** Re-check delays for a hinted pool that does not list the instance yet. */
export function membershipRecheckDelays(totalMs: number): number[] {
  const delays: number[] = [];
  let spent = 0;
  for (let delay = 250; spent < totalMs; delay = Math.min(delay * 2, 2000)) {
    const next = Math.min(delay, totalMs - spent);
    delays.push(next);
    spent += next;
  }
  return delays;
}

/**
 * Finds the node pool whose `nodes` list the instance: first the hinted pool
 * (re-checked a few times within `membershipWaitMs`, since a new node may be
 * listed late), then, only when the instance shows OKE signs, a scan of the
 * node pools in the instance's compartment, its cluster's compartment and the
 * configured ones.
 */
export async function findNodePoolForInstance(
  instance: InstanceInfo,
  containerEngine: ContainerEnginePort,
  options: FindNodePoolOptions,
): Promise<NodePoolSearch> {
  const clusters = new Map<string, ClusterInfo>();
  const hints = readOkeHints(instance.metadata);
  if (!hints.hasOkeMetadata) {
    return {
      found: false,
      reason: 'the instance has no OKE metadata (oke-pool-id, oke-cluster-id), so it is not a managed OKE node',
      searchedCompartments: [],
      clusters,
    };
  }

  let hintedPoolChecked: string | undefined;
  if (hints.nodePoolId !== undefined) {
    const pool = await waitForMembership(instance.id, hints.nodePoolId, containerEngine, options);
    if (pool) return { found: true, pool, via: 'hint', clusters };
    hintedPoolChecked = hints.nodePoolId;
  }

  const compartments = [instance.compartmentId];
  let clusterFilter = hints.clusterId;
  if (hints.clusterId !== undefined) {
    const cluster = await containerEngine.getCluster(hints.clusterId);
    if (cluster) {
      clusters.set(cluster.id, cluster);
      compartments.push(cluster.compartmentId);
    } else {
      clusterFilter = undefined;
    }
  }
  compartments.push(...options.extraCompartmentIds);
  const searched = [...new Set(compartments.filter((id) => id !== ''))];

  // The hinted pool is not skipped: a node that its pool lists only after the wait is still found here.
  const seen = new Set<string>();
  for (const compartmentId of searched) {
    const summaries = (await containerEngine.listNodePools(compartmentId, clusterFilter)).filter((pool) => !seen.has(pool.id));
    for (const pool of summaries) seen.add(pool.id);
    const pool = await firstPoolListing(instance.id, summaries, containerEngine, options.scanConcurrency);
    if (pool) return { found: true, pool, via: 'scan', clusters };
  }

  const hintNote = hintedPoolChecked === undefined ? '' : `; its oke-pool-id ${hintedPoolChecked} does not list it`;
  const scope = clusterFilter === undefined ? '' : ` of cluster ${clusterFilter}`;
  return {
    found: false,
    reason: `no node pool${scope} lists the instance${hintNote}; searched compartments ${searched.join(', ')}`,
    searchedCompartments: searched,
    clusters,
  };
}

async function waitForMembership(
  instanceId: string,
  nodePoolId: string,
  containerEngine: ContainerEnginePort,
  options: FindNodePoolOptions,
): Promise<NodePoolInfo | undefined> {
  const delays = membershipRecheckDelays(options.membershipWaitMs);
  for (let check = 0; ; check += 1) {
    const pool = await containerEngine.getNodePool(nodePoolId);
    if (pool === undefined || isNodePoolDeleted(pool.lifecycleState)) return undefined;
    if (listsInstance(pool, instanceId)) return pool;
    const delay = delays[check];
    if (delay === undefined || options.deadline.remainingMs() - delay < options.reserveMs) return undefined;
    await options.sleep(delay);
  }
}

/** GetNodePool over `pools` with at most `concurrency` calls in flight; stops starting calls at the first pool that lists the instance. */
async function firstPoolListing(
  instanceId: string,
  pools: readonly NodePoolSummaryInfo[],
  containerEngine: ContainerEnginePort,
  concurrency: number,
): Promise<NodePoolInfo | undefined> {
  let found: NodePoolInfo | undefined;
  await forEachConcurrently(
    pools,
    concurrency,
    async (summary) => {
      const pool = await containerEngine.getNodePool(summary.id);
      if (pool !== undefined && listsInstance(pool, instanceId)) found ??= pool;
    },
    { stop: () => found !== undefined },
  );
  return found;
}

/** Membership: a pool that is not deleted lists the instance among its nodes. */
export function listsInstance(pool: NodePoolInfo, instanceId: string): boolean {
  return !isNodePoolDeleted(pool.lifecycleState) && pool.nodeIds.includes(instanceId);
}
