/**
 * The use case behind node-pool and cluster events. The cluster autoscaler
 * resizes pools through UpdateNodePool, so `updatenodepool.end` arrives on
 * every scale step; a rename is the rare case. A pool event costs one
 * GetNodePool, the ListInstances pages of the pool's compartment, and two
 * calls per node whose tags change: nodes whose tags are right cost nothing
 * more. It only ever sets tags on the pool's own listed nodes; removal is
 * left to instance events and reconcile, which prove non-membership.
 */
import { forEachConcurrently } from '../concurrency';
import type { Deadline } from '../deadline';
import { ClusterNotFoundError, DeadlineError, OciCallError } from '../errors';
import { isInstanceGone, isNodePoolDeleted } from './lifecycle';
import { incompleteReason } from './membership';
import type { ClusterInfo, ComputePort, ContainerEnginePort, InstanceInfo, NodePoolInfo } from './model';
import { decideTags, hasDesiredTags, ourTagValues, readTag, setDesiredTags, type DesiredTags, type TagKeys } from './tags';
import { writeDefinedTags } from './write-tags';

export interface EnforcePoolDeps {
  readonly compute: ComputePort;
  readonly containerEngine: ContainerEnginePort;
  readonly keys: TagKeys;
  readonly dryRun: boolean;
  /** Compartments whose pools are in scope for the name-collision check, besides the pool's own. */
  readonly extraCompartmentIds: readonly string[];
  /** Writes in flight at once. */
  readonly concurrency: number;
  readonly deadline: Deadline;
  /** Time kept back before the deadline to answer; what does not fit is left to the schedule. */
  readonly reserveMs: number;
}

/** Why a pool's nodes were left as they are, or what was found on the way. */
export interface PoolNotice {
  readonly level: 'warn' | 'error';
  readonly msg: 'node pool renamed' | 'node pool name collision' | 'node pool incomplete';
  readonly [field: string]: unknown;
}

export interface PoolEnforcement {
  readonly outcome: 'reconciled' | 'reported';
  readonly nodePoolId: string;
  readonly nodePoolName?: string;
  readonly clusterId?: string;
  readonly counts: { readonly tag: number; readonly fix: number; readonly ok: number };
  readonly applied: number;
  /** Nodes whose write failed (after every retry); the other nodes were still written. */
  readonly failed?: number;
  readonly failures?: readonly { readonly resourceId: string; readonly error: string }[];
  /** Nodes listed by the pool whose instances are not in its compartment's instance list. */
  readonly unseenNodes: number;
  /** False when the deadline left some nodes to the schedule, or the pool listed nodes without an id. */
  readonly complete: boolean;
  readonly renamedFrom?: readonly string[];
  readonly reason?: string;
  readonly notices: readonly PoolNotice[];
}

/** Failures kept in an answer; the count covers all of them. */
const MAX_REPORTED_FAILURES = 20;

