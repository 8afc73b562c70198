/**
 * Adapters from the SDK clients to the domain's ports. Each call runs under
 * the shared retry policy for one invocation's {@link CallScope}; errors come
 * out as our error classes naming the operation and the OCID.
 */
import { EtagMismatchError } from '../errors';
import type { ContainerEngineClient, models as ceModels } from 'oci-containerengine';
import type { ComputeClient, models as coreModels } from 'oci-core';

import type {
  ClusterInfo,
  ComputePort,
  ContainerEnginePort,
  DefinedTags,
  FreeformTags,
  InstanceInfo,
  InstanceSnapshot,
  NodePoolInfo,
  NodePoolSummaryInfo,
} from '../tagging/model';
import { allPages, pageParam } from './paging';
import { callWithRetry } from './retry';
import { type CallScope } from '../call-scope';

/** Page size asked of list operations; OCI's maximum for these lists. */
const PAGE_LIMIT = 1000;

function toInstanceInfo(instance: coreModels.Instance): InstanceInfo {
  return {
    id: instance.id,
    compartmentId: instance.compartmentId,
    displayName: instance.displayName,
    lifecycleState: instance.lifecycleState,
    timeCreated: isoTime(instance.timeCreated),
    metadata: { ...(instance.metadata ?? {}) },
    definedTags: (instance.definedTags ?? {}) as DefinedTags,
    freeformTags: { ...(instance.freeformTags ?? {}) } as FreeformTags,
  };
}

/** An SDK date (a Date, or the string the SDK left unparsed) as ISO 8601; undefined when absent or not a date. */
function isoTime(value: Date | string | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const time = new Date(value).getTime();
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

function toNodePoolSummary(pool: ceModels.NodePoolSummary | ceModels.NodePool): NodePoolSummaryInfo {
  return {
    id: pool.id ?? '',
    name: pool.name ?? '',
    clusterId: pool.clusterId ?? '',
    compartmentId: pool.compartmentId ?? '',
    lifecycleState: pool.lifecycleState,
  };
}

const notFound =
  <T>(value: T) =>
  (failure: { statusCode: number | undefined }) =>
    failure.statusCode === 404 ? { value } : undefined;

/** The Compute port over `ComputeClient`. */
export function createComputeAdapter(client: ComputeClient, scope: CallScope): ComputePort {
  return {
    async getInstance(instanceId) {
      const response = await callWithRetry(scope, 'GetInstance', instanceId, () => client.getInstance({ instanceId }));
      return { instance: toInstanceInfo(response.instance), etag: response.etag };
    },
    async updateDefinedTags(instanceId, definedTags, etag): Promise<InstanceSnapshot> {
      const request = { instanceId, updateInstanceDetails: { definedTags }, ifMatch: etag };
      const response = await callWithRetry(
        scope,
        'UpdateInstance',
        instanceId,
        () => client.updateInstance(request),
        (failure) => {
          if (failure.statusCode === 412) {
            scope.stats.etagConflicts += 1;
            throw new EtagMismatchError(instanceId);
          }
          return undefined;
        },
      );
      return { instance: toInstanceInfo(response.instance), etag: response.etag };
    },
    async listInstances(compartmentId) {
      const instances = await allPages(scope, 'ListInstances', compartmentId, (token) =>
        client.listInstances({ compartmentId, limit: PAGE_LIMIT, ...pageParam(token) }),
      );
      return instances.map(toInstanceInfo);
    },
  };
}

/** The Container Engine port over `ContainerEngineClient`. */
export function createContainerEngineAdapter(client: ContainerEngineClient, scope: CallScope): ContainerEnginePort {
  return {
    async getNodePool(nodePoolId): Promise<NodePoolInfo | undefined> {
      const response = await callWithRetry(scope, 'GetNodePool', nodePoolId, () => client.getNodePool({ nodePoolId }), notFound(undefined));
      if (response === undefined) return undefined;
      const pool = response.nodePool;
      // A missing or null `nodes`, and entries without an instance OCID, are kept as facts: they make membership unknown.
      const listed = Array.isArray(pool.nodes) ? pool.nodes : undefined;
      const nodes = (listed ?? []).flatMap((node) =>
        typeof node.id === 'string' && node.id !== '' ? [{ id: node.id, lifecycleState: node.lifecycleState }] : [],
      );
      return {
        ...toNodePoolSummary(pool),
        nodeIds: nodes.map((node) => node.id),
        nodes,
        nodesMissing: listed === undefined,
        unidentifiedNodes: (listed?.length ?? 0) - nodes.length,
      };
    },
    async listNodePools(compartmentId, clusterId) {
      const pools = await allPages(scope, 'ListNodePools', clusterId ?? compartmentId, (token) =>
        client.listNodePools({ compartmentId, limit: PAGE_LIMIT, ...(clusterId === undefined ? {} : { clusterId }), ...pageParam(token) }),
      );
      return pools.map(toNodePoolSummary);
    },
    async getCluster(clusterId): Promise<ClusterInfo | undefined> {
      const response = await callWithRetry(scope, 'GetCluster', clusterId, () => client.getCluster({ clusterId }), notFound(undefined));
      if (response === undefined) return undefined;
      const cluster = response.cluster;
      return { id: cluster.id ?? clusterId, name: cluster.name ?? '', compartmentId: cluster.compartmentId ?? '' };
    },
  };
}
