/**
 * Contract tests of instance enforcement: the built dist/func.js under the Fn
 * contract (resource-principal credentials, http-stream over a unix socket)
 * answers `updateinstance` events against the fake OCI API. Each describe
 * block runs one function process, which remembers its own fixes across
 * calls as a warm function instance does.
 */
import type { World } from '../../src/local/world';
import { LAUNCH_EVENT_TYPE } from '../../src/event/event-types';
import { instanceUpdated, logLines, ociEvent, useFunctionOverFake, type FunctionOverFake } from '../helpers/enforcement-function';
import {
  addLooseVm,
  instanceOf,
  minutesAgo,
  OTHER_DEFINED_TAGS,
  ourValueOf,
  setOurValue,
  taggedWorld,
} from '../helpers/enforcement-worlds';
import { fakeOcid, nodeInstanceAt, poolAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const TAMPERED = fakeOcid('instance', 'loose/tampered');
const IMPOSTOR = fakeOcid('instance', 'loose/impostor');
const UNREADABLE = fakeOcid('instance', 'loose/unreadable');
const RETAMPERED = fakeOcid('instance', 'loose/retampered');
const PLAIN = fakeOcid('instance', 'loose/plain');
const BORN_TAGGED = fakeOcid('instance', 'loose/born-tagged');

/**
 * Four tagged pools of three nodes, three of them with stale values. VMs that
 * are no pool's node: some carry our key (two with a real node's OKE
 * metadata), one was launched a minute ago carrying it, one carries none.
 */
function enforcementWorld(): World {
  const world = taggedWorld({ pools: 4, nodesPerPool: 3 });
  const node = nodeInstanceAt(world, 0, 0);
  addLooseVm(world, { seed: 'tampered', compartmentId: TEST_COMPARTMENT_ID, ourValue: 'pool-1' });
  addLooseVm(world, { seed: 'impostor', compartmentId: TEST_COMPARTMENT_ID, ourValue: 'pool-1', okeMetadataOf: node });
  addLooseVm(world, { seed: 'unreadable', compartmentId: TEST_COMPARTMENT_ID, ourValue: 'pool-2', okeMetadataOf: node });
  addLooseVm(world, { seed: 'retampered', compartmentId: TEST_COMPARTMENT_ID, ourValue: 'pool-3' });
  addLooseVm(world, { seed: 'plain', compartmentId: TEST_COMPARTMENT_ID });
  addLooseVm(world, { seed: 'born-tagged', compartmentId: TEST_COMPARTMENT_ID, ourValue: 'pool-1', timeCreated: minutesAgo(1) });
  setOurValue(nodeInstanceAt(world, 1, 0), 'pool-9');
  setOurValue(nodeInstanceAt(world, 1, 1), 'stale');
  setOurValue(nodeInstanceAt(world, 1, 2), 'stale');
  return world;
}

const update = (instanceId: string) => instanceUpdated(instanceId, TEST_COMPARTMENT_ID);
const writes = (fake: FunctionOverFake) => fake.api.count('UpdateInstance');

describe('updateinstance under the Fn contract', () => {
  const fake = useFunctionOverFake(enforcementWorld);

  it('removes only our key from a VM that is no pool’s node, keeping every other tag', async () => {
    const response = await fake.fn.call(update(TAMPERED));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      outcome: 'removed',
      instanceId: TAMPERED,
      removedTags: ['oke-nodepool-name'],
      previousTags: { 'oke-nodepool-name': 'pool-1' },
    });
    const vm = fake.api.getInstance(TAMPERED);
    expect(vm?.definedTags).toEqual(OTHER_DEFINED_TAGS);
    expect(vm?.freeformTags).toEqual({ team: 'data' });
    const [write] = fake.api.calls.filter((call) => call.operation === 'UpdateInstance');
    expect(write).toMatchObject({ sentFields: ['definedTags'], ifMatch: expect.any(String) });
  });

  it('removes our key from an impostor that copied a real node’s OKE metadata, once it is past the grace', async () => {
    const response = await fake.fn.call(update(IMPOSTOR));

    expect(response.json).toMatchObject({ outcome: 'removed', removedTags: ['oke-nodepool-name'] });
    expect(String(response.json.reason)).toContain(`its oke-pool-id ${poolAt(fake.api.world, 0).id} does not list it`);
    expect(fake.api.getInstance(IMPOSTOR)?.definedTags).toEqual(OTHER_DEFINED_TAGS);
  });

  it('removes our key again when the tamperer puts it back: removal is never held back as a contest', async () => {
    const first = await fake.fn.call(update(RETAMPERED));
    setOurValue(instanceOf(fake.api.world, RETAMPERED), 'pool-3');

    const again = await fake.fn.call(update(RETAMPERED));

    expect(first.json.outcome).toBe('removed');
    expect(again.json).toMatchObject({ outcome: 'removed', previousTags: { 'oke-nodepool-name': 'pool-3' } });
    expect(ourValueOf(fake.api.getInstance(RETAMPERED))).toBeUndefined();
  });

  it('answers not-in-node-pool after one call for a VM with neither OKE metadata nor our keys', async () => {
    const response = await fake.fn.call(update(PLAIN));

    expect(response.json).toMatchObject({ outcome: 'not-in-node-pool', apiCalls: 1 });
    expect(fake.api.calls.map((call) => call.operation)).toEqual(['GetInstance']);
  });

  it('removes our key from a VM launched carrying it that no pool lists', async () => {
    const response = await fake.fn.call(ociEvent(LAUNCH_EVENT_TYPE, BORN_TAGGED, TEST_COMPARTMENT_ID));

    expect(response.json).toMatchObject({ outcome: 'removed', removedTags: ['oke-nodepool-name'] });
    expect(fake.api.getInstance(BORN_TAGGED)?.definedTags).toEqual(OTHER_DEFINED_TAGS);
  });

  it('fixes a member whose value is stale', async () => {
    const node = nodeInstanceAt(fake.api.world, 1, 0);

    const response = await fake.fn.call(update(node.id));

    expect(response.json).toMatchObject({
      outcome: 'tagged',
      nodePoolName: 'pool-2',
      previousTags: { 'oke-nodepool-name': 'pool-9' },
      apiCalls: 3,
    });
    expect(ourValueOf(fake.api.getInstance(node.id))).toBe('pool-2');
  });

  it('answers the echo of its own write unchanged, in two calls and without a write', async () => {
    const node = nodeInstanceAt(fake.api.world, 1, 1);
    const fix = await fake.fn.call(update(node.id));
    fake.api.resetCalls();

    const echo = await fake.fn.call(update(node.id));

    expect(fix.json.outcome).toBe('tagged');
    expect(echo.json).toMatchObject({ outcome: 'unchanged', nodePoolName: 'pool-2', apiCalls: 2 });
    expect(fake.api.calls.map((call) => call.operation)).toEqual(['GetInstance', 'GetNodePool']);
  });

  it('reports, and does not rewrite, a value another writer set again shortly after its fix', async () => {
    const node = nodeInstanceAt(fake.api.world, 1, 2);
    const fix = await fake.fn.call(update(node.id));
    setOurValue(instanceOf(fake.api.world, node.id), 'pool-4');
    fake.api.resetCalls();

    const contested = await fake.fn.call(update(node.id));

    expect(fix.json.outcome).toBe('tagged');
    expect(contested.status).toBe(200);
    expect(contested.json).toMatchObject({ outcome: 'reported', previousTags: { 'oke-nodepool-name': 'pool-4' }, apiCalls: 2 });
    expect(writes(fake)).toBe(0);
    expect(ourValueOf(fake.api.getInstance(node.id))).toBe('pool-4');
    expect(await logLines(fake.fn, 'tag contested')).toEqual([expect.objectContaining({ level: 'error', instanceId: node.id })]);
  });

  it('answers 502 naming the read when a pool answers without its nodes, and removes nothing', async () => {
    fake.api.faults.nodePoolWithoutNodes();

    const response = await fake.fn.call(update(UNREADABLE));

    expect(response.status).toBe(502);
    expect(response.text).toContain(`membership of ${UNREADABLE} is unknown`);
    expect(response.text).toContain(`GetNodePool ${poolAt(fake.api.world, 0).id} answered without a nodes list`);
    expect(writes(fake)).toBe(0);
    expect(ourValueOf(fake.api.getInstance(UNREADABLE))).toBe('pool-2');
  });

  it('answers 502 naming GetNodePool when pool reads keep failing, and removes nothing', async () => {
    fake.api.faults.fail({ operation: 'GetNodePool', times: 1000, status: 500 });

    const response = await fake.fn.call(update(UNREADABLE), { deadlineInMs: 2500 });

    expect(response.status).toBe(502);
    expect(response.text).toContain(`GetNodePool ${poolAt(fake.api.world, 0).id}`);
    expect(writes(fake)).toBe(0);
    expect(ourValueOf(fake.api.getInstance(UNREADABLE))).toBe('pool-2');
  });
});

