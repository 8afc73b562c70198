import { Deadline } from '../../src/deadline';
import { TagConflictError, TagValueError } from '../../src/errors';
import { membershipRecheckDelays, readOkeHints } from '../../src/tagging/find-node-pool';
import type { InstanceInfo } from '../../src/tagging/model';
import { MAX_TAG_WRITES, tagInstance, type TagInstanceDeps } from '../../src/tagging/tag-instance';
import { ids, MemoryCloud, okeMetadata } from '../helpers/memory-ports';

const workers = ids.compartment('workers');
const clusterCompartment = ids.compartment('clusters');
const cluster = { id: ids.cluster('prod'), name: 'prod', compartmentId: clusterCompartment };

function node(label: string, poolLabel: string, extra: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    id: ids.instance(label),
    compartmentId: workers,
    displayName: label,
    metadata: okeMetadata(ids.pool(poolLabel), cluster.id),
    definedTags: { 'Oracle-Tags': { CreatedBy: 'oke', CreatedOn: '2026-11-20T10:01:02.113Z' } },
    freeformTags: { team: 'blue' },
    ...extra,
  };
}

function pool(label: string, nodeLabels: string[], compartmentId = clusterCompartment) {
  return { id: ids.pool(label), name: label, clusterId: cluster.id, compartmentId, nodeIds: nodeLabels.map(ids.instance) };
}

function setup(world: Partial<MemoryCloud['world']>, overrides: Partial<TagInstanceDeps> = {}) {
  const cloud = new MemoryCloud({ instances: [], pools: [], clusters: [cluster], ...world });
  const sleeps: number[] = [];
  const deps: TagInstanceDeps = {
    compute: cloud.compute,
    containerEngine: cloud.containerEngine,
    keys: { tagNamespace: 'oke-nodepool-tags', tagName: 'oke-nodepool-name' },
    dryRun: false,
    extraCompartmentIds: [],
    membershipWaitMs: 1000,
    deadline: Deadline.inSeconds(30),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  };
  return { cloud, deps, sleeps };
}

