/**
 * Pool discovery for `iam`, through the domain ports: the node pools of the
 * compartments, their clusters' names and the compartments of the instances
 * behind their nodes. The lifecycle rules come from src/tagging/lifecycle.ts:
 * a DELETED or DELETING pool gets no dynamic group, a DELETED node entry
 * stands for no instance, and a TERMINATING or TERMINATED instance is gone,
 * so its compartment is not one the pool's nodes live in.
 */
import { forEachConcurrently } from '../concurrency';
import { OciCallError } from '../errors';
import { isInstanceGone, isNodeDeleted, nodePoolGetsDynamicGroup } from '../tagging/lifecycle';
import { readOkeHints } from '../tagging/membership';
import type { InstanceInfo, NodePoolSummaryInfo, PoolNode, Ports } from '../tagging/model';
import type { PoolFact } from './model';

/** Node pools read at once; each read may also read its cluster and instances. */
export const DISCOVERY_CONCURRENCY = 4;

/** Runs each load once per key; later callers share the first call's promise. */
function memoize<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const started = new Map<string, Promise<T>>();
  return (key) => {
    let pending = started.get(key);
    if (pending === undefined) {
      pending = load(key);
      started.set(key, pending);
    }
    return pending;
  };
}

/** A read that answered 404 for a resource the scope listed: it vanished, or may not be read. */
function vanished(operation: string, resourceId: string, detail: string): OciCallError {
  return new OciCallError(operation, resourceId, 404, 'NotAuthorizedOrNotFound', detail);
}

/**
 * Finds the node pools of the compartments that get a dynamic group, their
 * clusters' names and the compartments of the live instances behind their
 * nodes. Instances are matched from ListInstances of the same compartments
 * first; a node found nowhere there is read with GetInstance (a 404 just
 * leaves it unknown). Pools are read {@link DISCOVERY_CONCURRENCY} at a
 * time; the facts keep the order in which the pools were listed.
 */
export async function discoverPools(
  ports: Ports,
  compartmentIds: readonly string[],
  onProgress: (message: string) => void = () => {},
  onScopeWarning: (message: string) => void = () => {},
): Promise<PoolFact[]> {
  const listed = new Map<string, InstanceInfo>();
  const summaries: NodePoolSummaryInfo[] = [];
  const listedPools = new Set<string>();
  for (const compartmentId of compartmentIds) {
    onProgress(`reading compartment ${compartmentId}`);
    const pools = await ports.containerEngine.listNodePools(compartmentId);
    for (const pool of pools) listedPools.add(pool.id);
    summaries.push(...pools.filter((pool) => pool.id !== '' && nodePoolGetsDynamicGroup(pool.lifecycleState)));
    for (const instance of await ports.compute.listInstances(compartmentId)) listed.set(instance.id, instance);
  }
  // Instances that name a pool no listing showed: the scope is missing that pool's compartment, and its group would be missing too.
  const outside = [...listed.values()].filter((instance) => {
    const hint = readOkeHints(instance.metadata).nodePoolId;
    return hint !== undefined && !isInstanceGone(instance.lifecycleState) && !listedPools.has(hint);
  }).length;
  if (outside > 0)
    onScopeWarning(`${outside} instance(s) name node pools outside the compartments in their oke-pool-id; add the pools' compartments`);
  const readInstance = memoize(async (instanceId): Promise<InstanceInfo | undefined> => {
    const known = listed.get(instanceId);
    if (known !== undefined) return known;
    try {
      return (await ports.compute.getInstance(instanceId)).instance;
    } catch (error) {
      if (error instanceof OciCallError && error.statusCode === 404) return undefined;
      throw error;
    }
  });
  const clusterName = memoize(async (clusterId) => {
    const cluster = await ports.containerEngine.getCluster(clusterId);
    if (cluster === undefined)
      throw vanished('GetCluster', clusterId, "the cluster's name is needed for the dynamic groups, but the cluster cannot be read");
    return cluster.name;
  });
  const liveCompartments = async (nodes: readonly PoolNode[]): Promise<string[]> => {
    const compartments = new Set<string>();
    for (const node of nodes) {
      if (isNodeDeleted(node.lifecycleState)) continue;
      const instance = await readInstance(node.id);
      if (instance !== undefined && !isInstanceGone(instance.lifecycleState)) compartments.add(instance.compartmentId);
    }
    return [...compartments].sort();
  };

  const facts: (PoolFact | undefined)[] = [];
  let read = 0;
  await forEachConcurrently(summaries, DISCOVERY_CONCURRENCY, async (summary, index) => {
    const pool = await ports.containerEngine.getNodePool(summary.id);
    if (pool === undefined) throw vanished('GetNodePool', summary.id, 'the node pool was listed but cannot be read');
    // The pool may have been deleted since it was listed.
    if (nodePoolGetsDynamicGroup(pool.lifecycleState))
      facts[index] = {
        id: pool.id || summary.id,
        name: pool.name,
        clusterId: pool.clusterId,
        clusterName: await clusterName(pool.clusterId),
        compartmentId: pool.compartmentId,
        nodeCompartmentIds: await liveCompartments(pool.nodes ?? pool.nodeIds.map((id) => ({ id }))),
      };
    read += 1;
    onProgress(`read node pool ${pool.name || summary.id} (${read}/${summaries.length})`);
  });
  return facts.filter((fact) => fact !== undefined);
}
