/**
 * How the fake meets requests whatever their route: validation, latency, rate limit and the call log.
 */
import { useFakeApiHarness } from '../helpers/fake-api-harness';
import { signedRequest } from '../helpers/oci-credentials';
import { buildWorld, clusterAt, fakeOcid, nodeInstanceAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const harness = useFakeApiHarness();
const { startApi, clientsFor } = harness;

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('request validation', () => {
  const signer = (): { keyId: string; privateKeyPem: string } => ({
    keyId: harness.credentials.configFile.keyId,
    privateKeyPem: harness.credentials.privateKeyPem,
  });

  it.each([
    ['an unknown query parameter', `/20180222/nodePools?compartmentId=${TEST_COMPARTMENT_ID}&colour=blue`, 400, 'colour'],
    ['a limit of 0', `/20180222/nodePools?compartmentId=${TEST_COMPARTMENT_ID}&limit=0`, 400, 'limit'],
    ['a page token it never issued', `/20160918/instances?compartmentId=${TEST_COMPARTMENT_ID}&page=bm9wZQ`, 400, 'page token'],
    ['a malformed compartment OCID', '/20160918/instances?compartmentId=ocid1.instance.oc1.iad.aaaa', 400, 'compartmentId'],
    ['a missing compartmentId', '/20180222/clusters', 400, 'compartmentId'],
    ['a query parameter on GetInstance', `/20160918/instances/${fakeOcid('instance', 'x')}?x=1`, 400, 'x'],
  ])('answers 400 to %s', async (_case, path, status, named) => {
    // Prepare
    const api = await startApi({ world: buildWorld() });

    // Act
    const response = await signedRequest(api.url, { method: 'GET', path, ...signer() });

    // Assess
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ message: expect.stringContaining(named) });
  });

  it('answers 400 to a page token issued by another operation', async () => {
    // Prepare
    const api = await startApi({ world: buildWorld({ pools: 3, clusters: 3 }), pageSize: 1 });
    const { containerEngine } = clientsFor(api);
    const clusters = await containerEngine.listClusters({ compartmentId: TEST_COMPARTMENT_ID });

    // Act
    const attempt = containerEngine.listNodePools({ compartmentId: TEST_COMPARTMENT_ID, page: clusters.opcNextPage ?? 'missing' });

    // Assess
    await expect(attempt).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining('page token') });
  });

  it('answers 404 to an unknown route without counting it as a call', async () => {
    // Prepare
    const api = await startApi({ world: buildWorld() });

    // Act
    const response = await signedRequest(api.url, { method: 'GET', path: '/20160918/vnics', ...signer() });

    // Assess
    expect(response.status).toBe(404);
    expect(api.unrouted).toEqual(['GET /20160918/vnics']);
    expect(api.count()).toBe(0);
  });

  it('answers 400 to an UpdateInstance field that does not exist', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });

    // Act
    const response = await signedRequest(api.url, {
      method: 'PUT',
      path: `/20160918/instances/${nodeInstanceAt(world, 0, 0).id}`,
      body: '{"definedTag":{}}',
      ...signer(),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'InvalidParameter', message: expect.stringContaining('definedTag') });
  });
});

describe('latency, rate limit and call log', () => {
  it('adds latency to every request while serving concurrent requests concurrently', async () => {
    // Prepare
    const world = buildWorld({ nodesPerPool: 5 });
    const api = await startApi({ world, latencyMs: 300 });
    const { compute } = clientsFor(api);

    // Act
    const started = Date.now();
    await Promise.all(world.instances.map((instance) => compute.getInstance({ instanceId: instance.id })));
    const elapsed = Date.now() - started;

    // Assess
    // Served one after another, five calls would take 1500 ms.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1200);
    expect(api.count('GetInstance')).toBe(5);
  });

  it('answers 429 TooManyRequests once the token bucket is empty', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world, rateLimit: { requestsPerSecond: 0.5, burst: 2 } });
    const { compute } = clientsFor(api);
    const instanceId = nodeInstanceAt(world, 0, 0).id;

    // Act
    await compute.getInstance({ instanceId });
    await compute.getInstance({ instanceId });
    const third = compute.getInstance({ instanceId });

    // Assess
    await expect(third).rejects.toMatchObject({ statusCode: 429, serviceCode: 'TooManyRequests' });
    expect(api.calls.map((call) => call.status)).toEqual([200, 200, 429]);
  });

  it('counts calls per operation, including failed ones, until reset', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const { compute, containerEngine } = clientsFor(api);
    api.faults.fail({ operation: 'GetCluster', times: 1, status: 500 });

    // Act
    await compute.getInstance({ instanceId: nodeInstanceAt(world, 0, 0).id });
    await containerEngine.getCluster({ clusterId: clusterAt(world, 0).id }).catch(() => undefined);
    await containerEngine.getCluster({ clusterId: clusterAt(world, 0).id });
    await containerEngine.listClusters({ compartmentId: TEST_COMPARTMENT_ID });
    const counts = { all: api.count(), getCluster: api.count('GetCluster'), update: api.count('UpdateInstance') };
    api.resetCalls();

    // Assess
    expect(counts).toEqual({ all: 4, getCluster: 2, update: 0 });
    expect(api.count()).toBe(0);
    expect(api.calls).toEqual([]);
  });

  it('closes keep-alive connections and abandons delayed requests on stop', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world, latencyMs: 10_000 });
    const { compute } = clientsFor(api);
    const pending = compute.getInstance({ instanceId: nodeInstanceAt(world, 0, 0).id }).then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => api.count() === 1, 'the request to arrive');

    // Act
    const started = Date.now();
    await api.stop();
    const outcome = await pending;

    // Assess
    expect(outcome).toBe('failed');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
