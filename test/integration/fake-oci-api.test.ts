/**
 * The fake OCI API, exercised through the real SDK clients with real request
 * signing, so that what passes here is what our adapters will meet.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as common from 'oci-common';
import { ContainerEngineClient } from 'oci-containerengine';
import { ComputeClient } from 'oci-core';
import { FakeOciApi, type FakeOciApiOptions } from '../../src/local/fake-oci-api';
import { loadWorldFile, parseWorld, type World } from '../../src/local/world';
import { createTestCredentials, signedRequest, withEnv, type TestCredentials } from '../helpers/oci-credentials';
import {
  buildWorld,
  clusterAt,
  fakeOcid,
  NODEPOOL_TAG_KEY,
  NODEPOOL_TAG_NAMESPACE,
  nodeInstanceAt,
  poolAt,
  TEST_COMPARTMENT_ID,
} from '../helpers/worlds';

/** Retries and the circuit breaker off, so every fault reaches the test as it happened. */
const clientConfiguration: common.ClientConfiguration = {
  retryConfiguration: common.NoRetryConfigurationDetails,
  circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
};

let credentials: TestCredentials;
let strangerCredentials: TestCredentials;
const running: FakeOciApi[] = [];

beforeAll(async () => {
  [credentials, strangerCredentials] = await Promise.all([createTestCredentials(), createTestCredentials()]);
});

afterAll(async () => {
  await Promise.all([credentials.cleanup(), strangerCredentials.cleanup()]);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((api) => api.stop()));
});

async function startApi(options: Partial<FakeOciApiOptions> & { world: World }): Promise<FakeOciApi> {
  const api = new FakeOciApi({ trustedKeys: credentials.trustedKeys, ...options });
  running.push(api);
  await api.start();
  return api;
}

function configFileProvider(from: TestCredentials = credentials): common.ConfigFileAuthenticationDetailsProvider {
  return new common.ConfigFileAuthenticationDetailsProvider(from.configFile.path, from.configFile.profile);
}

/** Both clients against the fake. `endpoint` is set last: setting a region (the provider does) overwrites it. */
function clientsFor(
  api: FakeOciApi,
  provider: common.AuthenticationDetailsProvider = configFileProvider(),
): { compute: ComputeClient; containerEngine: ContainerEngineClient } {
  const compute = new ComputeClient({ authenticationDetailsProvider: provider }, clientConfiguration);
  const containerEngine = new ContainerEngineClient({ authenticationDetailsProvider: provider }, clientConfiguration);
  compute.endpoint = api.url;
  containerEngine.endpoint = api.url;
  return { compute, containerEngine };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('request signing', () => {
  it('accepts requests signed through a config file provider', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world, trustedKeys: { [credentials.configFile.keyId]: credentials.publicKeyPem } });
    const { compute } = clientsFor(api);
    const expected = nodeInstanceAt(world, 0, 0);

    // Act
    const response = await compute.getInstance({ instanceId: expected.id });

    // Assess
    expect(response.instance.displayName).toBe(expected.displayName);
    expect(api.calls).toEqual([{ operation: 'GetInstance', resourceId: expected.id, status: 200 }]);
  });

  it('accepts requests signed through a resource principal provider with the RPST keyId', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world, trustedKeys: { [credentials.resourcePrincipalKeyId]: credentials.publicKeyPem } });
    const provider = withEnv(credentials.resourcePrincipalEnv, () => common.ResourcePrincipalAuthenticationDetailsProvider.builder());
    const { containerEngine } = clientsFor(api, provider);

    // Act
    const response = await containerEngine.getNodePool({ nodePoolId: poolAt(world, 0).id });

    // Assess
    expect(response.nodePool.name).toBe('pool-1');
    expect(await provider.getKeyId()).toBe(credentials.resourcePrincipalKeyId);
    expect(await provider.getStringClaim('res_compartment')).toMatch(/^ocid1\.compartment\./);
  });

  it('answers 401 NotAuthenticated to a keyId it does not trust', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const { compute } = clientsFor(api, configFileProvider(strangerCredentials));

    // Act
    const attempt = compute.getInstance({ instanceId: nodeInstanceAt(world, 0, 0).id });

    // Assess
    await expect(attempt).rejects.toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });
    expect(api.calls).toEqual([expect.objectContaining({ operation: 'GetInstance', status: 401 })]);
  });

  it('answers 401 when the signature does not verify with the trusted key', async () => {
    // Prepare: the keyId is trusted, but with someone else's public key.
    const world = buildWorld();
    const api = await startApi({ world, trustedKeys: { [credentials.configFile.keyId]: strangerCredentials.publicKeyPem } });
    const { compute } = clientsFor(api);

    // Act
    const attempt = compute.getInstance({ instanceId: nodeInstanceAt(world, 0, 0).id });

    // Assess
    await expect(attempt).rejects.toMatchObject({ statusCode: 401, message: expect.stringContaining('signature does not verify') });
  });

  it('answers 401 to an unsigned request', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });

    // Act
    const response = await fetch(`${api.url}/20160918/instances/${nodeInstanceAt(world, 0, 0).id}`);

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'NotAuthenticated' });
  });

  it('answers 401 when the signed date is more than 5 minutes off, and accepts 4 minutes', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const path = `/20160918/instances/${nodeInstanceAt(world, 0, 0).id}`;
    const signer = { method: 'GET', path, keyId: credentials.configFile.keyId, privateKeyPem: credentials.privateKeyPem } as const;

    // Act
    const stale = await signedRequest(api.url, { ...signer, date: new Date(Date.now() - 6 * 60 * 1000) });
    const slightlyOff = await signedRequest(api.url, { ...signer, date: new Date(Date.now() + 4 * 60 * 1000) });

    // Assess
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ code: 'NotAuthenticated', message: expect.stringContaining('clock skew') });
    expect(slightlyOff.status).toBe(200);
  });

  it('answers 401 when the body sent is not the body whose hash was signed', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const instance = nodeInstanceAt(world, 0, 0);

    // Act
    const response = await signedRequest(api.url, {
      method: 'PUT',
      path: `/20160918/instances/${instance.id}`,
      keyId: credentials.configFile.keyId,
      privateKeyPem: credentials.privateKeyPem,
      body: '{"displayName":"aaaa"}',
      sendBody: '{"displayName":"bbbb"}',
    });

    // Assess
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ message: expect.stringContaining('x-content-sha256') });
    expect(api.getInstance(instance.id)?.displayName).toBe(instance.displayName);
  });
});

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

