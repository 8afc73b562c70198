/** The membership rule over in-memory ports: member, proven non-member, or unknown, and never a guess. */
import { Deadline } from '../../src/deadline';
import { OciCallError } from '../../src/errors';
import { findMembership, PoolReads, type MembershipOptions } from '../../src/tagging/membership';
import type { InstanceInfo, NodePoolInfo } from '../../src/tagging/model';
import { ids, MemoryCloud, okeMetadata } from '../helpers/memory-ports';

const workers = ids.compartment('workers');
const clusters = ids.compartment('clusters');
const cluster = { id: ids.cluster('prod'), name: 'prod', compartmentId: clusters };
const NOW = Date.parse('2026-11-20T10:30:00.000Z');
const OLD = '2026-10-01T08:00:00.000Z';
const NEW = '2026-11-20T10:25:00.000Z';

function instance(label: string, extra: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    id: ids.instance(label),
    compartmentId: workers,
    displayName: label,
    timeCreated: OLD,
    metadata: okeMetadata(ids.pool('apps'), cluster.id),
    definedTags: { 'oke-nodepool-tags': { 'oke-nodepool-name': 'apps' } },
    freeformTags: {},
    ...extra,
  };
}

function pool(label: string, members: string[], extra: Partial<NodePoolInfo> = {}): NodePoolInfo {
  return { id: ids.pool(label), name: label, clusterId: cluster.id, compartmentId: clusters, nodeIds: members.map(ids.instance), ...extra };
}

const options: MembershipOptions = {
  compartmentIds: [workers],
  membershipWaitMs: 0,
  graceMs: 30 * 60_000,
  scanConcurrency: 2,
  deadline: Deadline.inSeconds(30),
  sleep: async () => {},
  reserveMs: 0,
  now: () => NOW,
};

async function decide(cloud: MemoryCloud, subject: InstanceInfo) {
  cloud.world.instances.push(subject);
  return findMembership(subject, new PoolReads(cloud.containerEngine), { ...options, compartmentIds: [subject.compartmentId] });
}

const serviceUnavailable = (id: string) =>
  new OciCallError('GetNodePool', id, 503, 'ServiceUnavailable', 'down (gave up after 8 attempt(s))');

