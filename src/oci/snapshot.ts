/**
 * Reads a tenancy's clusters, node pools (with nodes) and instances into a
 * world file, so that a field problem can be replayed offline against the
 * embedded fake. Secrets in instance metadata are scrubbed.
 */
import { forEachConcurrently } from '../concurrency';
import { isClusterDeleted, isInstanceGone, isNodePoolDeleted } from '../tagging/lifecycle';
import type { World, WorldCluster, WorldInstance, WorldNodePool } from '../local/world';
import type { OciClients } from './clients';
import { allPages, pageParam as page } from './paging';
import { callWithRetry } from './retry';
import { type CallScope } from '../call-scope';

/** Metadata keys kept verbatim: the OKE hints the tagger reads, and harmless OKE facts. */
const KEPT_METADATA =
  /^oke-(pool-id|cluster-id|tenancy-id|k8version|cluster-display-name|ad|is-preemptible|image-name|slot|tm|initial-node-labels)$/;
export const SCRUBBED = '<scrubbed>';

/** Keeps the OKE hint keys; every other value (user_data, ssh keys, scripts, certificates…) is replaced. */
export function scrubMetadata(metadata: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const scrubbed: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    scrubbed[key] = KEPT_METADATA.test(key) && typeof value === 'string' ? value : SCRUBBED;
  }
  return scrubbed;
}

/** Plain JSON of an SDK model (dates become ISO strings). */
function json<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface SnapshotOptions {
  readonly compartmentIds: readonly string[];
  readonly tagNamespace: string;
  readonly tagKeys: readonly string[];
  readonly concurrency: number;
  readonly onProgress?: (message: string) => void;
  /** Receives every pool OCID the listings showed, deleted pools included. */
  readonly onPoolListed?: (nodePoolId: string) => void;
}

/** Reads the compartments into a world. */
export async function snapshotWorld(clients: OciClients, scope: CallScope, options: SnapshotOptions): Promise<World> {
  const clusters = new Map<string, WorldCluster>();
  const pools: WorldNodePool[] = [];
  const instances = new Map<string, WorldInstance>();

  for (const compartmentId of options.compartmentIds) {
    options.onProgress?.(`reading compartment ${compartmentId}`);
    const listed = await allPages(scope, 'ListClusters', compartmentId, (token) =>
      clients.containerEngine.listClusters({ compartmentId, limit: 1000, ...page(token) }),
    );
    for (const cluster of listed)
      if (cluster.id && !isClusterDeleted(cluster.lifecycleState)) clusters.set(cluster.id, json<WorldCluster>(cluster));

    const summaries = await allPages(scope, 'ListNodePools', compartmentId, (token) =>
      clients.containerEngine.listNodePools({ compartmentId, limit: 1000, ...page(token) }),
    );
    for (const summary of summaries) if (summary.id !== undefined) options.onPoolListed?.(summary.id);
    const live = summaries.filter((summary) => summary.id !== undefined && !isNodePoolDeleted(summary.lifecycleState));
    await forEachConcurrently(live, options.concurrency, async (summary) => {
      const nodePoolId = summary.id as string;
      const { nodePool } = await callWithRetry(scope, 'GetNodePool', nodePoolId, () => clients.containerEngine.getNodePool({ nodePoolId }));
      pools.push({ ...json<WorldNodePool>(nodePool), nodes: json<WorldNodePool['nodes']>(nodePool.nodes ?? []) });
      options.onProgress?.(`read node pool ${nodePool.name ?? nodePoolId} (${pools.length}/${live.length})`);
    });

    const listedInstances = await allPages(scope, 'ListInstances', compartmentId, (token) =>
      clients.compute.listInstances({ compartmentId, limit: 1000, ...page(token) }),
    );
    for (const instance of listedInstances) {
      if (isInstanceGone(instance.lifecycleState)) continue;
      const plain = json<WorldInstance>(instance);
      delete plain.extendedMetadata;
      instances.set(instance.id, {
        ...plain,
        metadata: scrubMetadata(instance.metadata),
        definedTags: plain.definedTags ?? {},
        freeformTags: plain.freeformTags ?? {},
      });
    }
  }

  for (const pool of pools) {
    if (!clusters.has(pool.clusterId)) {
      const clusterId = pool.clusterId;
      const { cluster } = await callWithRetry(scope, 'GetCluster', clusterId, () => clients.containerEngine.getCluster({ clusterId }));
      clusters.set(clusterId, json<WorldCluster>(cluster));
    }
  }

  const world: World = {
    clusters: [...clusters.values()],
    nodePools: pools.sort((a, b) => a.id.localeCompare(b.id)),
    instances: [...instances.values()],
    tagNamespaces: inferTagNamespaces([...instances.values()], options.tagNamespace, options.tagKeys),
  };
  return world;
}

/**
 * The tag catalogue a snapshot needs: every namespace and key in use, plus
 * our namespace and keys, so that no Identity API call is needed. Oracle's
 * default tags are accepted by the fake without being listed.
 */
export function inferTagNamespaces(
  instances: readonly WorldInstance[],
  namespace: string,
  keys: readonly string[],
): World['tagNamespaces'] {
  const catalogue = new Map<string, Set<string>>([[namespace, new Set(keys)]]);
  for (const instance of instances) {
    for (const [ns, values] of Object.entries(instance.definedTags ?? {})) {
      if (ns === 'Oracle-Tags') continue;
      const known = catalogue.get(ns) ?? new Set<string>();
      for (const key of Object.keys(values)) known.add(key);
      catalogue.set(ns, known);
    }
  }
  return Object.fromEntries([...catalogue].map(([ns, set]) => [ns, { keys: [...set].sort(), retired: false }]));
}