/** Enforces the tags of one pool's nodes (the `updatenodepool.end` use case). */
export async function enforcePool(deps: EnforcePoolDeps, nodePoolId: string, knownCluster?: ClusterInfo): Promise<PoolEnforcement> {
  const pool = await deps.containerEngine.getNodePool(nodePoolId);
  if (pool === undefined) {
    throw new OciCallError(
      'GetNodePool',
      nodePoolId,
      404,
      'NotAuthorizedOrNotFound',
      'the pool is missing or may not be read (grant read cluster-family)',
    );
  }
  const base = { nodePoolId, nodePoolName: pool.name, clusterId: pool.clusterId };
  const none = { tag: 0, fix: 0, ok: 0 };
  if (isNodePoolDeleted(pool.lifecycleState)) {
    return {
      outcome: 'reconciled',
      ...base,
      counts: none,
      applied: 0,
      unseenNodes: 0,
      complete: true,
      reason: 'the pool is DELETED',
      notices: [],
    };
  }
  const cluster = deps.keys.clusterTagName === undefined ? undefined : (knownCluster ?? (await readCluster(deps, pool.clusterId)));
  const desired = decideTags(deps.keys, pool.name, cluster?.name);
  const instances = await readPoolInstances(deps, pool);

  const counts = { ...none };
  const changes: InstanceInfo[] = [];
  let unseenNodes = 0;
  for (const nodeId of pool.nodeIds) {
    const instance = instances.get(nodeId);
    if (instance === undefined) unseenNodes += 1;
    else if (isInstanceGone(instance.lifecycleState)) continue;
    else if (hasDesiredTags(instance.definedTags, desired)) counts.ok += 1;
    else {
      changes.push(instance);
      counts[Object.keys(ourTagValues(instance.definedTags, deps.keys)).length === 0 ? 'tag' : 'fix'] += 1;
    }
  }
  const notices: PoolNotice[] = [];
  const incomplete = incompleteReason(pool);
  if (incomplete !== undefined) notices.push({ level: 'warn', msg: 'node pool incomplete', nodePoolId, detail: incomplete });

  const oldNames = [...new Set(changes.map((instance) => readTag(instance.definedTags, deps.keys.tagNamespace, deps.keys.tagName)))].filter(
    (value): value is string => typeof value === 'string' && value !== pool.name,
  );
  const clusterKey = deps.keys.clusterTagName;
  const oldClusterNames =
    clusterKey === undefined || cluster === undefined
      ? []
      : changes
          .map((instance) => readTag(instance.definedTags, deps.keys.tagNamespace, clusterKey))
          .filter((value): value is string => typeof value === 'string' && value !== cluster.name);
  // A rename of the pool, or of its cluster under the cluster key, could move the nodes into another pool's group.
  if (oldNames.length > 0 || oldClusterNames.length > 0) {
    const rival = await findNameRival(deps, pool, cluster);
    if (rival !== undefined) {
      notices.push({ level: 'error', msg: 'node pool name collision', nodePoolId, nodePoolName: pool.name, otherNodePoolId: rival.id });
      return {
        outcome: 'reported',
        ...base,
        counts,
        applied: 0,
        unseenNodes,
        complete: false,
        renamedFrom: oldNames,
        reason: `another live node pool in scope, ${rival.id}, would carry the same tags ("${pool.name}"${cluster === undefined ? '' : ` in a cluster named "${cluster.name}"`}): tagging these nodes would move them into its dynamic group, so nothing was written`,
        notices,
      };
    }
    if (oldNames.length > 0) notices.push({ level: 'warn', msg: 'node pool renamed', nodePoolId, oldNames, newName: pool.name });
  }

  const applied = deps.dryRun ? { applied: 0, complete: true, failures: [] } : await writeChanges(deps, changes, desired);
  return {
    outcome: 'reconciled',
    ...base,
    counts,
    applied: applied.applied,
    failed: applied.failures.length,
    ...(applied.failures.length > 0 ? { failures: applied.failures.slice(0, MAX_REPORTED_FAILURES) } : {}),
    unseenNodes,
    complete: applied.complete && incomplete === undefined,
    ...(oldNames.length > 0 ? { renamedFrom: oldNames } : {}),
    notices,
  };
}

/**
 * The instances behind the pool's nodes: the pool's compartment is listed
 * first; a node not found there is read once, and its compartment listed
 * too, so nodes that live apart from their pool cost one GetInstance and one
 * listing per compartment rather than one read each.
 */
async function readPoolInstances(deps: EnforcePoolDeps, pool: NodePoolInfo): Promise<Map<string, InstanceInfo>> {
  const instances = new Map<string, InstanceInfo>();
  const listed = new Set<string>();
  const list = async (compartmentId: string) => {
    listed.add(compartmentId);
    for (const instance of await deps.compute.listInstances(compartmentId)) instances.set(instance.id, instance);
  };
  await list(pool.compartmentId);
  for (const nodeId of pool.nodeIds) {
    if (instances.has(nodeId)) continue;
    const instance = await readInstanceIfExists(deps, nodeId);
    if (instance === undefined) continue;
    if (listed.has(instance.compartmentId)) instances.set(instance.id, instance);
    else await list(instance.compartmentId);
  }
  return instances;
}

