/**
 * The fake's faults that change what a successful answer holds, and the node
 * pools it denies, as the real SDK client (and the wire) meets them.
 */
import type { FaultInjector } from '../../src/local/fake-oci-api';
import { useFakeApiHarness } from '../helpers/fake-api-harness';
import { buildWorld, nodeInstanceAt, poolAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const { startApi, clientsFor, signedGet } = useFakeApiHarness();

describe('answer-shape faults', () => {
  it('answers GetNodePool without nodes the given number of times, then with them', async () => {
    // Prepare
    const world = buildWorld({ nodesPerPool: 2 });
    const pool = poolAt(world, 0);
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    api.faults.nodePoolWithoutNodes({ nodePoolId: pool.id, times: 1 });

    // Act
    const raw = await signedGet(api, `/20180222/nodePools/${pool.id}`);
    const next = await containerEngine.getNodePool({ nodePoolId: pool.id });

    // Assess
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({ id: pool.id, name: pool.name });
    expect(raw.body).not.toHaveProperty('nodes');
    expect(next.nodePool.nodes?.map((node) => node.id)).toEqual(pool.nodes.map((node) => node.id));
    expect(api.faults.pending).toBe(0);
  });

  it('sends "nodes": null for every pool until the faults are cleared', async () => {
    // Prepare
    const world = buildWorld({ pools: 2 });
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    api.faults.nodePoolWithoutNodes({ as: 'null' });

    // Act
    const first = await signedGet(api, `/20180222/nodePools/${poolAt(world, 0).id}`);
    const second = await signedGet(api, `/20180222/nodePools/${poolAt(world, 1).id}`);
    const throughSdk = await containerEngine.getNodePool({ nodePoolId: poolAt(world, 0).id });
    api.faults.clear();
    const cleared = await containerEngine.getNodePool({ nodePoolId: poolAt(world, 0).id });

    // Assess: the SDK turns the null into an absent field.
    expect(first.body).toMatchObject({ nodes: null });
    expect(second.body).toMatchObject({ nodes: null });
    expect(throughSdk.nodePool.nodes).toBeUndefined();
    expect(cleared.nodePool.nodes).toHaveLength(1);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
  ] as const)('lists CREATING nodes with the id %s after the pool nodes', async (as, expectedId) => {
    // Prepare
    const world = buildWorld();
    const pool = poolAt(world, 0);
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    api.faults.nodesWithoutId({ nodePoolId: pool.id, count: 2, as, times: 1 });

    // Act
    const shaped = await containerEngine.getNodePool({ nodePoolId: pool.id });
    const next = await containerEngine.getNodePool({ nodePoolId: pool.id });

    // Assess
    const nodes = shaped.nodePool.nodes ?? [];
    expect(nodes.map((node) => node.id)).toEqual([nodeInstanceAt(world, 0, 0).id, expectedId, expectedId]);
    expect(nodes.slice(1).every((node) => (as === 'null' ? node.id === null : !('id' in node)))).toBe(true);
    expect(nodes.slice(1)).toEqual([
      expect.objectContaining({ nodePoolId: pool.id, name: expect.any(String), lifecycleState: 'CREATING' }),
      expect.objectContaining({ nodePoolId: pool.id, name: expect.any(String), lifecycleState: 'CREATING' }),
    ]);
    expect(new Set(nodes.map((node) => node.name)).size).toBe(3);
    expect(next.nodePool.nodes).toHaveLength(1);
  });

  it('lists the chosen nodes without their id and the others unchanged', async () => {
    // Prepare
    const world = buildWorld({ nodesPerPool: 3 });
    const pool = poolAt(world, 0);
    const booting = nodeInstanceAt(world, 0, 1);
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    api.faults.hideNodeIds({ nodePoolId: pool.id, instanceIds: [booting.id] });

    // Act
    const first = await containerEngine.getNodePool({ nodePoolId: pool.id });
    const second = await containerEngine.getNodePool({ nodePoolId: pool.id });

    // Assess
    const expected = [nodeInstanceAt(world, 0, 0).id, undefined, nodeInstanceAt(world, 0, 2).id];
    expect(first.nodePool.nodes?.map((node) => node.id)).toEqual(expected);
    expect(first.nodePool.nodes?.[1]).toMatchObject({ name: booting.displayName, nodePoolId: pool.id });
    expect(second.nodePool.nodes?.map((node) => node.id)).toEqual(expected);
    expect(api.world.nodePools[0]?.nodes[1]?.id).toBe(booting.id);
  });

  it('answers GetInstance without an etag the given number of times and still accepts an update without if-match', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    api.faults.omitEtag({ instanceId: instance.id, operation: 'GetInstance', times: 1 });

    // Act
    const withoutEtag = await compute.getInstance({ instanceId: instance.id });
    const updated = await compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { displayName: 'renamed' } });
    const withEtag = await compute.getInstance({ instanceId: instance.id });

    // Assess
    expect(withoutEtag.etag).toBeUndefined();
    expect(withoutEtag.instance.id).toBe(instance.id);
    expect(updated.etag).toBe(api.etagOf(instance.id));
    expect(withEtag.etag).toBe(api.etagOf(instance.id));
    const update = api.calls.find((call) => call.operation === 'UpdateInstance');
    expect(update).toMatchObject({ status: 200, sentFields: ['displayName'] });
    expect(update).not.toHaveProperty('ifMatch');
  });

  it('answers both GetInstance and UpdateInstance without an etag when no operation is given, and only for that instance', async () => {
    // Prepare
    const world = buildWorld({ nodesPerPool: 2 });
    const instance = nodeInstanceAt(world, 0, 0);
    const other = nodeInstanceAt(world, 0, 1);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    api.faults.omitEtag({ instanceId: instance.id });

    // Act
    const read = await compute.getInstance({ instanceId: instance.id });
    const before = api.etagOf(instance.id);
    const written = await compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { displayName: 'renamed' } });
    const otherRead = await compute.getInstance({ instanceId: other.id });
    const stale = compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { displayName: 'again' }, ifMatch: before });

    // Assess: the ETag is only hidden; it still changes and is still checked.
    expect([read.etag, written.etag]).toEqual([undefined, undefined]);
    expect(otherRead.etag).toBe(api.etagOf(other.id));
    await expect(stale).rejects.toMatchObject({ statusCode: 412, serviceCode: 'NoEtagMatch' });
    expect(api.faults.pending).toBe(1);
  });
});

