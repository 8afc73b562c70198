/**
 * Enforcement over the real SDK clients (real request signing) against the
 * fake OCI API: each case where a read answers in part, or not at all, and
 * the tool must not act on what it could not read.
 */
import { MembershipUnknownError, MissingEtagError, OciCallError } from '../../src/errors';
import type { FakeOciApi } from '../../src/local/fake-oci-api';
import type { World } from '../../src/local/world';
import { enforceInstance } from '../../src/tagging/enforce-instance';
import { enforcePool } from '../../src/tagging/enforce-pool';
import { reconcile } from '../../src/tagging/reconcile';
import {
  addLooseVm,
  addPoolsElsewhere,
  CLUSTER_TAG_KEY,
  clusterTaggedWorld,
  instanceOf,
  nodesOf,
  OTHER_DEFINED_TAGS,
  ourValueOf,
  setOurValue,
  taggedWorld,
} from '../helpers/enforcement-worlds';
import { useFakeApiHarness } from '../helpers/fake-api-harness';
import { instanceDeps, poolDeps, pruningReconcile, realPorts, TEST_KEYS, type RealPorts } from '../helpers/real-ports';
import { buildWorld, fakeOcid, nodeInstanceAt, poolAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const harness = useFakeApiHarness();

/** A fake serving `world`, and ports over it. */
async function serve(world: World): Promise<{ api: FakeOciApi; ports: RealPorts }> {
  const api = await harness.startApi({ world, pageSize: 50 });
  return { api, ports: realPorts(api, harness.configFileProvider()) };
}

/** Our key's value on each instance, by OCID, as the fake holds them now. */
function ourValues(api: FakeOciApi): Record<string, unknown> {
  return Object.fromEntries(api.world.instances.map((instance) => [instance.id, ourValueOf(instance)]));
}

const updates = (api: FakeOciApi) => api.calls.filter((call) => call.operation === 'UpdateInstance');

describe('reconcile --prune over answers that say too little', () => {
  it('prunes no node of a pool whose read keeps failing with 5xx, and counts those nodes unknown', async () => {
    const world = taggedWorld({ pools: 2, nodesPerPool: 2 });
    for (const node of nodesOf(world, poolAt(world, 1))) delete node.metadata['oke-pool-id'];
    const { api, ports } = await serve(world);
    const before = ourValues(api);
    api.faults.fail({ operation: 'GetNodePool', resourceId: poolAt(world, 1).id, times: 1000, status: 503 });

    const summary = await reconcile(ports.compute, ports.containerEngine, pruningReconcile(ports, [TEST_COMPARTMENT_ID]));

    expect(updates(api)).toEqual([]);
    expect(ourValues(api)).toEqual(before);
    expect(summary).toMatchObject({ unknown: 2, failed: 1, complete: true, verified: false, counts: { prune: 0, ok: 2 } });
    expect(summary.failures?.[0]).toMatchObject({ resourceId: poolAt(world, 1).id, error: expect.stringContaining('503') });
    expect(ports.scope.stats.retries).toBeGreaterThan(0);
  });

  const partialAnswers: [string, (api: FakeOciApi, world: World) => void, number][] = [
    ['without nodes', (api, world) => api.faults.nodePoolWithoutNodes({ nodePoolId: poolAt(world, 1).id }), 3],
    ['with "nodes": null', (api, world) => api.faults.nodePoolWithoutNodes({ nodePoolId: poolAt(world, 1).id, as: 'null' }), 3],
    ['with node entries that have no id', (api, world) => api.faults.nodesWithoutId({ nodePoolId: poolAt(world, 1).id, count: 1 }), 1],
    [
      'listing a node of ours without its id',
      (api, world) => api.faults.hideNodeIds({ nodePoolId: poolAt(world, 1).id, instanceIds: [nodeInstanceAt(world, 1, 0).id] }),
      2,
    ],
  ];

  it.each(partialAnswers)(
    'prunes nothing when GetNodePool answers 200 %s, and does not call the run verified',
    async (_shape, injectFault, unknown) => {
      const world = taggedWorld({ pools: 2, nodesPerPool: 2 });
      const vm = addLooseVm(world, { seed: 'tampered', compartmentId: TEST_COMPARTMENT_ID, ourValue: 'pool-2' });
      const { api, ports } = await serve(world);
      const before = ourValues(api);
      injectFault(api, world);

      const summary = await reconcile(ports.compute, ports.containerEngine, pruningReconcile(ports, [TEST_COMPARTMENT_ID]));

      expect(updates(api)).toEqual([]);
      expect(ourValues(api)).toEqual(before);
      expect(ourValueOf(api.getInstance(vm.id))).toBe('pool-2');
      expect(summary).toMatchObject({ unknown, failed: 0, verified: false, counts: { prune: 0 } });
      expect(summary.warnings?.join('\n')).toContain(poolAt(world, 1).id);
    },
  );

  it('prunes a VM that carries only the cluster key, since that key alone joins the cluster’s dynamic group', async () => {
    const world = clusterTaggedWorld({ pools: 1, nodesPerPool: 1 });
    const vm = addLooseVm(world, { seed: 'cluster-key-only', compartmentId: TEST_COMPARTMENT_ID });
    setOurValue(vm, 'cluster-1', CLUSTER_TAG_KEY);
    const { api, ports } = await serve(world);

    const summary = await reconcile(
      ports.compute,
      ports.containerEngine,
      pruningReconcile(ports, [TEST_COMPARTMENT_ID], { keys: { ...TEST_KEYS, clusterTagName: CLUSTER_TAG_KEY } }),
    );

    expect(summary).toMatchObject({ counts: { prune: 1, ok: 1 }, applied: 1, verified: true });
    expect(api.getInstance(vm.id)?.definedTags).toEqual(OTHER_DEFINED_TAGS);
  });

  it('prunes no node whose hinted pool, outside the scanned compartments, answers 404 to the hint check', async () => {
    const world = taggedWorld({ pools: 1, nodesPerPool: 1 });
    const teamCompartment = fakeOcid('compartment', 'team-b', '');
    const [outside] = addPoolsElsewhere(world, {
      seed: 'team-b',
      poolCompartmentId: teamCompartment,
      instanceCompartmentId: TEST_COMPARTMENT_ID,
    });
    if (outside === undefined) throw new Error('no pool added');
    const node = instanceOf(world, outside.nodes[0]?.id ?? '');
    const { api, ports } = await serve(world);
    api.faults.nodePoolNotFound({ nodePoolId: outside.id });

    const summary = await reconcile(ports.compute, ports.containerEngine, pruningReconcile(ports, [TEST_COMPARTMENT_ID]));

    expect(updates(api)).toEqual([]);
    expect(ourValueOf(api.getInstance(node.id))).toBe(outside.name);
    expect(summary).toMatchObject({ unknown: 1, verified: false, counts: { prune: 0, unknown: 1 } });
  });

  it('strips no node when every GetNodePool answers 404, and counts each pool as a failure', async () => {
    const world = taggedWorld({ pools: 3, nodesPerPool: 2 });
    const { api, ports } = await serve(world);
    const before = ourValues(api);
    api.faults.nodePoolNotFound();

    const summary = await reconcile(ports.compute, ports.containerEngine, pruningReconcile(ports, [TEST_COMPARTMENT_ID]));

    expect(updates(api)).toEqual([]);
    expect(ourValues(api)).toEqual(before);
    expect(summary).toMatchObject({ failed: 3, unknown: 6, verified: false, counts: { prune: 0 } });
    expect(summary.failures?.map((failure) => failure.error).join('\n')).toContain('read cluster-family');
  });
});

describe('instance events over the real adapters', () => {
  it('writes nothing without If-Match when GetInstance keeps answering without an ETag, and says why', async () => {
    const world = buildWorld({ pools: 1, nodesPerPool: 1 });
    const node = nodeInstanceAt(world, 0, 0);
    const { api, ports } = await serve(world);
    api.faults.omitEtag({ instanceId: node.id, operation: 'GetInstance' });

    const result = enforceInstance(instanceDeps(ports), node.id, 'launch');

    await expect(result).rejects.toThrow(MissingEtagError);
    await expect(result).rejects.toThrow(`GetInstance ${node.id} answered without an ETag`);
    expect(api.calls.map((call) => call.operation)).toEqual(['GetInstance', 'GetNodePool', 'GetInstance']);
    expect(ourValueOf(api.getInstance(node.id))).toBeUndefined();
  });

  it('reads the instance once more when one GetInstance answer lacks its ETag, then writes with If-Match', async () => {
    const world = buildWorld({ pools: 1, nodesPerPool: 1 });
    const node = nodeInstanceAt(world, 0, 0);
    const { api, ports } = await serve(world);
    api.faults.omitEtag({ instanceId: node.id, operation: 'GetInstance', times: 1 });

    const result = await enforceInstance(instanceDeps(ports), node.id, 'launch');

    expect(result.outcome).toBe('tagged');
    expect(updates(api).map((call) => call.ifMatch)).toEqual([expect.any(String)]);
  });

  it.each(['TERMINATING', 'TERMINATED'])('answers gone after one call for an instance already %s', async (state) => {
    const world = buildWorld({ pools: 1, nodesPerPool: 1 });
    const node = nodeInstanceAt(world, 0, 0);
    node.lifecycleState = state;
    const { api, ports } = await serve(world);

    const result = await enforceInstance(instanceDeps(ports), node.id, 'launch');

    expect(result).toMatchObject({ outcome: 'gone', instanceId: node.id });
    expect(api.calls.map((call) => call.operation)).toEqual(['GetInstance']);
  });

  it('fails naming the read cluster-family grant when the hinted pool answers 404 while ListNodePools shows it', async () => {
    const world = taggedWorld({ pools: 1, nodesPerPool: 1 });
    const node = nodeInstanceAt(world, 0, 0);
    const { api, ports } = await serve(world);
    api.faults.nodePoolNotFound({ nodePoolId: poolAt(world, 0).id });

    const result = enforceInstance(instanceDeps(ports), node.id, 'update');

    await expect(result).rejects.toThrow(MembershipUnknownError);
    await expect(result).rejects.toThrow(
      `GetNodePool ${poolAt(world, 0).id} answered 404 although ListNodePools lists it: the pool may not be read (grant read cluster-family)`,
    );
    expect(updates(api)).toEqual([]);
    expect(ourValueOf(api.getInstance(node.id))).toBe('pool-1');
  });

  it('takes no proof from a hinted pool that answers 404 even when no list shows it, and keeps our key', async () => {
    // A forged oke-pool-id and a pool the function may not read look the same: the run fails, the alarm fires, nothing is removed.
    const world = buildWorld({ pools: 1, nodesPerPool: 1 });
    const vm = addLooseVm(world, {
      seed: 'deleted-pool',
      compartmentId: TEST_COMPARTMENT_ID,
      ourValue: 'pool-1',
      okeMetadataOf: { ...nodeInstanceAt(world, 0, 0), metadata: { 'oke-pool-id': fakeOcid('nodepool', 'long-gone') } },
    });
    const { api, ports } = await serve(world);

    const run = enforceInstance(instanceDeps(ports), vm.id, 'update');

    await expect(run).rejects.toThrow(
      `its oke-pool-id ${fakeOcid('nodepool', 'long-gone')} answered 404: the pool is missing or may not be read`,
    );
    expect(updates(api)).toEqual([]);
    expect(ourValueOf(api.getInstance(vm.id))).toBe('pool-1');
  });
});

describe('pool events over the real adapters', () => {
  it('fails naming GetNodePool when the pool read keeps failing, and writes nothing', async () => {
    const world = buildWorld({ pools: 1, nodesPerPool: 2 });
    const { api, ports } = await serve(world);
    api.faults.fail({ operation: 'GetNodePool', times: 1000, status: 500 });

    const result = enforcePool(poolDeps(ports), poolAt(world, 0).id);

    await expect(result).rejects.toThrow(OciCallError);
    await expect(result).rejects.toThrow(`GetNodePool ${poolAt(world, 0).id} failed: 500`);
    expect(updates(api)).toEqual([]);
  });

  it('tags the nodes a pool lists but calls the run incomplete when the pool lists a node without an id', async () => {
    const world = buildWorld({ pools: 1, nodesPerPool: 2 });
    const { api, ports } = await serve(world);
    api.faults.nodesWithoutId({ nodePoolId: poolAt(world, 0).id, count: 1 });

    const result = await enforcePool(poolDeps(ports), poolAt(world, 0).id);

    expect(result).toMatchObject({ outcome: 'reconciled', counts: { tag: 2 }, applied: 2, complete: false });
    expect(result.notices).toEqual([expect.objectContaining({ level: 'warn', msg: 'node pool incomplete' })]);
  });
});
