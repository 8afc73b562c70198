/**
 * Contract tests of function-mode reconcile's verdicts: the built
 * dist/func.js under the Fn contract fails a run it cannot verify (502, with
 * the counts), so that the alarm on function errors fires, and answers 200
 * for a run that is merely cut off by its deadline or finds nothing unknown.
 */
import type { World } from '../../src/local/world';
import { reconcileRequest, useFunctionOverFake } from '../helpers/enforcement-function';
import {
  addLooseVm,
  EXAMPLE_POOLS_COMPARTMENT as POOLS_COMPARTMENT,
  EXAMPLE_WORKERS_COMPARTMENT as WORKERS_COMPARTMENT,
  exampleWorld,
  taggedWorld,
} from '../helpers/enforcement-worlds';
import { buildWorld, poolAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const reconcileAll = (extra: Record<string, unknown> = {}) => reconcileRequest([TEST_COMPARTMENT_ID], extra);

/** Two tagged pools of two nodes, and a VM that is no pool's node but carries our key. */
function twoPoolsAndATamperedVm(): World {
  const world = taggedWorld({ pools: 2, nodesPerPool: 2 });
  addLooseVm(world, { seed: 'tampered', compartmentId: TEST_COMPARTMENT_ID, ourValue: 'pool-2' });
  return world;
}

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

describe('function-mode reconcile over pool and instance compartments apart', () => {
  const fake = useFunctionOverFake(exampleWorld);

  it('answers 502 naming the wrong scope when the pool compartments hold no pool, and prunes nothing', async () => {
    const response = await fake.fn.call(reconcileRequest([WORKERS_COMPARTMENT], { apply: true, prune: true }));

    expect(response.status).toBe(502);
    expect(response.text).toContain('reconcile is not verified');
    expect(response.text).toContain(`no node pool found in the pool compartments ${WORKERS_COMPARTMENT}`);
    expect(fake.api.count('UpdateInstance')).toBe(0);
  });

  it('lists pools where the pools are and instances where the instances are, and verifies the run', async () => {
    const body = JSON.stringify({
      action: 'reconcile',
      poolCompartmentIds: [POOLS_COMPARTMENT],
      instanceCompartmentIds: [WORKERS_COMPARTMENT],
      apply: true,
      prune: true,
    });

    const response = await fake.fn.call(body);

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcome: 'reconciled', verified: true, unknown: 0, counts: { tag: 2, prune: 0 }, applied: 2 });
    const listed = fake.api.calls.filter((call) => call.operation.startsWith('List')).map((call) => `${call.operation} ${call.resourceId}`);
    expect([...new Set(listed)].sort()).toEqual([`ListInstances ${WORKERS_COMPARTMENT}`, `ListNodePools ${POOLS_COMPARTMENT}`]);
  });
});