describe('Compute', () => {
  it('pages ListInstances across several pages', async () => {
    // Prepare
    const world = buildWorld({ pools: 2, nodesPerPool: 3, selfManagedInstances: 1 });
    const api = await startApi({ world, pageSize: 3 });
    const { compute } = clientsFor(api);

    // Act
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let page: string | undefined;
    do {
      const response = await compute.listInstances({ compartmentId: TEST_COMPARTMENT_ID, ...(page === undefined ? {} : { page }) });
      seen.push(...response.items.map((item) => item.id));
      pageSizes.push(response.items.length);
      page = response.opcNextPage;
    } while (page !== undefined);

    // Assess
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(world.instances.map((instance) => instance.id));
  });

  it('returns the instance with its metadata and an etag', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    const instance = nodeInstanceAt(world, 0, 0);

    // Act
    const response = await compute.getInstance({ instanceId: instance.id });

    // Assess
    expect(response.etag).toBe(api.etagOf(instance.id));
    expect(response.instance.metadata?.['oke-pool-id']).toBe(poolAt(world, 0).id);
    expect(response.instance.definedTags).toEqual(instance.definedTags);
  });

  it('answers 404 for an unknown instance and 400 for a malformed instance OCID', async () => {
    // Prepare
    const api = await startApi({ world: buildWorld() });
    const { compute } = clientsFor(api);

    // Act
    const unknown = compute.getInstance({ instanceId: fakeOcid('instance', 'missing') });
    const malformed = compute.getInstance({ instanceId: 'not-an-ocid' });
    const wrongType = compute.getInstance({ instanceId: fakeOcid('nodepool', 'x') });

    // Assess
    await expect(unknown).rejects.toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
    await expect(malformed).rejects.toMatchObject({ statusCode: 400, serviceCode: 'InvalidParameter' });
    await expect(wrongType).rejects.toMatchObject({ statusCode: 404 });
  });

  it('answers 412 NoEtagMatch when if-match carries a stale etag', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    const instance = nodeInstanceAt(world, 0, 0);
    const { etag } = await compute.getInstance({ instanceId: instance.id });
    await compute.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { displayName: 'renamed' },
      ...(etag === undefined ? {} : { ifMatch: etag }),
    });

    // Act
    const stale = compute.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { displayName: 'again' },
      ...(etag === undefined ? {} : { ifMatch: etag }),
    });

    // Assess
    await expect(stale).rejects.toMatchObject({ statusCode: 412, serviceCode: 'NoEtagMatch' });
    expect(api.getInstance(instance.id)?.displayName).toBe('renamed');
  });

  it('applies only the fields sent, records them and bumps the etag', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    instance.freeformTags = { team: 'platform' };
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    const before = await compute.getInstance({ instanceId: instance.id });
    const definedTags = { ...instance.definedTags, [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'pool-1' } };

    // Act
    const updated = await compute.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { definedTags },
      ...(before.etag === undefined ? {} : { ifMatch: before.etag }),
    });

    // Assess
    expect(updated.instance.definedTags).toEqual(definedTags);
    expect(updated.instance.freeformTags).toEqual({ team: 'platform' });
    expect(updated.instance.displayName).toBe(instance.displayName);
    expect(updated.etag).toBe(api.etagOf(instance.id));
    expect(updated.etag).not.toBe(before.etag);
    expect(api.calls.at(-1)).toEqual({
      operation: 'UpdateInstance',
      resourceId: instance.id,
      status: 200,
      sentFields: ['definedTags'],
      ifMatch: before.etag,
    });
    expect(api.world.instances.find((candidate) => candidate.id === instance.id)?.definedTags).toEqual(definedTags);
  });

  it('replaces the whole defined-tags map, dropping namespaces not sent', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);

    // Act
    await compute.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { definedTags: { [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'p' } } },
    });

    // Assess
    expect(api.getInstance(instance.id)?.definedTags).toEqual({ [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'p' } });
  });

  it('records freeform tags and display name when both are sent', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);

    // Act
    await compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { displayName: 'n1', freeformTags: { a: 'b' } } });

    // Assess
    expect(api.calls.at(-1)?.sentFields).toEqual(['displayName', 'freeformTags']);
    expect(api.getInstance(instance.id)).toMatchObject({ displayName: 'n1', freeformTags: { a: 'b' }, definedTags: instance.definedTags });
  });

  it.each([
    ['an unknown namespace', { Missing: { k: 'v' } }, 'Missing'],
    ['an unknown key', { [NODEPOOL_TAG_NAMESPACE]: { 'no-such-key': 'v' } }, 'no-such-key'],
    ['a retired namespace', { Retired: { k: 'v' } }, 'Retired is retired'],
    ['a value over 256 characters', { [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'x'.repeat(257) } }, '256'],
    ['a non-string value', { [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 7 } }, NODEPOOL_TAG_KEY],
  ])('answers 400 InvalidParameter to defined tags with %s', async (_case, definedTags, named) => {
    // Prepare
    const world = buildWorld({
      tagNamespaces: { [NODEPOOL_TAG_NAMESPACE]: { keys: [NODEPOOL_TAG_KEY], retired: false }, Retired: { keys: ['k'], retired: true } },
    });
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);

    // Act
    const attempt = compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { definedTags } });

    // Assess
    await expect(attempt).rejects.toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
      message: expect.stringContaining(named),
    });
    expect(api.getInstance(instance.id)?.definedTags).toEqual(instance.definedTags);
  });

  it('accepts the Oracle-Tags default tags without them being in the catalogue', async () => {
    // Prepare
    const world = buildWorld({ tagNamespaces: {} });
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    const definedTags = { 'Oracle-Tags': { CreatedBy: 'someone', CreatedOn: '2024-01-01T00:00:00Z' } };

    // Act
    const updated = await compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { definedTags } });

    // Assess
    expect(updated.instance.definedTags).toEqual(definedTags);
  });
});

