/**
 * The fake's Container Engine routes (node pools, clusters), through the real SDK client.
 */
import { models } from 'oci-containerengine';
import { useFakeApiHarness } from '../helpers/fake-api-harness';
import { buildWorld, clusterAt, fakeOcid, poolAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const { startApi, clientsFor } = useFakeApiHarness();

describe('Container Engine', () => {
  it('lists nodes in GetNodePool but not in ListNodePools summaries', async () => {
    // Prepare
    const world = buildWorld({ pools: 2, nodesPerPool: 3 });
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    const pool = poolAt(world, 1);

    // Act
    const got = await containerEngine.getNodePool({ nodePoolId: pool.id });
    const listed = await containerEngine.listNodePools({ compartmentId: TEST_COMPARTMENT_ID });

    // Assess
    expect(got.nodePool.nodes?.map((node) => node.id)).toEqual(pool.nodes.map((node) => node.id));
    expect(got.nodePool.nodes?.[0]?.nodePoolId).toBe(pool.id);
    expect(got.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(listed.items.map((summary) => summary.id)).toEqual([poolAt(world, 0).id, pool.id]);
    expect(listed.items.every((summary) => !('nodes' in summary))).toBe(true);
  });

  it('pages ListNodePools with opc-next-page until every pool is returned', async () => {
    // Prepare
    const world = buildWorld({ pools: 5 });
    const api = await startApi({ world, pageSize: 2 });
    const { containerEngine } = clientsFor(api);

    // Act
    const pages: string[][] = [];
    let page: string | undefined;
    do {
      const response = await containerEngine.listNodePools({ compartmentId: TEST_COMPARTMENT_ID, ...(page === undefined ? {} : { page }) });
      pages.push(response.items.map((item) => item.name ?? ''));
      page = response.opcNextPage;
    } while (page !== undefined);

    // Assess
    expect(pages).toEqual([['pool-1', 'pool-2'], ['pool-3', 'pool-4'], ['pool-5']]);
    expect(api.count('ListNodePools')).toBe(3);
  });

  it('filters ListNodePools by several lifecycle states across pages', async () => {
    // Prepare
    const world = buildWorld({ pools: 6 });
    const states = ['ACTIVE', 'DELETED', 'UPDATING', 'DELETING', 'ACTIVE', 'FAILED'];
    states.forEach((state, index) => (poolAt(world, index).lifecycleState = state));
    const api = await startApi({ world, pageSize: 2 });
    const { containerEngine } = clientsFor(api);
    const wanted = [models.NodePoolLifecycleState.Active, models.NodePoolLifecycleState.Updating];

    // Act
    const pages: string[][] = [];
    let page: string | undefined;
    do {
      const response = await containerEngine.listNodePools({
        compartmentId: TEST_COMPARTMENT_ID,
        lifecycleState: wanted,
        ...(page === undefined ? {} : { page }),
      });
      pages.push(response.items.map((item) => item.name ?? ''));
      page = response.opcNextPage;
    } while (page !== undefined);

    // Assess
    expect(pages).toEqual([['pool-1', 'pool-3'], ['pool-5']]);
  });

  it('uses the smaller of the limit parameter and the page size', async () => {
    // Prepare
    const world = buildWorld({ pools: 4 });
    const api = await startApi({ world, pageSize: 3 });
    const { containerEngine } = clientsFor(api);

    // Act
    const limited = await containerEngine.listNodePools({ compartmentId: TEST_COMPARTMENT_ID, limit: 1 });
    const capped = await containerEngine.listNodePools({ compartmentId: TEST_COMPARTMENT_ID, limit: 50 });

    // Assess
    expect(limited.items).toHaveLength(1);
    expect(limited.opcNextPage).toBeDefined();
    expect(capped.items).toHaveLength(3);
  });

  it('filters ListNodePools by cluster and by name', async () => {
    // Prepare
    const world = buildWorld({ clusters: 2, pools: 4 });
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);

    // Act
    const ofSecondCluster = await containerEngine.listNodePools({ compartmentId: TEST_COMPARTMENT_ID, clusterId: clusterAt(world, 1).id });
    const named = await containerEngine.listNodePools({ compartmentId: TEST_COMPARTMENT_ID, name: 'pool-3' });

    // Assess
    expect(ofSecondCluster.items.map((item) => item.name)).toEqual(['pool-2', 'pool-4']);
    expect(named.items.map((item) => item.id)).toEqual([poolAt(world, 2).id]);
  });

  it('answers 404 NotAuthorizedOrNotFound for an unknown node pool and cluster', async () => {
    // Prepare
    const api = await startApi({ world: buildWorld() });
    const { containerEngine } = clientsFor(api);

    // Act
    const pool = containerEngine.getNodePool({ nodePoolId: fakeOcid('nodepool', 'missing') });
    const cluster = containerEngine.getCluster({ clusterId: fakeOcid('cluster', 'missing') });

    // Assess
    await expect(pool).rejects.toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
    await expect(cluster).rejects.toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
  });

  it('returns a cluster by id and pages ListClusters', async () => {
    // Prepare
    const world = buildWorld({ clusters: 3, pools: 3 });
    const api = await startApi({ world, pageSize: 2 });
    const { containerEngine } = clientsFor(api);

    // Act
    const got = await containerEngine.getCluster({ clusterId: clusterAt(world, 2).id });
    const first = await containerEngine.listClusters({ compartmentId: TEST_COMPARTMENT_ID });
    const second = await containerEngine.listClusters({ compartmentId: TEST_COMPARTMENT_ID, page: first.opcNextPage ?? 'missing' });

    // Assess
    expect(got.cluster.name).toBe('cluster-3');
    expect(first.items.map((item) => item.name)).toEqual(['cluster-1', 'cluster-2']);
    expect(second.items.map((item) => item.name)).toEqual(['cluster-3']);
    expect(second.opcNextPage).toBeUndefined();
  });
});
