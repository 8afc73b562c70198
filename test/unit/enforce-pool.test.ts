/** Pool and cluster events over in-memory ports: resizes, renames, collisions and failed reads. */
import { Deadline } from '../../src/deadline';
import { OciCallError } from '../../src/errors';
import { enforceCluster, enforcePool, type EnforcePoolDeps } from '../../src/tagging/enforce-pool';
import type { InstanceInfo, NodePoolInfo } from '../../src/tagging/model';
import { ids, MemoryCloud, okeMetadata } from '../helpers/memory-ports';

const compartment = ids.compartment('workers');
const cluster = { id: ids.cluster('prod'), name: 'prod', compartmentId: compartment };
const keys = { tagNamespace: 'oke-nodepool-tags', tagName: 'oke-nodepool-name' };

function node(label: string, poolLabel: string, value?: string): InstanceInfo {
  return {
    id: ids.instance(label),
    compartmentId: compartment,
    displayName: label,
    timeCreated: '2026-10-01T08:00:00.000Z',
    metadata: okeMetadata(ids.pool(poolLabel), cluster.id),
    definedTags: { finance: { costcenter: '42' }, ...(value === undefined ? {} : { 'oke-nodepool-tags': { 'oke-nodepool-name': value } }) },
    freeformTags: {},
  };
}

function pool(label: string, members: string[], extra: Partial<NodePoolInfo> = {}): NodePoolInfo {
  return {
    id: ids.pool(label),
    name: label,
    clusterId: cluster.id,
    compartmentId: compartment,
    nodeIds: members.map(ids.instance),
    ...extra,
  };
}

function deps(cloud: MemoryCloud, overrides: Partial<EnforcePoolDeps> = {}): EnforcePoolDeps {
  return {
    compute: cloud.compute,
    containerEngine: cloud.containerEngine,
    keys,
    dryRun: false,
    extraCompartmentIds: [],
    concurrency: 4,
    deadline: Deadline.inSeconds(30),
    reserveMs: 0,
    ...overrides,
  };
}

const value = (cloud: MemoryCloud, label: string) =>
  cloud.instance(ids.instance(label)).definedTags['oke-nodepool-tags']?.['oke-nodepool-name'];

