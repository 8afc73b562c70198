/**
 * Our adapters and retry policy over the real SDK clients (real signing with
 * an OCI config file) against the fake OCI API.
 */
import { ConfigFileAuthenticationDetailsProvider } from 'oci-common';
import { Deadline } from '../../src/deadline';
import { EtagMismatchError, OciCallError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { FakeOciApi } from '../../src/local/fake-oci-api';
import { createComputeAdapter, createContainerEngineAdapter } from '../../src/oci/adapters';
import { createOciClients, type OciClients } from '../../src/oci/clients';
import { createCallScope, DEFAULT_RETRY_POLICY, type CallScope } from '../../src/call-scope';
import { enforceInstance } from '../../src/tagging/enforce-instance';
import { createTagHistory } from '../../src/tagging/tag-history';
import { createTestCredentials, type TestCredentials } from '../helpers/oci-credentials';
import { buildWorld, nodeInstanceAt, poolAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

function newScope(seconds = 20): CallScope {
  return createCallScope({
    deadline: Deadline.inSeconds(seconds),
    logger: silentLogger,
    policy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5 },
  });
}

describe('OCI adapters against the fake API', () => {
  const world = buildWorld({ pools: 7, nodesPerPool: 3, selfManagedInstances: 2 });
  let credentials: TestCredentials;
  let api: FakeOciApi;
  let clients: OciClients;

  beforeAll(async () => {
    credentials = await createTestCredentials();
    api = new FakeOciApi({ world, trustedKeys: credentials.trustedKeys, pageSize: 2 });
    await api.start();
    const provider = new ConfigFileAuthenticationDetailsProvider(credentials.configFile.path, credentials.configFile.profile);
    clients = createOciClients(provider, { computeEndpoint: api.url, containerEngineEndpoint: api.url });
  });
  afterAll(async () => {
    await api.stop();
    await credentials.cleanup();
  });
  beforeEach(() => {
    api.resetCalls();
    api.faults.clear();
  });

  it('follows every page of ListNodePools and ListInstances', async () => {
    const scope = newScope();
    const ce = createContainerEngineAdapter(clients.containerEngine, scope);
    const compute = createComputeAdapter(clients.compute, scope);

    const pools = await ce.listNodePools(TEST_COMPARTMENT_ID);
    const instances = await compute.listInstances(TEST_COMPARTMENT_ID);

    expect(pools.map((pool) => pool.id).sort()).toEqual(world.nodePools.map((pool) => pool.id).sort());
    expect(api.count('ListNodePools')).toBe(4);
    expect(instances).toHaveLength(23);
    expect(api.count('ListInstances')).toBe(12);
    expect(scope.stats.apiCalls).toBe(16);
  });

  it('reads a node pool with its nodes, and answers undefined for one that does not exist', async () => {
    const ce = createContainerEngineAdapter(clients.containerEngine, newScope());

    const pool = await ce.getNodePool(poolAt(world, 0).id);
    const missing = await ce.getNodePool('ocid1.nodepool.oc1.iad.aaaaaaaanosuchpool000000000000000000000000000000000000');

    expect(pool?.nodeIds).toEqual(poolAt(world, 0).nodes.map((node) => node.id));
    expect(missing).toBeUndefined();
  });

  it('retries a dropped connection and a 409 IncorrectState', async () => {
    const scope = newScope();
    const compute = createComputeAdapter(clients.compute, scope);
    const instanceId = nodeInstanceAt(world, 0, 0).id;
    api.faults.dropConnection({ operation: 'GetInstance', times: 1 });
    api.faults.fail({ operation: 'GetInstance', times: 1, status: 409, code: 'IncorrectState' });

    const snapshot = await compute.getInstance(instanceId);

    expect(snapshot.instance.id).toBe(instanceId);
    expect(scope.stats).toMatchObject({ apiCalls: 3, retries: 2 });
  });

  it('does not retry a 409 Conflict and names the operation, the OCID and the code', async () => {
    const scope = newScope();
    const compute = createComputeAdapter(clients.compute, scope);
    const instanceId = nodeInstanceAt(world, 0, 0).id;
    api.faults.fail({ operation: 'GetInstance', times: 1, status: 409, code: 'Conflict' });

    const call = compute.getInstance(instanceId);

    await expect(call).rejects.toThrow(OciCallError);
    await expect(call).rejects.toThrow(`GetInstance ${instanceId} failed: 409 Conflict`);
    expect(scope.stats.apiCalls).toBe(1);
  });

  it('writes only definedTags with If-Match, reports a stale ETag as a mismatch and counts the 412', async () => {
    const scope = newScope();
    const compute = createComputeAdapter(clients.compute, scope);
    const instanceId = nodeInstanceAt(world, 1, 0).id;
    const { instance, etag } = await compute.getInstance(instanceId);
    if (etag === undefined) throw new Error('GetInstance answered without an ETag');

    await compute.updateDefinedTags(instanceId, { ...instance.definedTags, 'oke-nodepool-tags': { 'oke-nodepool-name': 'x' } }, etag);
    const stale = compute.updateDefinedTags(instanceId, instance.definedTags, etag);

    await expect(stale).rejects.toThrow(EtagMismatchError);
    const updates = api.calls.filter((call) => call.operation === 'UpdateInstance');
    expect(updates.map((call) => [call.status, call.sentFields, call.ifMatch])).toEqual([
      [200, ['definedTags'], etag],
      [412, ['definedTags'], etag],
    ]);
    expect(scope.stats.etagConflicts).toBe(1);
  });

  it('finds a node by scanning every page of pools when its hint is missing', async () => {
    const scope = newScope();
    const target = nodeInstanceAt(world, 6, 2);
    const stored = api.world.instances.find((instance) => instance.id === target.id);
    if (!stored) throw new Error('world lost the node');
    delete stored.metadata['oke-pool-id'];

    const result = await enforceInstance(
      {
        compute: createComputeAdapter(clients.compute, scope),
        containerEngine: createContainerEngineAdapter(clients.containerEngine, scope),
        keys: { tagNamespace: 'oke-nodepool-tags', tagName: 'oke-nodepool-name' },
        dryRun: false,
        extraCompartmentIds: [],
        membershipWaitMs: 0,
        graceMs: 30 * 60_000,
        impostorAction: 'remove',
        history: createTagHistory(),
        deadline: scope.deadline,
        sleep: scope.sleep,
        now: scope.now,
      },
      target.id,
      'launch',
    );

    expect(result).toMatchObject({ outcome: 'tagged', nodePoolId: poolAt(world, 6).id, foundVia: 'scan' });
    expect(api.count('ListNodePools')).toBe(4);
    expect(api.getInstance(target.id)?.definedTags).toEqual({
      ...target.definedTags,
      'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-7' },
    });
  });
});
