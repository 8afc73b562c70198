/**
 * Contract tests of pool enforcement: the built dist/func.js under the Fn
 * contract answers `updatenodepool.end` (a rename, or the autoscaler's
 * resize) against the fake OCI API.
 */
import { logLines, nodePoolUpdated, useFunctionOverFake } from '../helpers/enforcement-function';
import { nodesOf, ourValueOf, scaleUp, taggedWorld } from '../helpers/enforcement-worlds';
import { poolAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const poolEvent = (nodePoolId: string) => nodePoolUpdated(nodePoolId, TEST_COMPARTMENT_ID);

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
    expect(nodesOf(fake.api.world, pool).map((node) => ourValueOf(node))).toEqual(['analytics', 'analytics', 'analytics']);
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
    expect(nodesOf(fake.api.world, pool).map((node) => ourValueOf(node))).toEqual(['pool-4', 'pool-4', 'pool-4']);
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
    expect(nodesOf(fake.api.world, pool).map((node) => ourValueOf(node))).toEqual(Array<string>(5).fill('pool-1'));
  });

  it('answers 502 naming GetNodePool when the pool read keeps failing, and writes nothing', async () => {
    const pool = poolAt(fake.api.world, 1);
    pool.name = 'renamed-while-unreadable';
    fake.api.faults.fail({ operation: 'GetNodePool', resourceId: pool.id, times: 1000, status: 500 });

    const response = await fake.fn.call(poolEvent(pool.id), { deadlineInMs: 2500 });

    expect(response.status).toBe(502);
    expect(response.text).toContain(`GetNodePool ${pool.id}`);
    expect(fake.api.count('UpdateInstance')).toBe(0);
    expect(nodesOf(fake.api.world, pool).map((node) => ourValueOf(node))).toEqual(['pool-2', 'pool-2', 'pool-2']);
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

describe('updatenodepool.end with dry_run=true', () => {
  const fake = useFunctionOverFake(() => taggedWorld({ pools: 2, nodesPerPool: 2 }), { dry_run: 'true' });

  it('counts the nodes a rename would fix, and writes nothing', async () => {
    const pool = poolAt(fake.api.world, 1);
    pool.name = 'analytics';

    const response = await fake.fn.call(poolEvent(pool.id));

    expect(response.json).toMatchObject({ outcome: 'reconciled', dryRun: true, counts: { fix: 2 }, applied: 0, renamedFrom: ['pool-2'] });
    expect(fake.api.count('UpdateInstance')).toBe(0);
    expect(nodesOf(fake.api.world, pool).map((node) => ourValueOf(node))).toEqual(['pool-2', 'pool-2']);
  });
});
