/** enforceInstance beyond tagging: removal from proven non-members, report mode, contests, ETags and the update trigger. */
import { MembershipUnknownError, MissingEtagError, OciCallError } from '../../src/errors';
import { enforceInstance, type EnforceInstanceDeps } from '../../src/tagging/enforce-instance';
import type { InstanceInfo } from '../../src/tagging/model';
import { enforceDeps } from '../helpers/enforce-deps';
import { ids, MemoryCloud, okeMetadata } from '../helpers/memory-ports';

const workers = ids.compartment('workers');
const cluster = { id: ids.cluster('prod'), name: 'prod', compartmentId: workers };
const NOW = Date.parse('2026-11-20T10:30:00.000Z');
const OTHER_TAGS = { 'Oracle-Tags': { CreatedBy: 'someone' }, finance: { costcenter: '42' } };

function vm(label: string, extra: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    id: ids.instance(label),
    compartmentId: workers,
    displayName: label,
    timeCreated: '2026-10-01T08:00:00.000Z',
    metadata: {},
    definedTags: { ...OTHER_TAGS, 'oke-nodepool-tags': { 'oke-nodepool-name': 'apps', owner: 'ops' } },
    freeformTags: { team: 'blue' },
    ...extra,
  };
}

const member = (label: string, value?: string) =>
  vm(label, {
    metadata: okeMetadata(ids.pool('apps'), cluster.id),
    definedTags: value === undefined ? { ...OTHER_TAGS } : { ...OTHER_TAGS, 'oke-nodepool-tags': { 'oke-nodepool-name': value } },
  });

function setup(instances: InstanceInfo[], overrides: Partial<EnforceInstanceDeps> = {}) {
  const cloud = new MemoryCloud({
    instances,
    pools: [{ id: ids.pool('apps'), name: 'apps', clusterId: cluster.id, compartmentId: workers, nodeIds: [ids.instance('n1')] }],
    clusters: [cluster],
  });
  const { deps, sleeps } = enforceDeps(cloud, NOW, overrides);
  return { cloud, deps, sleeps };
}