describe('denied node pools', () => {
  it('answers GetNodePool 404 for a pool that ListNodePools still lists, and serves the other pools', async () => {
    // Prepare
    const world = buildWorld({ pools: 2 });
    const denied = poolAt(world, 0);
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    api.faults.nodePoolNotFound({ nodePoolId: denied.id });

    // Act
    const listed = await containerEngine.listNodePools({ compartmentId: TEST_COMPARTMENT_ID });
    const get = await containerEngine.getNodePool({ nodePoolId: denied.id }).catch((error: unknown) => error);
    const again = await containerEngine.getNodePool({ nodePoolId: denied.id }).catch((error: unknown) => error);
    const other = await containerEngine.getNodePool({ nodePoolId: poolAt(world, 1).id });

    // Assess
    expect(listed.items.map((item) => item.id)).toEqual([denied.id, poolAt(world, 1).id]);
    expect(get).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
    expect(again).toMatchObject({ statusCode: 404 });
    expect(other.nodePool.id).toBe(poolAt(world, 1).id);
  });

  it('answers every GetNodePool 404 the given number of times, then serves them', async () => {
    // Prepare
    const world = buildWorld({ pools: 2 });
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    api.faults.nodePoolNotFound({ times: 2 });

    // Act
    const first = containerEngine.getNodePool({ nodePoolId: poolAt(world, 0).id });
    const second = containerEngine.getNodePool({ nodePoolId: poolAt(world, 1).id });
    await expect(first).rejects.toMatchObject({ statusCode: 404 });
    await expect(second).rejects.toMatchObject({ statusCode: 404 });
    const third = await containerEngine.getNodePool({ nodePoolId: poolAt(world, 0).id });

    // Assess
    expect(third.nodePool.id).toBe(poolAt(world, 0).id);
    expect(api.calls.map((call) => call.status)).toEqual([404, 404, 200]);
  });

  it('keeps a late node hidden through denied answers, which are not successful GetNodePool answers', async () => {
    // Prepare
    const world = buildWorld({ nodesPerPool: 2 });
    const pool = poolAt(world, 0);
    const late = nodeInstanceAt(world, 0, 1);
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    api.faults.nodePoolNotFound({ nodePoolId: pool.id, times: 1 });
    api.faults.lateNode({ instanceId: late.id, nodePoolId: pool.id, hiddenForGets: 1 });

    // Act
    await expect(containerEngine.getNodePool({ nodePoolId: pool.id })).rejects.toMatchObject({ statusCode: 404 });
    const first = await containerEngine.getNodePool({ nodePoolId: pool.id });
    const second = await containerEngine.getNodePool({ nodePoolId: pool.id });

    // Assess
    expect(first.nodePool.nodes?.map((node) => node.id)).not.toContain(late.id);
    expect(second.nodePool.nodes?.map((node) => node.id)).toContain(late.id);
  });
});

describe('answer-shape fault options', () => {
  it.each([
    ['a count of 0', (faults: FaultInjector) => faults.nodesWithoutId({ nodePoolId: 'p', count: 0 }), 'count'],
    ['times of 0', (faults: FaultInjector) => faults.nodePoolWithoutNodes({ times: 0 }), 'times'],
    ['fractional times', (faults: FaultInjector) => faults.nodePoolNotFound({ times: 1.5 }), 'times'],
    ['no instance ids', (faults: FaultInjector) => faults.hideNodeIds({ nodePoolId: 'p', instanceIds: [] }), 'instanceIds'],
    ['an unknown omission', (faults: FaultInjector) => faults.nodePoolWithoutNodes({ as: 'empty' as 'null' }), 'as'],
    [
      'an operation without an etag',
      (faults: FaultInjector) => faults.omitEtag({ instanceId: 'i', operation: 'ListInstances' as 'GetInstance' }),
      'operation',
    ],
  ])('rejects %s', async (_case, register, named) => {
    // Prepare
    const api = await startApi({ world: buildWorld() });

    // Act
    const attempt = (): void => register(api.faults);

    // Assess
    expect(attempt).toThrow(RangeError);
    expect(attempt).toThrow(named);
    expect(api.faults.pending).toBe(0);
  });
});