describe('updateinstance with impostor_action=report', () => {
  const fake = useFunctionOverFake(enforcementWorld, { impostor_action: 'report' });

  it('reports a VM that is no pool’s node with a warning, and writes nothing', async () => {
    const response = await fake.fn.call(update(TAMPERED));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcome: 'reported', removedTags: ['oke-nodepool-name'] });
    expect(writes(fake)).toBe(0);
    expect(ourValueOf(fake.api.getInstance(TAMPERED))).toBe('pool-1');
    expect(await logLines(fake.fn, 'impostor reported')).toEqual([expect.objectContaining({ level: 'warn', instanceId: TAMPERED })]);
  });
});

describe('updateinstance with dry_run=true', () => {
  const fake = useFunctionOverFake(enforcementWorld, { dry_run: 'true' });

  it('says it would remove our key from a VM that is no pool’s node, and writes nothing', async () => {
    const response = await fake.fn.call(update(TAMPERED));

    expect(response.json).toMatchObject({
      outcome: 'would-remove',
      dryRun: true,
      removedTags: ['oke-nodepool-name'],
      previousTags: { 'oke-nodepool-name': 'pool-1' },
    });
    expect(writes(fake)).toBe(0);
  });

  it('says it would fix a stale member, and writes nothing', async () => {
    const node = nodeInstanceAt(fake.api.world, 1, 0);

    const response = await fake.fn.call(update(node.id));

    expect(response.json).toMatchObject({ outcome: 'would-tag', dryRun: true, tags: { 'oke-nodepool-name': 'pool-2' } });
    expect(writes(fake)).toBe(0);
    expect(ourValueOf(fake.api.getInstance(node.id))).toBe('pool-9');
  });
});