describe('enforceInstance on a proven non-member', () => {
  it('removes exactly our keys from a VM tagged into a pool it is not in, keeping every other tag', async () => {
    // Prepare
    const { cloud, deps } = setup([vm('tamper')]);
    // Act
    const result = await enforceInstance(deps, ids.instance('tamper'), 'update');
    // Assess
    expect(result).toMatchObject({ outcome: 'removed', removedTags: ['oke-nodepool-name'], previousTags: { 'oke-nodepool-name': 'apps' } });
    expect(cloud.instance(ids.instance('tamper')).definedTags).toEqual({ ...OTHER_TAGS, 'oke-nodepool-tags': { owner: 'ops' } });
    expect(cloud.instance(ids.instance('tamper')).freeformTags).toEqual({ team: 'blue' });
  });

  it('removes our keys from a VM born with them on launch', async () => {
    const { cloud, deps } = setup([vm('born')]);
    const result = await enforceInstance(deps, ids.instance('born'), 'launch');
    expect(result.outcome).toBe('removed');
    expect(cloud.count('UpdateInstance')).toBe(1);
  });

  it('only reports, with a warn alert, when impostor_action is report', async () => {
    const { cloud, deps } = setup([vm('tamper')], { impostorAction: 'report' });
    const result = await enforceInstance(deps, ids.instance('tamper'), 'update');
    expect(result).toMatchObject({
      outcome: 'reported',
      alert: { level: 'warn', msg: 'impostor reported' },
      removedTags: ['oke-nodepool-name'],
    });
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('answers would-remove in a dry run, writing nothing', async () => {
    const { cloud, deps } = setup([vm('tamper')], { dryRun: true });
    const result = await enforceInstance(deps, ids.instance('tamper'), 'update');
    expect(result).toMatchObject({ outcome: 'would-remove', removedTags: ['oke-nodepool-name'] });
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('fails naming the read, and writes nothing, when membership is unknown', async () => {
    // Prepare: the only pool cannot be read.
    const { cloud, deps } = setup([vm('tamper')]);
    cloud.failures.set(
      `GetNodePool ${ids.pool('apps')}`,
      new OciCallError('GetNodePool', ids.pool('apps'), 500, 'InternalServerError', 'boom'),
    );
    // Act
    const run = enforceInstance(deps, ids.instance('tamper'), 'update');
    // Assess
    await expect(run).rejects.toThrow(MembershipUnknownError);
    await expect(enforceInstance(deps, ids.instance('tamper'), 'update')).rejects.toThrow(`GetNodePool ${ids.pool('apps')} failed: 500`);
    expect(cloud.count('UpdateInstance')).toBe(0);
  });
});

describe('enforceInstance on updateinstance', () => {
  it('costs one call for an instance with neither OKE metadata nor our keys', async () => {
    const { cloud, deps } = setup([vm('plain', { definedTags: { ...OTHER_TAGS } })]);
    const result = await enforceInstance(deps, ids.instance('plain'), 'update');
    expect(result.outcome).toBe('not-in-node-pool');
    expect(cloud.calls).toEqual(['GetInstance']);
  });

  it('answers the echo of our own write with unchanged for two calls, without waiting', async () => {
    const { cloud, deps, sleeps } = setup([member('n1', 'apps')]);
    const result = await enforceInstance(deps, ids.instance('n1'), 'update');
    expect(result.outcome).toBe('unchanged');
    expect(cloud.calls).toEqual(['GetInstance', 'GetNodePool']);
    expect(sleeps).toEqual([]);
  });

  it('fixes a stale value once, then reports a contest instead of fighting the other writer', async () => {
    // Prepare
    const { cloud, deps } = setup([member('n1', 'stale')]);
    // Act: our fix, then another writer sets its value again.
    const fixed = await enforceInstance(deps, ids.instance('n1'), 'update');
    cloud.writeTags(ids.instance('n1'), { ...OTHER_TAGS, 'oke-nodepool-tags': { 'oke-nodepool-name': 'theirs' } });
    const contested = await enforceInstance(deps, ids.instance('n1'), 'update');
    // Assess
    expect(fixed.outcome).toBe('tagged');
    expect(contested).toMatchObject({
      outcome: 'reported',
      alert: { level: 'error', msg: 'tag contested' },
      previousTags: { 'oke-nodepool-name': 'theirs' },
    });
    expect(cloud.count('UpdateInstance')).toBe(1);
  });

  it('fixes it again once the contest window has passed', async () => {
    // Prepare
    let now = NOW;
    const { cloud, deps } = setup([member('n1', 'stale')], { now: () => now });
    await enforceInstance(deps, ids.instance('n1'), 'update');
    cloud.writeTags(ids.instance('n1'), { ...OTHER_TAGS, 'oke-nodepool-tags': { 'oke-nodepool-name': 'theirs' } });
    now += 11 * 60_000;
    // Act
    const again = await enforceInstance(deps, ids.instance('n1'), 'update');
    // Assess
    expect(again.outcome).toBe('tagged');
  });
});

describe('enforceInstance and ETags', () => {
  it('reads again when GetInstance has no ETag, then fails without writing', async () => {
    // Prepare
    const { cloud, deps } = setup([member('n1')]);
    cloud.withoutEtag.add(ids.instance('n1'));
    // Act
    const run = enforceInstance(deps, ids.instance('n1'), 'launch');
    // Assess
    await expect(run).rejects.toThrow(MissingEtagError);
    expect(cloud.calls).toEqual(['GetInstance', 'GetNodePool', 'GetInstance']);
  });

  it('writes with the ETag of the second read when only the first lacked one', async () => {
    // Prepare
    const { cloud, deps } = setup([member('n1')]);
    cloud.withoutEtag.add(ids.instance('n1'));
    const getInstance = cloud.compute.getInstance;
    deps.compute.getInstance = async (id) => {
      const snapshot = await getInstance(id);
      cloud.withoutEtag.delete(id);
      return snapshot;
    };
    // Act
    const result = await enforceInstance(deps, ids.instance('n1'), 'launch');
    // Assess
    expect(result.outcome).toBe('tagged');
    expect(cloud.calls).toEqual(['GetInstance', 'GetNodePool', 'GetInstance', 'UpdateInstance']);
  });
});