/** The instance, or undefined when GetInstance answers 404 (a node whose instance is already gone counts as unseen). */
async function readInstanceIfExists(deps: EnforcePoolDeps, instanceId: string): Promise<InstanceInfo | undefined> {
  try {
    return (await deps.compute.getInstance(instanceId)).instance;
  } catch (error) {
    if (error instanceof OciCallError && error.statusCode === 404) return undefined;
    throw error;
  }
}

/** Sets the desired tags on `changes` within the deadline; the rest is left to the schedule. */
async function writeChanges(
  deps: EnforcePoolDeps,
  changes: readonly InstanceInfo[],
  desired: DesiredTags,
): Promise<{ applied: number; complete: boolean; failures: { resourceId: string; error: string }[] }> {
  let applied = 0;
  let cutOff = false;
  const failures: { resourceId: string; error: string }[] = [];
  const outOfTime = () => deps.deadline.remainingMs() < deps.reserveMs;
  try {
    await forEachConcurrently(
      changes,
      deps.concurrency,
      async (instance) => {
        try {
          const write = await writeDefinedTags(deps.compute, instance.id, setDesiredTags(desired));
          if (write.written) applied += 1;
        } catch (error) {
          // One node that keeps failing (a 429 storm, a node going away) must not stop the others.
          if (error instanceof DeadlineError) throw error;
          failures.push({ resourceId: instance.id, error: error instanceof Error ? error.message : String(error) });
        }
      },
      { stop: () => (cutOff ||= outOfTime()) },
    );
  } catch (error) {
    if (!(error instanceof DeadlineError)) throw error;
    cutOff = true;
  }
  return { applied, complete: !cutOff && failures.length === 0, failures };
}

/** Another live pool in scope whose tags would be the same as this pool's (same name, and same cluster name with the cluster tag). */
async function findNameRival(
  deps: EnforcePoolDeps,
  pool: NodePoolInfo,
  cluster: ClusterInfo | undefined,
): Promise<{ id: string } | undefined> {
  const compartments = [...new Set([pool.compartmentId, ...deps.extraCompartmentIds])];
  for (const compartmentId of compartments) {
    for (const other of await deps.containerEngine.listNodePools(compartmentId)) {
      if (other.id === pool.id || other.name !== pool.name || isNodePoolDeleted(other.lifecycleState)) continue;
      if (cluster === undefined) return other;
      if (other.clusterId === pool.clusterId) return other;
      const otherCluster = await deps.containerEngine.getCluster(other.clusterId);
      if (otherCluster?.name === cluster.name) return other;
    }
  }
  return undefined;
}

async function readCluster(deps: EnforcePoolDeps, clusterId: string): Promise<ClusterInfo> {
  const cluster = await deps.containerEngine.getCluster(clusterId);
  if (cluster === undefined) throw new ClusterNotFoundError(clusterId);
  return cluster;
}

export interface ClusterEnforcement {
  readonly outcome: 'reconciled';
  readonly clusterId: string;
  readonly clusterName: string;
  readonly pools: readonly PoolEnforcement[];
  readonly complete: boolean;
}

/** Enforces every pool of a cluster (the `updatecluster.end` use case, with the cluster tag). */
export async function enforceCluster(deps: EnforcePoolDeps, clusterId: string): Promise<ClusterEnforcement> {
  const cluster = await readCluster(deps, clusterId);
  const pools = (await deps.containerEngine.listNodePools(cluster.compartmentId, clusterId)).filter(
    (pool) => !isNodePoolDeleted(pool.lifecycleState),
  );
  const results: PoolEnforcement[] = [];
  for (const pool of pools) {
    if (deps.deadline.remainingMs() < deps.reserveMs) break;
    results.push(await enforcePool(deps, pool.id, cluster));
  }
  return {
    outcome: 'reconciled',
    clusterId,
    clusterName: cluster.name,
    pools: results,
    complete: results.length === pools.length && results.every((result) => result.complete),
  };
}