describe('enforcePool on updatenodepool.end', () => {
  it('tags the new nodes of a resize for 1 GetNodePool, 1 ListInstances page and 2 calls per changed node', async () => {
    // Prepare: two nodes already right, two new ones untagged.
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['a', 'b', 'c', 'd'])],
      instances: [node('a', 'apps', 'apps'), node('b', 'apps', 'apps'), node('c', 'apps'), node('d', 'apps')],
    });
    // Act
    const result = await enforcePool(deps(cloud), ids.pool('apps'));
    // Assess
    expect(result).toMatchObject({ outcome: 'reconciled', counts: { tag: 2, fix: 0, ok: 2 }, applied: 2, complete: true, notices: [] });
    expect(result.renamedFrom).toBeUndefined();
    expect(cloud.count('GetNodePool')).toBe(1);
    expect(cloud.count('ListInstances')).toBe(1);
    expect(cloud.count('GetInstance')).toBe(2);
    expect(cloud.count('UpdateInstance')).toBe(2);
    expect(cloud.count('ListNodePools')).toBe(0);
  });

  it('costs two calls and writes nothing for a resize that changes no node', async () => {
    const cloud = new MemoryCloud({ clusters: [cluster], pools: [pool('apps', ['a'])], instances: [node('a', 'apps', 'apps')] });
    const result = await enforcePool(deps(cloud), ids.pool('apps'));
    expect(result).toMatchObject({ counts: { tag: 0, fix: 0, ok: 1 }, applied: 0 });
    expect(cloud.calls).toEqual(['GetNodePool', 'ListInstances']);
  });

  it('re-tags every node after a rename and says so', async () => {
    // Prepare: the pool was renamed from "web" to "apps".
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['a', 'b'])],
      instances: [node('a', 'apps', 'web'), node('b', 'apps', 'web')],
    });
    // Act
    const result = await enforcePool(deps(cloud), ids.pool('apps'));
    // Assess
    expect(result).toMatchObject({ outcome: 'reconciled', counts: { fix: 2 }, applied: 2, renamedFrom: ['web'] });
    expect(result.notices).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'node pool renamed', oldNames: ['web'], newName: 'apps' }),
    ]);
    expect([value(cloud, 'a'), value(cloud, 'b')]).toEqual(['apps', 'apps']);
  });

  it('writes nothing when the new name is another live pool’s name, which would move the nodes into its group', async () => {
    // Prepare: "batch" was renamed to "apps", the name of another pool.
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['a']), { ...pool('batch', ['b']), name: 'apps' }],
      instances: [node('a', 'apps', 'apps'), node('b', 'batch', 'batch')],
    });
    // Act
    const result = await enforcePool(deps(cloud), ids.pool('batch'));
    // Assess
    expect(result).toMatchObject({ outcome: 'reported', applied: 0, reason: expect.stringContaining(ids.pool('apps')) });
    expect(result.notices).toEqual([expect.objectContaining({ level: 'error', msg: 'node pool name collision' })]);
    expect(value(cloud, 'b')).toBe('batch');
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('fails clearly, writing nothing, when the pool cannot be read', async () => {
    const cloud = new MemoryCloud({ clusters: [cluster], pools: [pool('apps', ['a'])], instances: [node('a', 'apps')] });
    cloud.failures.set(
      `GetNodePool ${ids.pool('apps')}`,
      new OciCallError('GetNodePool', ids.pool('apps'), 500, 'InternalServerError', 'boom'),
    );
    await expect(enforcePool(deps(cloud), ids.pool('apps'))).rejects.toThrow(`GetNodePool ${ids.pool('apps')} failed: 500`);
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('fails naming the grant when the pool answers 404', async () => {
    const cloud = new MemoryCloud({ clusters: [cluster], pools: [pool('apps', ['a'])], instances: [node('a', 'apps')] });
    cloud.refusedPools.add(ids.pool('apps'));
    await expect(enforcePool(deps(cloud), ids.pool('apps'))).rejects.toThrow(/read cluster-family/);
  });

  it('tags the nodes it can see of a pool that lists nodes without an id, and says the pool is incomplete', async () => {
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['a'], { unidentifiedNodes: 2 })],
      instances: [node('a', 'apps')],
    });
    const result = await enforcePool(deps(cloud), ids.pool('apps'));
    expect(result).toMatchObject({ applied: 1, complete: false });
    expect(result.notices).toEqual([expect.objectContaining({ msg: 'node pool incomplete' })]);
  });

  it('changes nothing in a dry run', async () => {
    const cloud = new MemoryCloud({ clusters: [cluster], pools: [pool('apps', ['a'])], instances: [node('a', 'apps', 'web')] });
    const result = await enforcePool(deps(cloud, { dryRun: true }), ids.pool('apps'));
    expect(result).toMatchObject({ counts: { fix: 1 }, applied: 0, renamedFrom: ['web'] });
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('leaves what does not fit in the deadline to the schedule', async () => {
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['a', 'b'])],
      instances: [node('a', 'apps'), node('b', 'apps')],
    });
    const result = await enforcePool(deps(cloud, { deadline: Deadline.inSeconds(1), reserveMs: 5000 }), ids.pool('apps'));
    expect(result).toMatchObject({ applied: 0, complete: false });
  });
});

