import { TagConflictError, TagValueError } from '../../src/errors';
import { membershipRecheckDelays, readOkeHints } from '../../src/tagging/membership';
import type { InstanceInfo } from '../../src/tagging/model';
import { enforceInstance, MAX_TAG_WRITES, type EnforceInstanceDeps } from '../../src/tagging/enforce-instance';
import { enforceDeps } from '../helpers/enforce-deps';
import { ids, MemoryCloud, okeMetadata } from '../helpers/memory-ports';

const workers = ids.compartment('workers');
const clusterCompartment = ids.compartment('clusters');
const cluster = { id: ids.cluster('prod'), name: 'prod', compartmentId: clusterCompartment };
/** The tests' clock; a launched node was created a minute before it. */
const NOW = Date.parse('2026-11-20T10:30:00.000Z');
const JUST_LAUNCHED = '2026-11-20T10:29:00.000Z';
const LONG_AGO = '2026-10-01T08:00:00.000Z';

function node(label: string, poolLabel: string, extra: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    id: ids.instance(label),
    compartmentId: workers,
    displayName: label,
    timeCreated: JUST_LAUNCHED,
    metadata: okeMetadata(ids.pool(poolLabel), cluster.id),
    definedTags: { 'Oracle-Tags': { CreatedBy: 'oke', CreatedOn: '2026-11-20T10:01:02.113Z' } },
    freeformTags: { team: 'blue' },
    ...extra,
  };
}

function pool(label: string, nodeLabels: string[], compartmentId = clusterCompartment) {
  return { id: ids.pool(label), name: label, clusterId: cluster.id, compartmentId, nodeIds: nodeLabels.map(ids.instance) };
}

function setup(world: Partial<MemoryCloud['world']>, overrides: Partial<EnforceInstanceDeps> = {}) {
  const cloud = new MemoryCloud({ instances: [], pools: [], clusters: [cluster], ...world });
  const { deps, sleeps } = enforceDeps(cloud, NOW, overrides);
  return { cloud, deps, sleeps };
}

