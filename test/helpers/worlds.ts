/**
 * Builders for fake OCI worlds: clusters, node pools with nodes, the compute
 * instances behind them (with the `oke-*` metadata OKE sets), and the tag
 * namespace catalogue. OCIDs are deterministic, realistic in shape and pass
 * `isOcid` from `src/ocid.ts`.
 */
import { createHash } from 'node:crypto';
import type { World, WorldCluster, WorldInstance, WorldNodePool, WorldTagNamespace } from '../../src/local/world';

/** The namespace and key the tagger writes; the catalogue of {@link buildWorld} declares them by default. */
export const NODEPOOL_TAG_NAMESPACE = 'oke-nodepool-tags';
export const NODEPOOL_TAG_KEY = 'oke-nodepool-name';

export const TEST_COMPARTMENT_ID = fakeOcid('compartment', 'default', '');
export const TEST_TENANCY_OCID = fakeOcid('tenancy', 'default', '');

/**
 * A deterministic OCID: `ocid1.<type>.oc1.<region>.aaaaaaaa<52 hex chars from seed>`.
 * Compartments and tenancies have an empty region segment, as in OCI.
 */
export function fakeOcid(type: string, seed: string, region = 'iad'): string {
  const unique = createHash('sha256').update(`${type}/${seed}`).digest('hex').slice(0, 52);
  return `ocid1.${type}.oc1.${region}.aaaaaaaa${unique}`;
}

export interface BuildWorldOptions {
  /** Clusters; pools are spread over them round-robin. Default 1. */
  readonly clusters?: number;
  /** Node pools in total. Default 1. */
  readonly pools?: number;
  /** Nodes (and backing instances) per pool. Default 1. */
  readonly nodesPerPool?: number;
  /** Instances in no node pool and without `oke-*` metadata. Default 0. */
  readonly selfManagedInstances?: number;
  /** Compartment of every resource. Default {@link TEST_COMPARTMENT_ID}. */
  readonly compartmentId?: string;
  /** Varies every OCID, so two worlds built with different seeds share none. Default ''. */
  readonly seed?: string;
  /** The tag catalogue. Default: {@link NODEPOOL_TAG_NAMESPACE} with {@link NODEPOOL_TAG_KEY}, not retired. */
  readonly tagNamespaces?: Record<string, WorldTagNamespace>;
  /**
   * Defined tags every instance starts with. Default: the tenancy's default
   * tags `Oracle-Tags.CreatedBy/CreatedOn`, which a writer must preserve.
   */
  readonly instanceDefinedTags?: Record<string, Record<string, unknown>>;
}

/** A world of `clusters` clusters, `pools` node pools of `nodesPerPool` running nodes each, and their instances. */
export function buildWorld(options: BuildWorldOptions = {}): World {
  const seed = options.seed ?? '';
  const compartmentId = options.compartmentId ?? TEST_COMPARTMENT_ID;
  const definedTags = options.instanceDefinedTags ?? {
    'Oracle-Tags': { CreatedBy: 'oke-service', CreatedOn: '2024-05-01T10:00:00.000Z' },
  };
  const clusters: WorldCluster[] = Array.from({ length: options.clusters ?? 1 }, (_, index) => ({
    id: fakeOcid('cluster', `${seed}/cluster-${index}`),
    name: `cluster-${index + 1}`,
    compartmentId,
    lifecycleState: 'ACTIVE',
    kubernetesVersion: 'v1.30.1',
  }));
  const instances: WorldInstance[] = [];
  const nodePools: WorldNodePool[] = Array.from({ length: options.pools ?? 1 }, (_, poolIndex) => {
    const cluster = clusters[poolIndex % clusters.length];
    if (cluster === undefined) throw new Error('buildWorld: node pools need at least one cluster');
    const poolId = fakeOcid('nodepool', `${seed}/pool-${poolIndex}`);
    const nodes = Array.from({ length: options.nodesPerPool ?? 1 }, (_, nodeIndex) => {
      const instanceId = fakeOcid('instance', `${seed}/pool-${poolIndex}/node-${nodeIndex}`);
      const name = `oke-${poolId.slice(-11)}-${nodeIndex}`;
      instances.push(
        instance(instanceId, compartmentId, name, definedTags, {
          'oke-pool-id': poolId,
          'oke-cluster-id': cluster.id,
          'oke-tenancy-id': TEST_TENANCY_OCID,
          'oke-cluster-display-name': cluster.name,
          'oke-k8version': 'v1.30.1',
          'oke-ad': 'Uocm:US-ASHBURN-AD-1',
          'oke-is-preemptible': 'false',
          'oke-slot': String(nodeIndex),
        }),
      );
      return { id: instanceId, name, lifecycleState: 'ACTIVE', availabilityDomain: 'Uocm:US-ASHBURN-AD-1' };
    });
    return {
      id: poolId,
      name: `pool-${poolIndex + 1}`,
      clusterId: cluster.id,
      compartmentId,
      lifecycleState: 'ACTIVE',
      kubernetesVersion: 'v1.30.1',
      nodeShape: 'VM.Standard.E4.Flex',
      nodes,
    };
  });
  for (let index = 0; index < (options.selfManagedInstances ?? 0); index += 1) {
    instances.push(
      instance(fakeOcid('instance', `${seed}/self-managed-${index}`), compartmentId, `self-managed-${index + 1}`, definedTags, {}),
    );
  }
  return {
    clusters,
    nodePools,
    instances,
    tagNamespaces: options.tagNamespaces ?? { [NODEPOOL_TAG_NAMESPACE]: { keys: [NODEPOOL_TAG_KEY], retired: false } },
  };
}

function instance(
  id: string,
  compartmentId: string,
  displayName: string,
  definedTags: Record<string, Record<string, unknown>>,
  metadata: Record<string, string>,
): WorldInstance {
  return {
    id,
    compartmentId,
    displayName,
    availabilityDomain: 'Uocm:US-ASHBURN-AD-1',
    faultDomain: 'FAULT-DOMAIN-1',
    lifecycleState: 'RUNNING',
    shape: 'VM.Standard.E4.Flex',
    region: 'iad',
    timeCreated: '2024-05-01T10:00:00.000Z',
    metadata,
    definedTags: structuredClone(definedTags),
    freeformTags: {},
  };
}

/** The node pool at `index`; throws instead of returning undefined so tests stay short. */
export function poolAt(world: World, index: number): WorldNodePool {
  const pool = world.nodePools[index];
  if (pool === undefined) throw new Error(`world has no node pool #${index}`);
  return pool;
}

/** The cluster at `index`. */
export function clusterAt(world: World, index: number): WorldCluster {
  const cluster = world.clusters[index];
  if (cluster === undefined) throw new Error(`world has no cluster #${index}`);
  return cluster;
}

/** The instance backing node `nodeIndex` of pool `poolIndex`. */
export function nodeInstanceAt(world: World, poolIndex: number, nodeIndex: number): WorldInstance {
  const node = poolAt(world, poolIndex).nodes[nodeIndex];
  const found = world.instances.find((candidate) => candidate.id === node?.id);
  if (found === undefined) throw new Error(`world has no instance for node ${nodeIndex} of pool #${poolIndex}`);
  return found;
}

/** The instance with `displayName`. */
export function instanceNamed(world: World, displayName: string): WorldInstance {
  const found = world.instances.find((candidate) => candidate.displayName === displayName);
  if (found === undefined) throw new Error(`world has no instance named ${displayName}`);
  return found;
}