describe('findMembership', () => {
  it('proves membership through the hinted pool with one GetNodePool', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [pool('apps', ['n1'])], clusters: [cluster] });
    // Act
    const result = await decide(cloud, instance('n1'));
    // Assess
    expect(result).toMatchObject({ verdict: 'member', via: 'hint', pool: { id: ids.pool('apps') } });
    expect(cloud.calls).toEqual(['GetNodePool']);
  });

  it('proves a non-member once every pool that could hold it was read in full', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [pool('apps', ['n1']), pool('batch', ['n2'])], clusters: [cluster] });
    // Act
    const result = await decide(cloud, instance('intruder'));
    // Assess
    expect(result).toMatchObject({ verdict: 'non-member', reason: expect.stringContaining('does not list it') });
    expect(result.searchedCompartments).toEqual([workers, clusters]);
  });

  it('is unknown when a pool that could hold the instance cannot be read, even with no hint', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [pool('apps', ['n1']), pool('batch', ['n2'])], clusters: [cluster] });
    cloud.failures.set(`GetNodePool ${ids.pool('batch')}`, serviceUnavailable(ids.pool('batch')));
    // Act
    const result = await decide(cloud, instance('plain', { metadata: {}, compartmentId: clusters }));
    // Assess
    expect(result).toMatchObject({ verdict: 'unknown', notYetListed: false, reason: expect.stringContaining('503 ServiceUnavailable') });
  });

  it.each([
    ['without a nodes list', { nodesMissing: true }, 'answered without a nodes list'],
    ['with nodes that have no instance OCID', { unidentifiedNodes: 2 }, 'without an instance OCID'],
  ])('is unknown when a pool answers %s', async (_case, shape, wording) => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [pool('apps', [], shape)], clusters: [cluster] });
    // Act
    const result = await decide(cloud, instance('n1'));
    // Assess
    expect(result).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining(wording) });
  });

  it('is unknown, naming the grant, when the hinted pool answers 404 while ListNodePools shows it', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [pool('apps', ['n1'])], clusters: [cluster] });
    cloud.refusedPools.add(ids.pool('apps'));
    // Act
    const result = await decide(cloud, instance('n1'));
    // Assess
    expect(result).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('grant read cluster-family') });
  });

  it('is unknown when every GetNodePool answers 404, as a missing read grant looks', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [pool('apps', ['n1']), pool('batch', ['n2'])], clusters: [cluster] });
    for (const { id } of cloud.world.pools) cloud.refusedPools.add(id);
    // Act
    const result = await decide(cloud, instance('n1'));
    // Assess
    expect(result.verdict).toBe('unknown');
  });

  it('takes no proof from a hinted pool that answers 404, even when no list shows it', async () => {
    // Prepare: the hint names a pool that no scanned compartment lists (forged, or a pool the caller may not read).
    const cloud = new MemoryCloud({ instances: [], pools: [pool('batch', ['n2'])], clusters: [cluster] });
    // Act
    const result = await decide(cloud, instance('forged'));
    // Assess
    expect(result).toMatchObject({
      verdict: 'unknown',
      reason: expect.stringContaining('answered 404: the pool is missing or may not be read'),
    });
  });

  it('is unknown when the hinted cluster answers 404, since its pools could not be listed', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [pool('apps', ['n1'])], clusters: [] });
    // Act
    const result = await decide(cloud, instance('n9', { metadata: okeMetadata(ids.pool('apps'), ids.cluster('other')) }));
    // Assess
    expect(result).toMatchObject({
      verdict: 'unknown',
      reason: expect.stringContaining(`GetCluster ${ids.cluster('other')} answered 404`),
    });
  });

  it('never proves a new OKE node a non-member inside the grace, and says when its pool exists', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [pool('apps', [])], clusters: [cluster] });
    // Act
    const young = await decide(cloud, instance('young', { timeCreated: NEW }));
    const undated = await decide(cloud, instance('undated', { timeCreated: undefined }));
    // Assess
    expect(young).toMatchObject({ verdict: 'unknown', notYetListed: true, reason: expect.stringContaining('membership_grace_minutes') });
    expect(undated).toMatchObject({ verdict: 'unknown', notYetListed: true });
  });

  it('gives an instance without OKE metadata no grace', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [pool('apps', ['n1'])], clusters: [cluster] });
    // Act
    const result = await decide(cloud, instance('vm', { metadata: {}, timeCreated: NEW, compartmentId: clusters }));
    // Assess
    expect(result).toMatchObject({ verdict: 'non-member', reason: expect.stringContaining('no OKE metadata') });
  });

  it('still proves membership in a pool that lists the instance when another pool cannot be read', async () => {
    // Prepare: the hint is wrong; the pool that lists the node is read after one that fails.
    const cloud = new MemoryCloud({
      instances: [],
      pools: [pool('apps', []), pool('broken', []), pool('batch', ['n3'])],
      clusters: [cluster],
    });
    cloud.failures.set(`GetNodePool ${ids.pool('broken')}`, serviceUnavailable(ids.pool('broken')));
    // Act
    const result = await decide(cloud, instance('n3'));
    // Assess
    expect(result).toMatchObject({ verdict: 'member', via: 'scan', pool: { id: ids.pool('batch') } });
  });

  it('reads each pool once for many instances when they share the reads', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [pool('apps', ['n1']), pool('batch', ['n2'])], clusters: [cluster] });
    const reads = new PoolReads(cloud.containerEngine);
    const subjects = ['a', 'b', 'c'].map((label) => instance(label));
    // Act
    const results = await Promise.all(subjects.map((subject) => findMembership(subject, reads, options)));
    // Assess
    expect(results.map((result) => result.verdict)).toEqual(['non-member', 'non-member', 'non-member']);
    expect(cloud.count('GetNodePool')).toBe(2);
    expect(cloud.count('GetCluster')).toBe(1);
  });
});
