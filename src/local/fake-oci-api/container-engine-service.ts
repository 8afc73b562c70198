/** Container Engine for Kubernetes (API version 20180222): node pools and clusters. */
import { CLUSTER_STATES, NODE_POOL_STATES } from '../lifecycle-states';
import type { WorldNode, WorldNodePool } from '../world-types';
import { notFound } from './api-error';
import { shapeNodePoolBody } from './answer-shape-faults';
import { contentEtag } from './etags';
import { pageOf, SORT_ORDERS, sortItems } from './paging';
import { pathOcid, type OciService, type Reply, type RequestContext, type ServiceState } from './route-table';

export type ContainerEngineOperation = 'GetNodePool' | 'ListNodePools' | 'GetCluster' | 'ListClusters';

/** The Container Engine routes over the shared state. */
export const containerEngineService: OciService<ContainerEngineOperation> = (state) => {
  const engine = new ContainerEngineHandlers(state);
  return [
    { method: 'GET', path: '/20180222/nodePools', operation: 'ListNodePools', handle: (c) => engine.listNodePools(c) },
    { method: 'GET', path: '/20180222/nodePools/:id', operation: 'GetNodePool', handle: (c) => engine.getNodePool(c) },
    { method: 'GET', path: '/20180222/clusters', operation: 'ListClusters', handle: (c) => engine.listClusters(c) },
    { method: 'GET', path: '/20180222/clusters/:id', operation: 'GetCluster', handle: (c) => engine.getCluster(c) },
  ];
};

/** The `sortBy` values of ListNodePools and ListClusters, and the fields they sort on. */
const SORT_FIELDS: Readonly<Record<string, string>> = { ID: 'id', NAME: 'name', TIME_CREATED: 'timeCreated' };

class ContainerEngineHandlers {
  constructor(private readonly state: ServiceState) {}

  getNodePool({ id, query }: RequestContext): Reply {
    query.allowOnly([]);
    const nodePoolId = pathOcid(id, 'nodepool', 'nodePoolId');
    const pool = this.findNodePool(nodePoolId);
    // A pool outside the caller's grant is answered as one that does not exist.
    if (this.state.faults.takeNodePoolNotFound(nodePoolId)) throw notFound();
    const body = shapeNodePoolBody(pool, this.listedNodes(pool), this.state.faults.takeNodePoolShapes(nodePoolId));
    return { status: 200, body, etag: contentEtag(body) };
  }

  /** The pool's nodes as this GetNodePool answer lists them, after the late-node faults. */
  private listedNodes(pool: WorldNodePool): WorldNode[] {
    const { hidden, appearing } = this.state.faults.takeLateNodes(pool.id);
    for (const instanceId of appearing) {
      if (pool.nodes.some((node) => node.id === instanceId)) continue;
      const instance = this.state.world.instances.find((candidate) => candidate.id === instanceId);
      const node: WorldNode = { id: instanceId, name: instance?.displayName ?? instanceId, lifecycleState: 'ACTIVE' };
      pool.nodes.push(node);
    }
    return pool.nodes.filter((node) => !hidden.has(node.id)).map((node) => ({ nodePoolId: pool.id, ...node }));
  }

  listNodePools({ query }: RequestContext): Reply {
    query.allowOnly(['compartmentId', 'clusterId', 'name', 'lifecycleState', 'limit', 'page', 'sortBy', 'sortOrder'], ['lifecycleState']);
    const compartmentId = query.compartmentId();
    const clusterId = query.optionalOcid('clusterId', 'cluster');
    const name = query.optional('name');
    const states = query.enumValues('lifecycleState', NODE_POOL_STATES);
    const [sortBy] = query.enumValues('sortBy', Object.keys(SORT_FIELDS));
    const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
    const summaries = this.state.world.nodePools
      .filter(
        (pool) =>
          pool.compartmentId === compartmentId &&
          (clusterId === undefined || pool.clusterId === clusterId) &&
          (name === undefined || pool.name === name) &&
          (states.length === 0 || (pool.lifecycleState !== undefined && states.includes(pool.lifecycleState))),
      )
      // NodePoolSummary carries no nodes; only GetNodePool lists them.
      .map(({ nodes: _nodes, ...summary }) => summary);
    const sorted = sortItems(summaries, sortBy === undefined ? undefined : SORT_FIELDS[sortBy], sortOrder);
    return { status: 200, ...pageOf(sorted, 'ListNodePools', query, this.state.pageSize) };
  }

  getCluster({ id, query }: RequestContext): Reply {
    query.allowOnly(['shouldIncludeOidcConfigFile']);
    query.enumValues('shouldIncludeOidcConfigFile', ['true', 'false']);
    const clusterId = pathOcid(id, 'cluster', 'clusterId');
    const cluster = this.state.world.clusters.find((candidate) => candidate.id === clusterId);
    if (cluster === undefined) throw notFound();
    return { status: 200, body: cluster, etag: contentEtag(cluster) };
  }

  listClusters({ query }: RequestContext): Reply {
    query.allowOnly(['compartmentId', 'name', 'lifecycleState', 'limit', 'page', 'sortBy', 'sortOrder'], ['lifecycleState']);
    const compartmentId = query.compartmentId();
    const name = query.optional('name');
    const states = query.enumValues('lifecycleState', CLUSTER_STATES);
    const [sortBy] = query.enumValues('sortBy', Object.keys(SORT_FIELDS));
    const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
    const matching = this.state.world.clusters.filter(
      (cluster) =>
        cluster.compartmentId === compartmentId &&
        (name === undefined || cluster.name === name) &&
        (states.length === 0 || (cluster.lifecycleState !== undefined && states.includes(cluster.lifecycleState))),
    );
    const sorted = sortItems(matching, sortBy === undefined ? undefined : SORT_FIELDS[sortBy], sortOrder);
    return { status: 200, ...pageOf(sorted, 'ListClusters', query, this.state.pageSize) };
  }

  private findNodePool(nodePoolId: string): WorldNodePool {
    const pool = this.state.world.nodePools.find((candidate) => candidate.id === nodePoolId);
    if (pool === undefined) throw notFound();
    return pool;
  }
}
