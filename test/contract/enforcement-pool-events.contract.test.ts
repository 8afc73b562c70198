/**
 * Contract tests of pool enforcement and of function-mode reconcile's
 * verdicts: the built dist/func.js under the Fn contract answers
 * `updatenodepool.end` (a rename, or the autoscaler's resize) and reconcile
 * requests against the fake OCI API.
 */
import type { World } from '../../src/local/world';
import { logLines, nodePoolUpdated, reconcileRequest, useFunctionOverFake } from '../helpers/enforcement-function';
import { addLooseVm, nodesOf, ourValueOf, scaleUp, taggedWorld } from '../helpers/enforcement-worlds';
import { buildWorld, poolAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const poolEvent = (nodePoolId: string) => nodePoolUpdated(nodePoolId, TEST_COMPARTMENT_ID);
const reconcileAll = (extra: Record<string, unknown> = {}) => reconcileRequest([TEST_COMPARTMENT_ID], extra);

/** Two tagged pools of two nodes, and a VM that is no pool's node but carries our key. */
function twoPoolsAndATamperedVm(): World {
  const world = taggedWorld({ pools: 2, nodesPerPool: 2 });
  addLooseVm(world, { seed: 'tampered', compartmentId: TEST_COMPARTMENT_ID, ourValue: 'pool-2' });
  return world;
}

describe('updatenodepool.end under the Fn contract', () => {
  const fake = useFunctionOverFake(() => taggedWorld({ pools: 4, nodesPerPool: 3 }));

  it('re-tags every node of a renamed pool with the new name and warns of the rename', async () => {
    const pool = poolAt(fake.api.world, 2);
    pool.name = 'analytics';

    const response = await fake.fn.call(poolEvent(pool.id));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      outcome: 'reconciled',
      nodePoolId: pool.id,
      counts: { tag: 0, fix: 3, ok: 0 },
      applied: 3,
      complete: true,
      renamedFrom: ['pool-3'],
    });
    expect(nodesOf(fake.api.world, pool).map(ourValueOf)).toEqual(['analytics', 'analytics', 'analytics']);
    expect(await logLines(fake.fn, 'node pool renamed')).toEqual([
      expect.objectContaining({ level: 'warn', nodePoolId: pool.id, oldNames: ['pool-3'], newName: 'analytics' }),
    ]);
  });

  it('writes nothing when a pool is renamed onto another live pool’s name, and logs the collision as an error', async () => {
    const pool = poolAt(fake.api.world, 3);
    pool.name = 'pool-1';

    const response = await fake.fn.call(poolEvent(pool.id));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcome: 'reported', nodePoolId: pool.id, applied: 0 });
    expect(String(response.json.reason)).toContain(poolAt(fake.api.world, 0).id);
    expect(fake.api.count('UpdateInstance')).toBe(0);
    expect(nodesOf(fake.api.world, pool).map(ourValueOf)).toEqual(['pool-4', 'pool-4', 'pool-4']);
    expect(await logLines(fake.fn, 'node pool name collision')).toEqual([
      expect.objectContaining({ level: 'error', nodePoolId: pool.id, otherNodePoolId: poolAt(fake.api.world, 0).id }),
    ]);
  });

  it('tags the new nodes of a resized pool for one GetNodePool, the ListInstances pages and two calls per new node', async () => {
    const added = scaleUp(fake.api.world, 0, 2);
    const pool = poolAt(fake.api.world, 0);
    const pages = Math.ceil(fake.api.world.instances.filter((instance) => instance.compartmentId === pool.compartmentId).length / 5);

    const response = await fake.fn.call(poolEvent(pool.id));

    expect(response.json).toMatchObject({ outcome: 'reconciled', counts: { tag: 2, fix: 0, ok: 3 }, applied: 2, complete: true });
    expect(response.json.apiCalls).toBe(1 + pages + 2 * added.length);
    expect(fake.api.count('GetNodePool')).toBe(1);
    expect(fake.api.count('ListInstances')).toBe(pages);
    expect(fake.api.count('ListNodePools')).toBe(0);
    const instanceReads = fake.api.calls.filter((call) => call.operation === 'GetInstance').map((call) => call.resourceId);
    expect(instanceReads.sort()).toEqual(added.map((instance) => instance.id).sort());
    expect(nodesOf(fake.api.world, pool).map(ourValueOf)).toEqual(Array<string>(5).fill('pool-1'));
  });

  it('answers 502 naming GetNodePool when the pool read keeps failing, and writes nothing', async () => {
    const pool = poolAt(fake.api.world, 1);
    pool.name = 'renamed-while-unreadable';
    fake.api.faults.fail({ operation: 'GetNodePool', resourceId: pool.id, times: 1000, status: 500 });

    const response = await fake.fn.call(poolEvent(pool.id), { deadlineInMs: 2500 });

    expect(response.status).toBe(502);
    expect(response.text).toContain(`GetNodePool ${pool.id}`);
    expect(fake.api.count('UpdateInstance')).toBe(0);
    expect(nodesOf(fake.api.world, pool).map(ourValueOf)).toEqual(['pool-2', 'pool-2', 'pool-2']);
  });

  it('answers 502 naming the read cluster-family grant when the pool answers 404, and writes nothing', async () => {
    const pool = poolAt(fake.api.world, 1);
    fake.api.faults.nodePoolNotFound({ nodePoolId: pool.id });

    const response = await fake.fn.call(poolEvent(pool.id));

    expect(response.status).toBe(502);
    expect(response.text).toContain(`GetNodePool ${pool.id} failed: 404`);
    expect(response.text).toContain('read cluster-family');
    expect(fake.api.count('UpdateInstance')).toBe(0);
  });
});

describe('function-mode reconcile that cannot verify', () => {
  const fake = useFunctionOverFake(twoPoolsAndATamperedVm);

  it('answers 502 with the counts when a pool answers without its nodes, and prunes nothing', async () => {
    fake.api.faults.nodePoolWithoutNodes({ nodePoolId: poolAt(fake.api.world, 1).id });

    const response = await fake.fn.call(reconcileAll({ apply: true, prune: true }));

    expect(response.status).toBe(502);
    expect(response.text).toContain('reconcile is not verified: 3 unknown, 0 failed; counts {');
    expect(response.text).toContain(`GetNodePool ${poolAt(fake.api.world, 1).id} answered without a nodes list`);
    expect(fake.api.count('UpdateInstance')).toBe(0);
  });
});

describe('function-mode reconcile with impostor_action=report', () => {
  const fake = useFunctionOverFake(twoPoolsAndATamperedVm, { impostor_action: 'report' });

  it('lists a proven non-member as a prune candidate and prunes nothing, even when asked to', async () => {
    const response = await fake.fn.call(reconcileAll({ apply: true, prune: true }));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcome: 'reconciled', prune: false, counts: { prune: 1 }, verified: true });
    expect(response.json.pruneCandidates).toEqual([fake.api.world.instances.at(-1)?.id]);
    expect(fake.api.count('UpdateInstance')).toBe(0);
  });
});

describe('function-mode reconcile cut off by its deadline', () => {
  const fake = useFunctionOverFake(() => buildWorld({ pools: 80, nodesPerPool: 2 }), {}, { pageSize: 25, latencyMs: 100 });

  it('answers 200 with complete false and a resume token, not a failure', async () => {
    const response = await fake.fn.call(reconcileAll({ apply: true }), { deadlineInMs: 6000 });

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      outcome: 'reconciled',
      complete: false,
      verified: false,
      unknown: 0,
      failed: 0,
      resume: expect.any(String),
    });
  }, 20_000);
});