describe('enforceInstance on a launch', () => {
  it('tags a node of the hinted pool with three calls and keeps every other tag', async () => {
    const { cloud, deps } = setup({ instances: [node('n1', 'pool-a')], pools: [pool('pool-a', ['n1'])] });

    const result = await enforceInstance(deps, ids.instance('n1'), 'launch');

    expect(result).toMatchObject({
      outcome: 'tagged',
      nodePoolId: ids.pool('pool-a'),
      nodePoolName: 'pool-a',
      clusterId: cluster.id,
      foundVia: 'hint',
    });
    expect(cloud.calls).toEqual(['GetInstance', 'GetNodePool', 'UpdateInstance']);
    expect(cloud.instance(ids.instance('n1')).definedTags).toEqual({
      'Oracle-Tags': { CreatedBy: 'oke', CreatedOn: '2026-11-20T10:01:02.113Z' },
      'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a' },
    });
    expect(cloud.instance(ids.instance('n1')).freeformTags).toEqual({ team: 'blue' });
  });

  it.each(['TERMINATING', 'TERMINATED'])('answers gone for a %s instance after one call, with no write', async (state) => {
    // Prepare
    const { cloud, deps } = setup({ instances: [node('n1', 'pool-a', { lifecycleState: state })], pools: [pool('pool-a', ['n1'])] });
    // Act
    const result = await enforceInstance(deps, ids.instance('n1'), 'launch');
    // Assess
    expect(result).toMatchObject({ outcome: 'gone', instanceId: ids.instance('n1'), reason: expect.stringContaining(state) });
    expect(cloud.calls).toEqual(['GetInstance']);
  });

  it('does not take a DELETED pool that still lists the node as proof of membership', async () => {
    // Prepare
    const old = node('n1', 'pool-a', { timeCreated: LONG_AGO });
    const { cloud, deps } = setup({ instances: [old], pools: [{ ...pool('pool-a', ['n1']), lifecycleState: 'DELETED' }] });
    // Act
    const result = await enforceInstance({ ...deps, membershipWaitMs: 0 }, ids.instance('n1'), 'launch');
    // Assess
    expect(result.outcome).toBe('not-in-node-pool');
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('does not write when the tag is already right', async () => {
    const tagged = node('n1', 'pool-a', { definedTags: { 'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a' } } });
    const { cloud, deps } = setup({ instances: [tagged], pools: [pool('pool-a', ['n1'])] });

    const result = await enforceInstance(deps, tagged.id, 'launch');

    expect(result.outcome).toBe('unchanged');
    expect(cloud.calls).toEqual(['GetInstance', 'GetNodePool']);
  });

  it('reports the stale value it would replace in dry-run mode', async () => {
    const stale = node('n1', 'pool-a', { definedTags: { 'OKE-NodePool-Tags': { 'OKE-NodePool-Name': 'old-name' } } });
    const { deps } = setup({ instances: [stale], pools: [pool('pool-a', ['n1'])] }, { dryRun: true });

    const result = await enforceInstance(deps, stale.id, 'launch');

    expect(result).toMatchObject({ outcome: 'would-tag', previousTags: { 'oke-nodepool-name': 'old-name' } });
  });

  it('corrects a stale pool name after a rename', async () => {
    const stale = node('n1', 'pool-a', { definedTags: { 'oke-nodepool-tags': { 'oke-nodepool-name': 'old-name' } } });
    const { cloud, deps } = setup({ instances: [stale], pools: [pool('pool-a', ['n1'])] });

    const result = await enforceInstance(deps, stale.id, 'launch');

    expect(result).toMatchObject({ outcome: 'tagged', previousTags: { 'oke-nodepool-name': 'old-name' } });
    expect(cloud.instance(stale.id).definedTags['oke-nodepool-tags']).toEqual({ 'oke-nodepool-name': 'pool-a' });
  });

  it('costs exactly one call for an instance with no OKE metadata', async () => {
    const plain: InstanceInfo = {
      id: ids.instance('vm'),
      compartmentId: workers,
      metadata: { ssh_authorized_keys: 'ssh-rsa AAA' },
      definedTags: {},
      freeformTags: {},
    };
    const { cloud, deps } = setup({ instances: [plain], pools: [pool('pool-a', ['n1'])] });

    const result = await enforceInstance(deps, plain.id, 'launch');

    expect(result.outcome).toBe('not-in-node-pool');
    expect(result.reason).toMatch(/no OKE metadata/);
    expect(cloud.calls).toEqual(['GetInstance']);
  });

  it('reports what it would write in dry-run mode without writing', async () => {
    const { cloud, deps } = setup({ instances: [node('n1', 'pool-a')], pools: [pool('pool-a', ['n1'])] }, { dryRun: true });

    const result = await enforceInstance(deps, ids.instance('n1'), 'launch');

    expect(result).toMatchObject({ outcome: 'would-tag', tags: { 'oke-nodepool-name': 'pool-a' }, previousTags: {} });
    expect(cloud.count('UpdateInstance')).toBe(0);
    expect(cloud.instance(ids.instance('n1')).definedTags['oke-nodepool-tags']).toBeUndefined();
  });

  it('refuses to tag when the hinted pool never lists an instance past the grace and no other pool does', async () => {
    const liar = node('intruder', 'pool-a', { timeCreated: LONG_AGO });
    const { cloud, deps, sleeps } = setup({ instances: [liar], pools: [pool('pool-a', ['n1']), pool('pool-b', ['n2'])] });

    const result = await enforceInstance(deps, liar.id, 'launch');

    expect(result.outcome).toBe('not-in-node-pool');
    expect(result.reason).toContain(`its oke-pool-id ${ids.pool('pool-a')} does not list it`);
    expect(result.searchedCompartments).toEqual([workers, clusterCompartment]);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('finds the real pool by scanning when the metadata names the wrong pool', async () => {
    const misled = node('n2', 'pool-a');
    const { cloud, deps } = setup(
      { instances: [misled], pools: [pool('pool-a', ['n1']), pool('pool-b', ['n2'])] },
      { membershipWaitMs: 0 },
    );

    const result = await enforceInstance(deps, misled.id, 'launch');

    expect(result).toMatchObject({ outcome: 'tagged', nodePoolName: 'pool-b', foundVia: 'scan' });
    // The hinted pool is read once: the scan reuses that answer.
    expect(cloud.count('GetNodePool')).toBe(2);
  });

  it('waits for a node that its pool lists late', async () => {
    const late = node('n1', 'pool-a');
    const { cloud, deps, sleeps } = setup({ instances: [late], pools: [pool('pool-a', [])] });
    let checks = 0;
    const getNodePool = cloud.containerEngine.getNodePool;
    deps.containerEngine.getNodePool = async (id) => {
      checks += 1;
      const found = await getNodePool(id);
      return found && checks >= 3 ? { ...found, nodeIds: [late.id] } : found;
    };

    const result = await enforceInstance(deps, late.id, 'launch');

    expect(result).toMatchObject({ outcome: 'tagged', foundVia: 'hint' });
    expect(sleeps).toEqual([250, 500]);
  });

  it('scans when the hint is malformed and ignores the bad value', async () => {
    const injected = node('n1', 'pool-a', {
      metadata: { 'oke-pool-id': 'ocid1.nodepool.oc1..x/../../instances', 'oke-cluster-id': cluster.id },
    });
    const { cloud, deps } = setup({ instances: [injected], pools: [pool('pool-a', ['n1'])] });

    const result = await enforceInstance(deps, injected.id, 'launch');

    expect(result).toMatchObject({ outcome: 'tagged', foundVia: 'scan' });
    expect(cloud.calls).toEqual(['GetInstance', 'GetCluster', 'ListNodePools', 'ListNodePools', 'GetNodePool', 'UpdateInstance']);
  });

  it('answers not-yet-listed, writing nothing, when the hinted pool still does not list a new node after the wait', async () => {
    // Prepare: a node launched a minute ago, whose pool exists but does not list it yet.
    const late = node('n1', 'pool-a', { definedTags: { 'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a' } } });
    const { cloud, deps, sleeps } = setup({ instances: [late], pools: [pool('pool-a', [])] });

    // Act
    const result = await enforceInstance(deps, late.id, 'launch');

    // Assess: not the impostor's wording, and its tag is kept.
    expect(result).toMatchObject({ outcome: 'not-yet-listed', reason: expect.stringContaining('exists but does not list it yet') });
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('scans when the hinted pool no longer exists', async () => {
    const orphan = node('n1', 'gone');
    const { deps } = setup({ instances: [orphan], pools: [pool('pool-a', ['n1'])] });

    const result = await enforceInstance(deps, orphan.id, 'launch');

    expect(result).toMatchObject({ outcome: 'tagged', nodePoolName: 'pool-a', foundVia: 'scan' });
  });

  it('searches the configured extra compartments', async () => {
    const elsewhere = ids.compartment('elsewhere');
    const n = node('n1', 'gone', { metadata: { 'oke-k8version': 'v1.31.1' } });
    const { deps } = setup({ instances: [n], pools: [pool('pool-x', ['n1'], elsewhere)] }, { extraCompartmentIds: [elsewhere] });

    const result = await enforceInstance(deps, n.id, 'launch');

    expect(result).toMatchObject({ outcome: 'tagged', nodePoolName: 'pool-x' });
  });

  it('adds the cluster name when a cluster key is configured', async () => {
    const { cloud, deps } = setup(
      { instances: [node('n1', 'pool-a')], pools: [pool('pool-a', ['n1'])] },
      { keys: { tagNamespace: 'oke-nodepool-tags', tagName: 'oke-nodepool-name', clusterTagName: 'oke-cluster-name' } },
    );

    const result = await enforceInstance(deps, ids.instance('n1'), 'launch');

    expect(result).toMatchObject({ outcome: 'tagged', clusterName: 'prod' });
    expect(cloud.instance(ids.instance('n1')).definedTags['oke-nodepool-tags']).toEqual({
      'oke-nodepool-name': 'pool-a',
      'oke-cluster-name': 'prod',
    });
    expect(cloud.calls).toEqual(['GetInstance', 'GetNodePool', 'GetCluster', 'UpdateInstance']);
  });

  it('re-reads and merges again when another writer changes the tags in between', async () => {
    const { cloud, deps } = setup({ instances: [node('n1', 'pool-a')], pools: [pool('pool-a', ['n1'])] });
    let raced = false;
    cloud.afterGetInstance = (id) => {
      if (raced) return;
      raced = true;
      cloud.writeTags(id, { ...cloud.instance(id).definedTags, finance: { costcenter: '42' } });
    };

    const result = await enforceInstance(deps, ids.instance('n1'), 'launch');

    expect(result.outcome).toBe('tagged');
    expect(cloud.calls).toEqual(['GetInstance', 'GetNodePool', 'UpdateInstance', 'GetInstance', 'UpdateInstance']);
    expect(cloud.instance(ids.instance('n1')).definedTags).toMatchObject({
      finance: { costcenter: '42' },
      'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a' },
    });
  });

  it('gives up with a conflict error when the tags change before every write', async () => {
    const { cloud, deps } = setup({ instances: [node('n1', 'pool-a')], pools: [pool('pool-a', ['n1'])] });
    cloud.afterGetInstance = (id) => cloud.writeTags(id, { ...cloud.instance(id).definedTags });

    await expect(enforceInstance(deps, ids.instance('n1'), 'launch')).rejects.toThrow(TagConflictError);
    expect(cloud.count('UpdateInstance')).toBe(MAX_TAG_WRITES);
  });

  it('fails with a clear error when the pool name is too long to be a tag value', async () => {
    const long = { ...pool('pool-a', ['n1']), name: 'x'.repeat(300) };
    const { deps } = setup({ instances: [node('n1', 'pool-a')], pools: [long] });

    await expect(enforceInstance(deps, ids.instance('n1'), 'launch')).rejects.toThrow(TagValueError);
  });
});

describe('readOkeHints', () => {
  it('keeps well-formed hints and drops malformed ones', () => {
    expect(readOkeHints(okeMetadata(ids.pool('a'), ids.cluster('c')))).toEqual({
      nodePoolId: ids.pool('a'),
      clusterId: ids.cluster('c'),
      hasOkeMetadata: true,
    });
    expect(readOkeHints({ 'oke-pool-id': ids.cluster('c'), 'oke-cluster-id': 'ocid1.cluster.oc1..a?b=c' })).toEqual({
      nodePoolId: undefined,
      clusterId: undefined,
      hasOkeMetadata: true,
    });
    expect(readOkeHints({ user_data: 'x' }).hasOkeMetadata).toBe(false);
  });
});

describe('membershipRecheckDelays', () => {
  it('backs off and sums to the wait budget', () => {
    expect(membershipRecheckDelays(5000)).toEqual([250, 500, 1000, 2000, 1250]);
    expect(membershipRecheckDelays(0)).toEqual([]);
  });
});

describe('enforceInstance with a cluster key when the cluster cannot be read', () => {
  it('fails naming GetCluster, the cluster OCID and the 404', async () => {
    const { deps } = setup(
      { instances: [node('n1', 'pool-a')], pools: [pool('pool-a', ['n1'])], clusters: [] },
      { keys: { tagNamespace: 'oke-nodepool-tags', tagName: 'oke-nodepool-name', clusterTagName: 'oke-cluster-name' } },
    );

    await expect(enforceInstance(deps, ids.instance('n1'), 'launch')).rejects.toThrow(
      `GetCluster ${cluster.id} failed: 404 NotAuthorizedOrNotFound`,
    );
  });
});
