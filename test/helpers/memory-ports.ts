/**
 * In-memory implementations of the domain ports for unit tests. They keep
 * real state (ETags, node lists) and count calls; they are fakes, not mocks.
 */
import { EtagMismatchError } from '../../src/errors';
import {
  type ClusterInfo,
  type ComputePort,
  type ContainerEnginePort,
  type DefinedTags,
  type InstanceInfo,
  type NodePoolInfo,
} from '../../src/tagging/model';

export interface MemoryWorld {
  instances: InstanceInfo[];
  pools: NodePoolInfo[];
  clusters: ClusterInfo[];
}

export class MemoryCloud {
  readonly calls: string[] = [];
  private readonly etags = new Map<string, number>();
  /** Called after each GetInstance, to simulate another writer. */
  afterGetInstance: ((instanceId: string) => void) | undefined;
  /** Calls that fail after the call is counted: `Operation resourceId`, or `Operation *` for every resource. */
  readonly failures = new Map<string, Error>();
  /** Pools whose GetNodePool answers 404 although ListNodePools lists them (a missing read grant). */
  readonly refusedPools = new Set<string>();
  /** Instances that GetInstance answers without an ETag. */
  readonly withoutEtag = new Set<string>();

  private check(operation: string, resourceId: string): void {
    const failure = this.failures.get(`${operation} ${resourceId}`) ?? this.failures.get(`${operation} *`);
    if (failure) throw failure;
  }

  constructor(readonly world: MemoryWorld) {}

  count(operation?: string): number {
    return operation === undefined ? this.calls.length : this.calls.filter((call) => call === operation).length;
  }

  instance(id: string): InstanceInfo {
    const found = this.world.instances.find((instance) => instance.id === id);
    if (!found) throw new Error(`no instance ${id}`);
    return found;
  }

  /** Replaces an instance's defined tags as another writer would, bumping its ETag. */
  writeTags(id: string, definedTags: DefinedTags): void {
    const index = this.world.instances.findIndex((instance) => instance.id === id);
    this.world.instances[index] = { ...this.instance(id), definedTags };
    this.etags.set(id, (this.etags.get(id) ?? 1) + 1);
  }

  private etag(id: string): string {
    return `etag-${this.etags.get(id) ?? 1}`;
  }

  readonly compute: ComputePort = {
    getInstance: async (instanceId) => {
      this.calls.push('GetInstance');
      this.check('GetInstance', instanceId);
      const etag = this.withoutEtag.has(instanceId) ? undefined : this.etag(instanceId);
      const snapshot = { instance: structuredClone(this.instance(instanceId)), etag };
      this.afterGetInstance?.(instanceId);
      return snapshot;
    },
    updateDefinedTags: async (instanceId, definedTags, etag) => {
      this.calls.push('UpdateInstance');
      if (etag !== this.etag(instanceId)) throw new EtagMismatchError(instanceId);
      this.writeTags(instanceId, structuredClone(definedTags));
      return { instance: structuredClone(this.instance(instanceId)), etag: this.etag(instanceId) };
    },
    listInstances: async (compartmentId) => {
      this.calls.push('ListInstances');
      this.check('ListInstances', compartmentId);
      return this.world.instances
        .filter((instance) => instance.compartmentId === compartmentId)
        .map((instance) => structuredClone(instance));
    },
  };

  readonly containerEngine: ContainerEnginePort = {
    getNodePool: async (nodePoolId) => {
      this.calls.push('GetNodePool');
      this.check('GetNodePool', nodePoolId);
      if (this.refusedPools.has(nodePoolId)) return undefined;
      const pool = this.world.pools.find((candidate) => candidate.id === nodePoolId);
      return pool ? structuredClone(pool) : undefined;
    },
    listNodePools: async (compartmentId, clusterId) => {
      this.calls.push('ListNodePools');
      this.check('ListNodePools', compartmentId);
      return this.world.pools
        .filter((pool) => pool.compartmentId === compartmentId && (clusterId === undefined || pool.clusterId === clusterId))
        .map(({ id, name, clusterId: cluster, compartmentId: compartment, lifecycleState }) => ({
          id,
          name,
          clusterId: cluster,
          compartmentId: compartment,
          lifecycleState,
        }));
    },
    getCluster: async (clusterId) => {
      this.calls.push('GetCluster');
      this.check('GetCluster', clusterId);
      return this.world.clusters.find((cluster) => cluster.id === clusterId);
    },
  };
}

const pad = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .padEnd(60, '0');

/** Well-formed OCIDs for tests. */
export const ids = {
  instance: (label: string) => `ocid1.instance.oc1.iad.${pad(label)}`,
  pool: (label: string) => `ocid1.nodepool.oc1.iad.${pad(label)}`,
  cluster: (label: string) => `ocid1.cluster.oc1.iad.${pad(label)}`,
  compartment: (label: string) => `ocid1.compartment.oc1..${pad(label)}`,
};

/** An OKE worker node's metadata as OKE sets it. */
export function okeMetadata(poolId: string, clusterId: string): Record<string, string> {
  return { 'oke-pool-id': poolId, 'oke-cluster-id': clusterId, 'oke-k8version': 'v1.31.1', 'oke-ad': 'Uocm:US-ASHBURN-AD-1' };
}