describe('updateinstance with membership_grace_minutes=5', () => {
  const world = (): World => {
    const built = taggedWorld({ pools: 1, nodesPerPool: 1 });
    const node = nodeInstanceAt(built, 0, 0);
    addLooseVm(built, {
      seed: 'new',
      compartmentId: TEST_COMPARTMENT_ID,
      ourValue: 'pool-1',
      okeMetadataOf: node,
      timeCreated: minutesAgo(1),
    });
    addLooseVm(built, {
      seed: 'older',
      compartmentId: TEST_COMPARTMENT_ID,
      ourValue: 'pool-1',
      okeMetadataOf: node,
      timeCreated: minutesAgo(10),
    });
    return built;
  };
  const fake = useFunctionOverFake(world, { membership_grace_minutes: '5' });

  it('answers not-yet-listed for an OKE-looking VM inside the grace, and removes nothing', async () => {
    const vm = fakeOcid('instance', 'loose/new');

    const response = await fake.fn.call(update(vm));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcome: 'not-yet-listed', instanceId: vm });
    expect(writes(fake)).toBe(0);
  });

  it('removes our key from an OKE-looking VM past the grace that no pool lists', async () => {
    const vm = fakeOcid('instance', 'loose/older');

    const response = await fake.fn.call(update(vm));

    expect(response.json).toMatchObject({ outcome: 'removed', instanceId: vm });
    expect(ourValueOf(fake.api.getInstance(vm))).toBeUndefined();
  });
});