describe('tagInstance', () => {
  it('tags a node of the hinted pool with three calls and keeps every other tag', async () => {
    const { cloud, deps } = setup({ instances: [node('n1', 'pool-a')], pools: [pool('pool-a', ['n1'])] });

    const result = await tagInstance(deps, ids.instance('n1'));

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
    const result = await tagInstance(deps, ids.instance('n1'));
    // Assess
    expect(result).toMatchObject({ outcome: 'gone', instanceId: ids.instance('n1'), reason: expect.stringContaining(state) });
    expect(cloud.calls).toEqual(['GetInstance']);
  });

  it('does not take a DELETED pool that still lists the node as proof of membership', async () => {
    // Prepare
    const { cloud, deps } = setup({ instances: [node('n1', 'pool-a')], pools: [{ ...pool('pool-a', ['n1']), lifecycleState: 'DELETED' }] });
    // Act
    const result = await tagInstance({ ...deps, membershipWaitMs: 0 }, ids.instance('n1'));
    // Assess
    expect(result.outcome).toBe('not-in-node-pool');
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('does not write when the tag is already right', async () => {
    const tagged = node('n1', 'pool-a', { definedTags: { 'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a' } } });
    const { cloud, deps } = setup({ instances: [tagged], pools: [pool('pool-a', ['n1'])] });

    const result = await tagInstance(deps, tagged.id);

    expect(result.outcome).toBe('unchanged');
    expect(cloud.calls).toEqual(['GetInstance', 'GetNodePool']);
  });

  it('reports the stale value it would replace in dry-run mode', async () => {
    const stale = node('n1', 'pool-a', { definedTags: { 'OKE-NodePool-Tags': { 'OKE-NodePool-Name': 'old-name' } } });
    const { deps } = setup({ instances: [stale], pools: [pool('pool-a', ['n1'])] }, { dryRun: true });

    const result = await tagInstance(deps, stale.id);

    expect(result).toMatchObject({ outcome: 'would-tag', previousTags: { 'oke-nodepool-name': 'old-name' } });
  });

  it('corrects a stale pool name after a rename', async () => {
    const stale = node('n1', 'pool-a', { definedTags: { 'oke-nodepool-tags': { 'oke-nodepool-name': 'old-name' } } });
    const { cloud, deps } = setup({ instances: [stale], pools: [pool('pool-a', ['n1'])] });

    const result = await tagInstance(deps, stale.id);

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

    const result = await tagInstance(deps, plain.id);

    expect(result.outcome).toBe('not-in-node-pool');
    expect(result.reason).toMatch(/no OKE metadata/);
    expect(cloud.calls).toEqual(['GetInstance']);
  });

  it('reports what it would write in dry-run mode without writing', async () => {
    const { cloud, deps } = setup({ instances: [node('n1', 'pool-a')], pools: [pool('pool-a', ['n1'])] }, { dryRun: true });

    const result = await tagInstance(deps, ids.instance('n1'));

    expect(result).toMatchObject({ outcome: 'would-tag', tags: { 'oke-nodepool-name': 'pool-a' }, previousTags: {} });
    expect(cloud.count('UpdateInstance')).toBe(0);
    expect(cloud.instance(ids.instance('n1')).definedTags['oke-nodepool-tags']).toBeUndefined();
  });

  it('refuses to tag when the hinted pool never lists the instance and no other pool does', async () => {
    const liar = node('intruder', 'pool-a');
    const { cloud, deps, sleeps } = setup({ instances: [liar], pools: [pool('pool-a', ['n1']), pool('pool-b', ['n2'])] });

    const result = await tagInstance(deps, liar.id);

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

    const result = await tagInstance(deps, misled.id);

    expect(result).toMatchObject({ outcome: 'tagged', nodePoolName: 'pool-b', foundVia: 'scan' });
    expect(cloud.count('GetNodePool')).toBe(3);
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

    const result = await tagInstance(deps, late.id);

    expect(result).toMatchObject({ outcome: 'tagged', foundVia: 'hint' });
    expect(sleeps).toEqual([250, 500]);
  });

  it('scans when the hint is malformed and ignores the bad value', async () => {
    const injected = node('n1', 'pool-a', {
      metadata: { 'oke-pool-id': 'ocid1.nodepool.oc1..x/../../instances', 'oke-cluster-id': cluster.id },
    });
    const { cloud, deps } = setup({ instances: [injected], pools: [pool('pool-a', ['n1'])] });

    const result = await tagInstance(deps, injected.id);

    expect(result).toMatchObject({ outcome: 'tagged', foundVia: 'scan' });
    expect(cloud.calls).toEqual(['GetInstance', 'GetCluster', 'ListNodePools', 'ListNodePools', 'GetNodePool', 'UpdateInstance']);
  });

  it('still finds a node that its hinted pool lists only after the wait, during the scan', async () => {
    const late = node('n1', 'pool-a');
    const { cloud, deps } = setup({ instances: [late], pools: [pool('pool-a', [])] }, { membershipWaitMs: 0 });
    const getNodePool = cloud.containerEngine.getNodePool;
    let checks = 0;
    deps.containerEngine.getNodePool = async (id) => {
      checks += 1;
      const found = await getNodePool(id);
      return found && checks >= 2 ? { ...found, nodeIds: [late.id] } : found;
    };

    const result = await tagInstance(deps, late.id);

    expect(result).toMatchObject({ outcome: 'tagged', nodePoolName: 'pool-a', foundVia: 'scan' });
  });

  it('scans when the hinted pool no longer exists', async () => {
    const orphan = node('n1', 'gone');
    const { deps } = setup({ instances: [orphan], pools: [pool('pool-a', ['n1'])] });

    const result = await tagInstance(deps, orphan.id);

    expect(result).toMatchObject({ outcome: 'tagged', nodePoolName: 'pool-a', foundVia: 'scan' });
  });

  it('searches the configured extra compartments', async () => {
    const elsewhere = ids.compartment('elsewhere');
    const n = node('n1', 'gone', { metadata: { 'oke-k8version': 'v1.31.1' } });
    const { deps } = setup({ instances: [n], pools: [pool('pool-x', ['n1'], elsewhere)] }, { extraCompartmentIds: [elsewhere] });

    const result = await tagInstance(deps, n.id);

    expect(result).toMatchObject({ outcome: 'tagged', nodePoolName: 'pool-x' });
  });

  it('adds the cluster name when a cluster key is configured', async () => {
    const { cloud, deps } = setup(
      { instances: [node('n1', 'pool-a')], pools: [pool('pool-a', ['n1'])] },
      { keys: { tagNamespace: 'oke-nodepool-tags', tagName: 'oke-nodepool-name', clusterTagName: 'oke-cluster-name' } },
    );

    const result = await tagInstance(deps, ids.instance('n1'));

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

    const result = await tagInstance(deps, ids.instance('n1'));

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

    await expect(tagInstance(deps, ids.instance('n1'))).rejects.toThrow(TagConflictError);
    expect(cloud.count('UpdateInstance')).toBe(MAX_TAG_WRITES);
  });

  it('fails with a clear error when the pool name is too long to be a tag value', async () => {
    const long = { ...pool('pool-a', ['n1']), name: 'x'.repeat(300) };
    const { deps } = setup({ instances: [node('n1', 'pool-a')], pools: [long] });

    await expect(tagInstance(deps, ids.instance('n1'))).rejects.toThrow(TagValueError);
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

describe('tagInstance with a cluster key when the cluster cannot be read', () => {
  it('fails naming GetCluster, the cluster OCID and the 404', async () => {
    const { deps } = setup(
      { instances: [node('n1', 'pool-a')], pools: [pool('pool-a', ['n1'])], clusters: [] },
      { keys: { tagNamespace: 'oke-nodepool-tags', tagName: 'oke-nodepool-name', clusterTagName: 'oke-cluster-name' } },
    );

    await expect(tagInstance(deps, ids.instance('n1'))).rejects.toThrow(`GetCluster ${cluster.id} failed: 404 NotAuthorizedOrNotFound`);
  });
});
