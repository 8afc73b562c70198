/**
 * The fake's scripted faults, as the real SDK client meets them.
 */
import { useFakeApiHarness } from '../helpers/fake-api-harness';
import {
  buildWorld,
  clusterAt,
  NODEPOOL_TAG_KEY,
  NODEPOOL_TAG_NAMESPACE,
  nodeInstanceAt,
  poolAt,
  TEST_COMPARTMENT_ID,
} from '../helpers/worlds';

const { startApi, clientsFor } = useFakeApiHarness();

describe('faults', () => {
  it('fails the scoped calls the given number of times, then serves normally', async () => {
    // Prepare
    const world = buildWorld({ nodesPerPool: 2 });
    const target = nodeInstanceAt(world, 0, 0);
    const other = nodeInstanceAt(world, 0, 1);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    api.faults.fail({ operation: 'GetInstance', resourceId: target.id, times: 2, status: 429 });

    // Act
    const first = compute.getInstance({ instanceId: target.id });
    await expect(first).rejects.toMatchObject({ statusCode: 429, serviceCode: 'TooManyRequests' });
    const unaffected = await compute.getInstance({ instanceId: other.id });
    const second = compute.getInstance({ instanceId: target.id });
    await expect(second).rejects.toMatchObject({ statusCode: 429 });
    const third = await compute.getInstance({ instanceId: target.id });

    // Assess
    expect(unaffected.instance.id).toBe(other.id);
    expect(third.instance.id).toBe(target.id);
    expect(api.calls.map((call) => call.status)).toEqual([429, 200, 429, 200]);
    expect(api.faults.pending).toBe(0);
  });

  it('answers the given status and service code', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    api.faults.fail({ operation: 'GetNodePool', times: 1, status: 409, code: 'Conflict' });
    api.faults.fail({ times: 1, status: 503 });

    // Act
    const conflict = containerEngine.getNodePool({ nodePoolId: poolAt(world, 0).id });
    const unavailable = containerEngine.getCluster({ clusterId: clusterAt(world, 0).id });

    // Assess
    await expect(conflict).rejects.toMatchObject({ statusCode: 409, serviceCode: 'Conflict' });
    await expect(unavailable).rejects.toMatchObject({ statusCode: 503, serviceCode: 'ServiceUnavailable' });
  });

  it('applies a fault scoped to one operation only to that operation', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const { compute, containerEngine } = clientsFor(api);
    api.faults.fail({ operation: 'ListNodePools', times: 1, status: 500 });

    // Act
    const instance = await compute.getInstance({ instanceId: nodeInstanceAt(world, 0, 0).id });
    const listing = containerEngine.listNodePools({ compartmentId: TEST_COMPARTMENT_ID });

    // Assess
    expect(instance.instance.id).toBe(nodeInstanceAt(world, 0, 0).id);
    await expect(listing).rejects.toMatchObject({ statusCode: 500, serviceCode: 'InternalServerError' });
  });

  it('drops the connection without a response, then serves the next call', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    api.faults.dropConnection({ operation: 'GetInstance', times: 1 });
    // The SDK's retrier warns on every exhausted network failure; keep the test output clean.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act
    const dropped = await compute.getInstance({ instanceId: instance.id }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const next = await compute.getInstance({ instanceId: instance.id });
    warn.mockRestore();

    // Assess: the SDK rejects with a plain object, neither an Error nor an OciError.
    expect(dropped).toMatchObject({ message: 'fetch failed', requestEndpoint: expect.stringContaining(instance.id) });
    expect(dropped).not.toHaveProperty('statusCode');
    expect(next.instance.id).toBe(instance.id);
    expect(api.calls.map((call) => call.status)).toEqual([0, 200]);
  });

  it('delays only the scoped call by the given time', async () => {
    // Prepare
    const world = buildWorld({ nodesPerPool: 2 });
    const slow = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    api.faults.delay({ resourceId: slow.id, times: 1, ms: 600 });

    // Act
    const slowStart = Date.now();
    const slowCall = compute.getInstance({ instanceId: slow.id }).then(() => Date.now() - slowStart);
    const fastStart = Date.now();
    await compute.getInstance({ instanceId: nodeInstanceAt(world, 0, 1).id });
    const fastMs = Date.now() - fastStart;
    const slowMs = await slowCall;

    // Assess
    expect(slowMs).toBeGreaterThanOrEqual(590);
    expect(fastMs).toBeLessThan(450);
  });

  it('makes the read-merge-write of a concurrently written instance fail with 412, then succeed on re-read', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    api.faults.concurrentTagWrite({
      instanceId: instance.id,
      mutate: (tags) => ({ ...tags, [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'theirs' } }),
    });
    const ours = { ...instance.definedTags, [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'ours' } };

    // Act
    const firstRead = await compute.getInstance({ instanceId: instance.id });
    const firstWrite = compute.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { definedTags: ours },
      ...(firstRead.etag === undefined ? {} : { ifMatch: firstRead.etag }),
    });
    await expect(firstWrite).rejects.toMatchObject({ statusCode: 412, serviceCode: 'NoEtagMatch' });
    const afterConflict = api.getInstance(instance.id)?.definedTags;
    const secondRead = await compute.getInstance({ instanceId: instance.id });
    const secondWrite = await compute.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { definedTags: ours },
      ...(secondRead.etag === undefined ? {} : { ifMatch: secondRead.etag }),
    });

    // Assess
    expect(firstRead.instance.definedTags).toEqual(instance.definedTags);
    expect(afterConflict?.[NODEPOOL_TAG_NAMESPACE]).toEqual({ [NODEPOOL_TAG_KEY]: 'theirs' });
    expect(secondRead.instance.definedTags?.[NODEPOOL_TAG_NAMESPACE]).toEqual({ [NODEPOOL_TAG_KEY]: 'theirs' });
    expect(secondWrite.instance.definedTags).toEqual(ours);
  });

  it('hides a late node from the first GetNodePool answers, then lists it', async () => {
    // Prepare
    const world = buildWorld({ nodesPerPool: 2 });
    const pool = poolAt(world, 0);
    const late = nodeInstanceAt(world, 0, 1);
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    api.faults.lateNode({ instanceId: late.id, nodePoolId: pool.id, hiddenForGets: 2 });

    // Act
    const answers: string[][] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await containerEngine.getNodePool({ nodePoolId: pool.id });
      answers.push((response.nodePool.nodes ?? []).map((node) => node.id ?? ''));
    }

    // Assess
    const early = nodeInstanceAt(world, 0, 0).id;
    expect(answers).toEqual([[early], [early], [early, late.id]]);
  });

  it('adds a late node the world did not list once its hiding ends', async () => {
    // Prepare: the instance exists but the pool does not list it yet.
    const world = buildWorld({ nodesPerPool: 2 });
    const pool = poolAt(world, 0);
    const late = nodeInstanceAt(world, 0, 1);
    pool.nodes = pool.nodes.filter((node) => node.id !== late.id);
    const api = await startApi({ world });
    const { containerEngine } = clientsFor(api);
    api.faults.lateNode({ instanceId: late.id, nodePoolId: pool.id, hiddenForGets: 1 });

    // Act
    const first = await containerEngine.getNodePool({ nodePoolId: pool.id });
    const second = await containerEngine.getNodePool({ nodePoolId: pool.id });

    // Assess
    expect(first.nodePool.nodes?.map((node) => node.id)).not.toContain(late.id);
    expect(second.nodePool.nodes?.find((node) => node.id === late.id)).toMatchObject({ name: late.displayName, lifecycleState: 'ACTIVE' });
  });

  it('forgets every pending fault on clear', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    api.faults.fail({ times: 5, status: 500 });
    api.faults.dropConnection({ times: 5 });

    // Act
    api.faults.clear();
    const response = await compute.getInstance({ instanceId: nodeInstanceAt(world, 0, 0).id });

    // Assess
    expect(response.instance.id).toBe(nodeInstanceAt(world, 0, 0).id);
    expect(api.faults.pending).toBe(0);
  });
});