describe('enforceCluster on updatecluster.end', () => {
  it('re-tags the nodes of every pool of a renamed cluster with the cluster key', async () => {
    // Prepare
    const clusterKeys = { ...keys, clusterTagName: 'oke-cluster-name' };
    const old = { 'oke-nodepool-tags': { 'oke-nodepool-name': 'apps', 'oke-cluster-name': 'old-name' } };
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['a']), pool('batch', ['b'])],
      instances: [
        { ...node('a', 'apps'), definedTags: old },
        { ...node('b', 'batch'), definedTags: old },
      ],
    });
    // Act
    const result = await enforceCluster(deps(cloud, { keys: clusterKeys }), cluster.id);
    // Assess
    expect(result).toMatchObject({ outcome: 'reconciled', clusterName: 'prod', complete: true });
    expect(result.pools.map((one) => one.applied)).toEqual([1, 1]);
    expect(cloud.instance(ids.instance('b')).definedTags['oke-nodepool-tags']).toEqual({
      'oke-nodepool-name': 'batch',
      'oke-cluster-name': 'prod',
    });
  });
});

describe('enforcePool with nodes that live apart from their pool', () => {
  it('finds nodes in another compartment through one GetInstance and one listing of that compartment', async () => {
    // Prepare: the pool is in one compartment, its two nodes in another.
    const nodes = ids.compartment('nodes');
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['a', 'b'])],
      instances: [
        { ...node('a', 'apps', 'web'), compartmentId: nodes },
        { ...node('b', 'apps', 'web'), compartmentId: nodes },
      ],
    });
    // Act
    const result = await enforcePool(deps(cloud), ids.pool('apps'));
    // Assess
    expect(result).toMatchObject({ counts: { fix: 2 }, applied: 2, unseenNodes: 0, complete: true, renamedFrom: ['web'] });
    expect(cloud.count('ListInstances')).toBe(2);
    expect(cloud.calls.slice(0, 4)).toEqual(['GetNodePool', 'ListInstances', 'GetInstance', 'ListInstances']);
  });
});

describe('enforcePool with the cluster key', () => {
  it('writes nothing when a cluster rename makes a pool carry another cluster’s pool tags', async () => {
    // Prepare: cluster "two" was renamed to "one", and both have a pool named "apps".
    const clusterKeys = { ...keys, clusterTagName: 'oke-cluster-name' };
    const one = { id: ids.cluster('one'), name: 'one', compartmentId: compartment };
    const two = { id: ids.cluster('two'), name: 'one', compartmentId: compartment };
    const cloud = new MemoryCloud({
      clusters: [one, two],
      pools: [
        { ...pool('apps-one', ['a']), name: 'apps', clusterId: one.id },
        { ...pool('apps-two', ['b']), name: 'apps', clusterId: two.id },
      ],
      instances: [
        { ...node('a', 'apps-one'), definedTags: { 'oke-nodepool-tags': { 'oke-nodepool-name': 'apps', 'oke-cluster-name': 'one' } } },
        { ...node('b', 'apps-two'), definedTags: { 'oke-nodepool-tags': { 'oke-nodepool-name': 'apps', 'oke-cluster-name': 'two' } } },
      ],
    });
    // Act
    const result = await enforceCluster(deps(cloud, { keys: clusterKeys }), two.id);
    // Assess
    expect(result.pools[0]).toMatchObject({ outcome: 'reported', applied: 0, reason: expect.stringContaining('in a cluster named "one"') });
    expect(cloud.count('UpdateInstance')).toBe(0);
  });
});

describe('enforcePool when one node keeps failing', () => {
  it('writes the other nodes, then reports the failure with the counts', async () => {
    // Prepare: b's writes keep failing after every retry.
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['a', 'b', 'c'])],
      instances: [node('a', 'apps'), node('b', 'apps'), node('c', 'apps')],
    });
    cloud.failures.set(
      `GetInstance ${ids.instance('b')}`,
      new OciCallError('GetInstance', ids.instance('b'), 429, 'TooManyRequests', 'slow down (gave up after 8 attempt(s))'),
    );
    // Act
    const result = await enforcePool(deps(cloud, { concurrency: 1 }), ids.pool('apps'));
    // Assess
    expect(result).toMatchObject({ applied: 2, failed: 1, complete: false, failures: [{ resourceId: ids.instance('b') }] });
    expect([value(cloud, 'a'), value(cloud, 'b'), value(cloud, 'c')]).toEqual(['apps', undefined, 'apps']);
  });
});