describe('request validation', () => {
  const signer = (): { keyId: string; privateKeyPem: string } => ({
    keyId: credentials.configFile.keyId,
    privateKeyPem: credentials.privateKeyPem,
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

describe('world state', () => {
  it('serves a deep copy of the world it was given', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);

    // Act
    instance.displayName = 'changed-after-start';
    await compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { freeformTags: { k: 'v' } } });

    // Assess
    expect(api.getInstance(instance.id)?.displayName).not.toBe('changed-after-start');
    expect(instance.freeformTags).toEqual({});
  });

  it('round-trips fields it does not model', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    instance['launchMode'] = 'PARAVIRTUALIZED';
    const api = await startApi({ world: parseWorld(JSON.parse(JSON.stringify(world)), 'inline') });
    const { compute } = clientsFor(api);

    // Act
    const response = await compute.getInstance({ instanceId: instance.id });

    // Assess
    expect(response.instance.launchMode).toBe('PARAVIRTUALIZED');
  });
});

describe('world files', () => {
  const valid = (): Record<string, unknown> => JSON.parse(JSON.stringify(buildWorld({ nodesPerPool: 2 }))) as Record<string, unknown>;

  it.each<[string, (json: Record<string, unknown>) => void, string]>([
    [
      'a node pool whose clusterId is not a cluster OCID',
      (json) => Object.assign((json['nodePools'] as Record<string, unknown>[])[0] ?? {}, { clusterId: 'cluster-1' }),
      'nodePools[0].clusterId',
    ],
    [
      'an instance whose definedTags is not an object',
      (json) => Object.assign((json['instances'] as Record<string, unknown>[])[1] ?? {}, { definedTags: 'x' }),
      'instances[1].definedTags',
    ],
    [
      'an instance with an unknown lifecycle state',
      (json) => Object.assign((json['instances'] as Record<string, unknown>[])[0] ?? {}, { lifecycleState: 'ON' }),
      'instances[0].lifecycleState',
    ],
    [
      'a node without a name',
      (json) =>
        Object.assign(((json['nodePools'] as { nodes: Record<string, unknown>[] }[])[0]?.nodes ?? [])[1] ?? {}, { name: undefined }),
      'nodePools[0].nodes[1].name',
    ],
    ['a misspelt top-level key', (json) => Object.assign(json, { nodepools: [] }), 'nodepools'],
    ['a repeated instance id', (json) => (json['instances'] as unknown[]).push((json['instances'] as unknown[])[0]), 'instances[2].id'],
    [
      'a non-boolean retired flag',
      (json) => Object.assign(json, { tagNamespaces: { ns: { keys: ['k'], retired: 'no' } } }),
      'tagNamespaces.ns.retired',
    ],
  ])('rejects %s, naming the file and the field', (_case, spoil, field) => {
    // Prepare
    const json = valid();
    spoil(json);

    // Act
    const parse = (): World => parseWorld(json, 'worlds/broken.json');

    // Assess
    expect(parse).toThrow(`world file worlds/broken.json: ${field} `);
  });

  it('names the file when it is not JSON, and loads a valid file', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'world-file-'));
    const broken = join(dir, 'broken.json');
    const good = join(dir, 'good.json');
    await writeFile(broken, '{ "clusters": [');
    await writeFile(good, JSON.stringify(buildWorld({ pools: 2 })));

    try {
      // Act
      const loading = loadWorldFile(broken);
      const loaded = await loadWorldFile(good);

      // Assess
      await expect(loading).rejects.toThrow(`world file ${broken}: not valid JSON`);
      expect(loaded.nodePools.map((pool) => pool.name)).toEqual(['pool-1', 'pool-2']);
      expect(loaded.tagNamespaces[NODEPOOL_TAG_NAMESPACE]).toEqual({ keys: [NODEPOOL_TAG_KEY], retired: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('defaults missing lists and maps to empty', () => {
    // Act
    const world = parseWorld(
      {
        instances: [
          { id: fakeOcid('instance', 'bare'), compartmentId: TEST_COMPARTMENT_ID, displayName: 'bare', lifecycleState: 'RUNNING' },
        ],
      },
      'inline',
    );

    // Assess
    expect(world).toEqual({
      clusters: [],
      nodePools: [],
      tagNamespaces: {},
      instances: [
        {
          id: fakeOcid('instance', 'bare'),
          compartmentId: TEST_COMPARTMENT_ID,
          displayName: 'bare',
          lifecycleState: 'RUNNING',
          metadata: {},
          definedTags: {},
          freeformTags: {},
        },
      ],
    });
  });
});
