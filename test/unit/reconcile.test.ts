import { Deadline } from '../../src/deadline';
import { DeadlineError, OciCallError, ResumeTokenError } from '../../src/errors';
import type { InstanceInfo, NodePoolInfo } from '../../src/tagging/model';
import { planInstance, type PlannedAction } from '../../src/tagging/plan';
import { reconcile, type ReconcileOptions } from '../../src/tagging/reconcile';
import { ids, MemoryCloud, okeMetadata } from '../helpers/memory-ports';

const compartment = ids.compartment('workers');
const elsewhere = ids.compartment('elsewhere');
const cluster = { id: ids.cluster('prod'), name: 'prod', compartmentId: compartment };
const keys = { tagNamespace: 'oke-nodepool-tags', tagName: 'oke-nodepool-name' };
/** The tests' clock: every instance was created long before it, past the membership grace. */
const NOW = Date.parse('2026-11-20T10:30:00.000Z');

function instance(label: string, poolLabel: string | undefined, poolTag?: string, extra: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    id: ids.instance(label),
    compartmentId: compartment,
    displayName: label,
    timeCreated: '2026-10-01T08:00:00.000Z',
    metadata: poolLabel ? okeMetadata(ids.pool(poolLabel), cluster.id) : {},
    definedTags: {
      finance: { costcenter: '42' },
      ...(poolTag ? { 'oke-nodepool-tags': { 'oke-nodepool-name': poolTag, owner: 'ops' } } : {}),
    },
    freeformTags: { team: 'blue' },
    ...extra,
  };
}

function pool(label: string, members: string[], compartmentId = compartment): NodePoolInfo {
  return { id: ids.pool(label), name: label, clusterId: cluster.id, compartmentId, nodeIds: members.map(ids.instance) };
}

/** A tenancy with one of every case. */
function driftedCloud(): MemoryCloud {
  return new MemoryCloud({
    clusters: [cluster],
    pools: [pool('apps', ['new', 'stale', 'good']), pool('remote', ['far'], elsewhere)],
    instances: [
      instance('new', 'apps'),
      instance('stale', 'apps', 'apps-old'),
      instance('good', 'apps', 'apps'),
      instance('intruder', undefined, 'apps'),
      instance('liar', 'apps', 'apps'),
      instance('far', 'remote', 'remote'),
      instance('plain', undefined),
    ],
  });
}

async function run(cloud: MemoryCloud, overrides: Partial<ReconcileOptions> = {}) {
  const actions: PlannedAction[] = [];
  const summary = await reconcile(cloud.compute, cloud.containerEngine, {
    poolCompartmentIds: [compartment],
    instanceCompartmentIds: [compartment],
    keys,
    graceMs: 30 * 60_000,
    now: () => NOW,
    apply: false,
    prune: false,
    concurrency: 2,
    deadline: Deadline.inSeconds(60),
    reserveMs: 0,
    onAction: (action) => actions.push(action),
    ...overrides,
  });
  const byName: Record<string, PlannedAction> = Object.fromEntries(
    actions.map((action) => [action.instanceName ?? action.instanceId, action]),
  );
  return { summary, actions, byName };
}

/** `count` pools p0… with one node n0… each, plus `extra` instances. */
function poolsCloud(count: number, extra: InstanceInfo[] = []): MemoryCloud {
  const pools = Array.from({ length: count }, (_, index) => pool(`p${index}`, [`n${index}`]));
  return new MemoryCloud({
    clusters: [cluster],
    pools,
    instances: [...pools.map((_, index) => instance(`n${index}`, `p${index}`)), ...extra],
  });
}

/** Makes the `nth` GetNodePool fail as the deadline would; returns a function that restores the port. */
function deadlineAtPoolRead(cloud: MemoryCloud, nth: number): () => void {
  const getNodePool = cloud.containerEngine.getNodePool;
  let reads = 0;
  cloud.containerEngine.getNodePool = async (id) => {
    reads += 1;
    if (reads === nth) throw new DeadlineError('GetNodePool', id, 'no time left before the deadline');
    return getNodePool(id);
  };
  return () => {
    cloud.containerEngine.getNodePool = getNodePool;
  };
}

describe('reconcile', () => {
  it('plans every action kind in a dry run and writes nothing', async () => {
    const cloud = driftedCloud();

    const { summary, byName } = await run(cloud);

    expect(Object.fromEntries(Object.entries(byName).map(([name, action]) => [name, action.action]))).toEqual({
      new: 'tag',
      stale: 'fix',
      good: 'ok',
      intruder: 'prune',
      liar: 'prune',
      far: 'ok',
      plain: 'ok',
    });
    expect(byName.stale).toMatchObject({ from: { 'oke-nodepool-name': 'apps-old' }, to: { 'oke-nodepool-name': 'apps' }, applied: false });
    expect(summary).toMatchObject({ counts: { tag: 1, fix: 1, prune: 2, ok: 3 }, applied: 0, complete: true });
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('applies tag and fix with merged tags and leaves prune candidates alone without --prune', async () => {
    const cloud = driftedCloud();

    const { summary } = await run(cloud, { apply: true });

    expect(summary.applied).toBe(2);
    expect(cloud.instance(ids.instance('new')).definedTags).toEqual({
      finance: { costcenter: '42' },
      'oke-nodepool-tags': { 'oke-nodepool-name': 'apps' },
    });
    expect(cloud.instance(ids.instance('stale')).definedTags).toEqual({
      finance: { costcenter: '42' },
      'oke-nodepool-tags': { 'oke-nodepool-name': 'apps', owner: 'ops' },
    });
    expect(cloud.instance(ids.instance('intruder')).definedTags['oke-nodepool-tags']).toEqual({
      'oke-nodepool-name': 'apps',
      owner: 'ops',
    });
  });

  it('prunes only our key from non-members and keeps every other tag', async () => {
    const cloud = driftedCloud();

    await run(cloud, { apply: true, prune: true });

    expect(cloud.instance(ids.instance('intruder')).definedTags).toEqual({
      finance: { costcenter: '42' },
      'oke-nodepool-tags': { owner: 'ops' },
    });
    expect(cloud.instance(ids.instance('intruder')).freeformTags).toEqual({ team: 'blue' });
    expect(cloud.instance(ids.instance('liar')).definedTags['oke-nodepool-tags']).toEqual({ owner: 'ops' });
  });

  it('never prunes a member, including a node of a pool outside the scanned compartments', async () => {
    const cloud = driftedCloud();

    const { byName } = await run(cloud, { apply: true, prune: true });

    for (const name of ['new', 'stale', 'good', 'far']) {
      expect(byName[name]?.action).not.toBe('prune');
      expect(cloud.instance(ids.instance(name)).definedTags['oke-nodepool-tags']?.['oke-nodepool-name']).toBeDefined();
    }
    expect(byName.far).toMatchObject({ action: 'ok', nodePoolName: 'remote' });
  });

  it('re-reads and merges again on 412 while applying', async () => {
    const cloud = driftedCloud();
    let raced = false;
    cloud.afterGetInstance = (id) => {
      if (raced || id !== ids.instance('new')) return;
      raced = true;
      cloud.writeTags(id, { ...cloud.instance(id).definedTags, other: { x: '1' } });
    };
    await run(cloud, { apply: true });

    // The first write met a 412, so the instance was read again and written a second time.
    expect(cloud.count('UpdateInstance')).toBe(3);
    expect(cloud.instance(ids.instance('new')).definedTags).toMatchObject({
      other: { x: '1' },
      'oke-nodepool-tags': { 'oke-nodepool-name': 'apps' },
    });
  });

  it('keeps API calls within the documented bound', async () => {
    const cloud = driftedCloud();

    const { summary } = await run(cloud, { apply: true, prune: true });

    // 1 ListNodePools page + 1 GetNodePool per pool in scope + 1 ListInstances page + 2 per change + 1 GetNodePool per prune candidate.
    const changes = summary.counts.tag + summary.counts.fix + summary.counts.prune;
    expect(cloud.count()).toBe(1 + 1 + 1 + 2 * changes + 2);
    expect(cloud.count('GetInstance')).toBe(changes);
  });

  it('adds the cluster name with one GetCluster per cluster', async () => {
    const cloud = driftedCloud();

    const { byName } = await run(cloud, { keys: { ...keys, clusterTagName: 'oke-cluster-name' } });

    expect(byName.good).toMatchObject({ action: 'fix', to: { 'oke-nodepool-name': 'apps', 'oke-cluster-name': 'prod' } });
    expect(cloud.count('GetCluster')).toBe(1);
  });

  it('narrows to the given clusters', async () => {
    const cloud = driftedCloud();

    const { summary } = await run(cloud, { clusterIds: [ids.cluster('other')] });

    expect(summary.pools).toBe(0);
  });

  it('records a failed write and goes on with the rest', async () => {
    const cloud = driftedCloud();
    const update = cloud.compute.updateDefinedTags;
    cloud.compute.updateDefinedTags = async (id, tags, etag) => {
      if (id === ids.instance('new')) throw new Error('UpdateInstance boom');
      return update(id, tags, etag);
    };

    const { summary, byName } = await run(cloud, { apply: true });

    expect(byName.new).toMatchObject({ applied: false, error: 'UpdateInstance boom' });
    expect(byName.stale?.applied).toBe(true);
    expect(summary.failed).toBe(1);
  });
});

describe('reconcile within a deadline', () => {
  it('stops cleanly and resumes where it stopped instead of redoing the first pools', async () => {
    const cloud = poolsCloud(10, [instance('intruder', undefined, 'p1')]);
    let now = 0;
    const clock = () => now;
    const getNodePool = cloud.containerEngine.getNodePool;
    cloud.containerEngine.getNodePool = async (id) => {
      now += 100;
      return getNodePool(id);
    };

    const first = await run(cloud, { apply: true, prune: true, deadline: new Deadline(450, clock), reserveMs: 0 });

    expect(first.summary.complete).toBe(false);
    expect(first.summary.resume).toEqual(expect.any(String));
    const firstPoolReads = cloud.count('GetNodePool');
    expect(firstPoolReads).toBeLessThan(10);

    now = 0;
    const getInstancesBefore = cloud.count('GetInstance');
    const second = await run(cloud, { apply: true, prune: true, deadline: new Deadline(100_000, clock), resume: first.summary.resume });

    expect(second.summary.complete).toBe(true);
    expect(first.summary.counts.tag + second.summary.counts.tag).toBe(10);
    // No node handled in the first run is read or written again: one GetInstance per remaining tag and one for the prune.
    expect(cloud.count('GetInstance') - getInstancesBefore).toBe(second.summary.counts.tag + 1);
    expect(first.summary.counts.tag).toBeGreaterThan(0);
    expect(second.byName.intruder?.action).toBe('prune');
    expect(cloud.instance(ids.instance('intruder')).definedTags['oke-nodepool-tags']).toEqual({ owner: 'ops' });
    for (let index = 0; index < 10; index += 1) {
      expect(cloud.instance(ids.instance(`n${index}`)).definedTags['oke-nodepool-tags']).toEqual({ 'oke-nodepool-name': `p${index}` });
    }
  });

  it('refuses a resume token issued for another request', async () => {
    const cloud = poolsCloud(4, [instance('intruder', undefined, 'p1')]);
    let now = 0;
    const getNodePool = cloud.containerEngine.getNodePool;
    cloud.containerEngine.getNodePool = async (id) => {
      now += 100;
      return getNodePool(id);
    };
    const first = await run(cloud, { deadline: new Deadline(150, () => now) });

    await expect(run(cloud, { poolCompartmentIds: [elsewhere], resume: first.summary.resume })).rejects.toThrow(ResumeTokenError);
    await expect(run(cloud, { resume: 'not-a-token' })).rejects.toThrow(/resume token: not a token this tool issued/);
  });
});

describe('reconcile on a stop request', () => {
  it('finishes the batch in flight, starts no other, and resumes where it stopped', async () => {
    const cloud = poolsCloud(10);
    let stop = false;
    const getNodePool = cloud.containerEngine.getNodePool;
    cloud.containerEngine.getNodePool = async (id) => {
      if (id === ids.pool('p2')) stop = true;
      return getNodePool(id);
    };

    const first = await run(cloud, { apply: true, concurrency: 2, stopRequested: () => stop });

    expect(first.summary.complete).toBe(false);
    expect(first.summary.counts.tag).toBe(4);
    expect(cloud.count('GetNodePool')).toBe(4);
    expect(cloud.count('UpdateInstance')).toBe(4);
    const second = await run(cloud, { apply: true, concurrency: 2, resume: first.summary.resume });
    expect(second.summary.complete).toBe(true);
    expect(second.summary.counts.tag).toBe(6);
    expect(cloud.count('UpdateInstance')).toBe(10);
  });

  it('hands back a token to start over when the stop comes before any pool is done', async () => {
    const cloud = poolsCloud(3);

    const first = await run(cloud, { apply: true, stopRequested: () => true });

    expect(first.summary.complete).toBe(false);
    expect(cloud.count('GetNodePool')).toBe(0);
    const second = await run(cloud, { apply: true, resume: first.summary.resume });
    expect(second.summary.counts.tag).toBe(3);
  });

  it('reports with each batch the token a stop there would give', async () => {
    const cloud = poolsCloud(4);
    const tokens: string[] = [];
    await run(cloud, { concurrency: 2, onProgress: (progress) => tokens.push(progress.resume) });
    let stop = false;

    const stopped = await run(cloud, {
      concurrency: 2,
      stopRequested: () => stop,
      onProgress: () => {
        stop = true;
      },
    });

    expect(tokens).toHaveLength(2);
    expect(stopped.summary.resume).toBe(tokens[0]);
  });
});

describe('planInstance', () => {
  it('tags a member with no value, fixes a stale one and leaves a right one', () => {
    const apps = pool('apps', ['a']);

    expect(planInstance(instance('a', 'apps'), apps, keys, undefined).action).toBe('tag');
    expect(planInstance(instance('a', 'apps', 'old'), apps, keys, undefined).action).toBe('fix');
    expect(planInstance(instance('a', 'apps', 'apps'), apps, keys, undefined).action).toBe('ok');
  });

  it('marks a non-member carrying our pool key for pruning and leaves others alone', () => {
    expect(planInstance(instance('x', undefined, 'apps'), undefined, keys, undefined).action).toBe('prune');
    expect(planInstance(instance('x', undefined), undefined, keys, undefined).action).toBe('ok');
  });
});

describe('reconcile when things go wrong', () => {
  it('redoes on resume a node whose write the deadline cut off, instead of skipping it', async () => {
    const cloud = poolsCloud(4);
    const update = cloud.compute.updateDefinedTags;
    cloud.compute.updateDefinedTags = async (id, tags, etag) => {
      if (id === ids.instance('n2')) throw new DeadlineError('UpdateInstance', id, 'no time left before the deadline');
      return update(id, tags, etag);
    };

    const first = await run(cloud, { apply: true, concurrency: 1 });

    expect(first.summary).toMatchObject({ complete: false, failed: 0 });
    cloud.compute.updateDefinedTags = update;
    const second = await run(cloud, { apply: true, concurrency: 1, resume: first.summary.resume });
    expect(second.summary.complete).toBe(true);
    for (let index = 0; index < 4; index += 1) {
      expect(cloud.instance(ids.instance(`n${index}`)).definedTags['oke-nodepool-tags']).toEqual({ 'oke-nodepool-name': `p${index}` });
    }
  });

  it('does not skip a pool when an earlier pool is deleted between runs', async () => {
    const cloud = poolsCloud(3);
    const restore = deadlineAtPoolRead(cloud, 2);
    const first = await run(cloud, { apply: true, concurrency: 1 });
    expect(first.summary.complete).toBe(false);
    restore();
    cloud.world.pools.shift();

    const second = await run(cloud, { apply: true, concurrency: 1, resume: first.summary.resume });

    expect(second.summary.complete).toBe(true);
    expect(cloud.instance(ids.instance('n1')).definedTags['oke-nodepool-tags']).toEqual({ 'oke-nodepool-name': 'p1' });
    expect(cloud.instance(ids.instance('n2')).definedTags['oke-nodepool-tags']).toEqual({ 'oke-nodepool-name': 'p2' });
  });

  it('refuses a dry run’s token for a run that applies', async () => {
    const cloud = poolsCloud(3);
    deadlineAtPoolRead(cloud, 2);
    const dry = await run(cloud, { concurrency: 1 });

    await expect(run(cloud, { apply: true, concurrency: 1, resume: dry.summary.resume })).rejects.toThrow(/issued for another request/);
  });

  it('reports a pool it cannot tag and goes on with the others', async () => {
    const cloud = poolsCloud(3);
    const bad = cloud.world.pools[1] as NodePoolInfo;
    cloud.world.pools[1] = { ...bad, name: 'x'.repeat(300) };

    const { summary } = await run(cloud, { apply: true });

    expect(summary).toMatchObject({ complete: true, failed: 1, applied: 2 });
    expect(summary.failures?.[0]).toMatchObject({ resourceId: ids.pool('p1'), error: expect.stringMatching(/300 characters long/) });
  });

  it('names GetCluster and the cluster when the cluster name cannot be read', async () => {
    const cloud = poolsCloud(1);
    cloud.world.clusters = [];

    const { summary } = await run(cloud, { keys: { ...keys, clusterTagName: 'oke-cluster-name' } });

    expect(summary.failures?.[0]?.error).toBe(
      `GetCluster ${cluster.id} failed: 404 NotAuthorizedOrNotFound: the cluster name is needed for cluster_tag_name, but the cluster is missing or may not be read (grant read cluster-family)`,
    );
  });

  it('fails clearly when the deadline leaves no time for any progress', async () => {
    const cloud = poolsCloud(2);

    await expect(run(cloud, { deadline: new Deadline(0, () => 0), reserveMs: 1 })).rejects.toThrow(
      /reconcile made no progress before the deadline/,
    );
  });

  it('does not write a node of a cluster outside --cluster, and never prunes it', async () => {
    const other = { id: ids.cluster('other'), name: 'other', compartmentId: elsewhere };
    const cloud = new MemoryCloud({
      clusters: [cluster, other],
      pools: [
        pool('apps', ['a']),
        { id: ids.pool('theirs'), name: 'theirs', clusterId: other.id, compartmentId: elsewhere, nodeIds: [ids.instance('their-node')] },
      ],
      instances: [
        instance('a', 'apps'),
        { ...instance('their-node', 'theirs', 'stale-name'), metadata: okeMetadata(ids.pool('theirs'), other.id) },
      ],
    });

    const { byName } = await run(cloud, { apply: true, prune: true, clusterIds: [cluster.id] });

    expect(byName['their-node']).toMatchObject({ action: 'ok', applied: false, nodePoolName: 'theirs' });
    expect(cloud.instance(ids.instance('their-node')).definedTags['oke-nodepool-tags']?.['oke-nodepool-name']).toBe('stale-name');
  });
});

describe('reconcile concurrency', () => {
  it('never has more calls in flight than --concurrency, reads and writes together', async () => {
    // Labels end in a letter: ids.* pads with zeros, so `a1` and `a10` would be the same OCID.
    const members = (index: number) => [`a${index}x`, `b${index}x`, `c${index}x`];
    const pools = Array.from({ length: 12 }, (_, index) => pool(`p${index}x`, members(index)));
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools,
      instances: pools.flatMap((_, index) => members(index).map((label) => instance(label, `p${index}x`))),
    });
    let inFlight = 0;
    let peak = 0;
    const slow =
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        try {
          return await fn(...args);
        } finally {
          inFlight -= 1;
        }
      };
    cloud.containerEngine.getNodePool = slow(cloud.containerEngine.getNodePool);
    cloud.compute.getInstance = slow(cloud.compute.getInstance);
    cloud.compute.updateDefinedTags = slow(cloud.compute.updateDefinedTags);

    const { summary } = await run(cloud, { apply: true, concurrency: 3 });

    expect(summary).toMatchObject({ applied: 36, failed: 0 });
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBe(3);
  });
});

describe('reconcile and nodes outside the scanned compartments', () => {
  it('counts a pool node whose instance lives in a compartment it did not list, and plans nothing for it', async () => {
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['here', 'away'])],
      instances: [instance('here', 'apps'), { ...instance('away', 'apps'), compartmentId: elsewhere }],
    });

    const { summary, byName } = await run(cloud, { apply: true });

    expect(summary).toMatchObject({ unseenNodes: 1, applied: 1 });
    expect(byName.away).toBeUndefined();
    expect(cloud.instance(ids.instance('away')).definedTags['oke-nodepool-tags']).toBeUndefined();
  });
});

describe('reconcile never acts on what it could not read', () => {
  const unavailable = (id: string) => new OciCallError('GetNodePool', id, 503, 'ServiceUnavailable', 'down (gave up after 8 attempt(s))');

  it('does not prune the nodes of a pool whose read failed, even without a hint, and counts them unknown', async () => {
    // Prepare: n1's pool fails to read; n1 carries our tag and has no oke-pool-id.
    const cloud = new MemoryCloud({ clusters: [cluster], pools: [pool('apps', ['n1'])], instances: [instance('n1', undefined, 'apps')] });
    cloud.failures.set(`GetNodePool ${ids.pool('apps')}`, unavailable(ids.pool('apps')));
    // Act
    const { summary, byName } = await run(cloud, { apply: true, prune: true });
    // Assess
    expect(byName.n1).toMatchObject({ action: 'unknown', applied: false, reason: expect.stringContaining('503') });
    expect(cloud.count('UpdateInstance')).toBe(0);
    expect(summary).toMatchObject({ failed: 1, unknown: 1, complete: true, verified: false });
  });

  it.each([
    ['without nodes', { nodesMissing: true, nodeIds: [] }],
    ['with nodes that have no id', { unidentifiedNodes: 1, nodeIds: [] }],
  ])('does not treat a pool answering %s as empty', async (_case, shape) => {
    // Prepare
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [{ ...pool('apps', ['n1']), ...shape }],
      instances: [instance('n1', 'apps', 'apps')],
    });
    // Act
    const { summary, byName } = await run(cloud, { apply: true, prune: true });
    // Assess
    expect(byName.n1).toMatchObject({ action: 'unknown' });
    expect(cloud.instance(ids.instance('n1')).definedTags['oke-nodepool-tags']).toMatchObject({ 'oke-nodepool-name': 'apps' });
    expect(summary).toMatchObject({ unknown: 1, verified: false });
  });

  it('does not prune a node whose pool outside the scan answers 404 to the hint check', async () => {
    // Prepare: far's pool lives elsewhere, and the function may not read it.
    const cloud = driftedCloud();
    cloud.refusedPools.add(ids.pool('remote'));
    // Act
    const { summary, byName } = await run(cloud, { apply: true, prune: true });
    // Assess
    expect(byName.far).toMatchObject({ action: 'unknown' });
    expect(cloud.instance(ids.instance('far')).definedTags['oke-nodepool-tags']).toMatchObject({ 'oke-nodepool-name': 'remote' });
    expect(summary.verified).toBe(false);
  });

  it('strips no one when every GetNodePool answers 404, and fails the run', async () => {
    // Prepare
    const cloud = driftedCloud();
    for (const { id } of cloud.world.pools) cloud.refusedPools.add(id);
    // Act
    const { summary } = await run(cloud, { apply: true, prune: true });
    // Assess
    expect(cloud.count('UpdateInstance')).toBe(0);
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.unknown).toBeGreaterThan(0);
    expect(summary.counts.prune).toBe(0);
  });

  it('prunes a proven non-member and reports a clean run as verified', async () => {
    // Prepare
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['n1'])],
      instances: [instance('n1', 'apps', 'apps'), instance('intruder', undefined, 'apps')],
    });
    // Act
    const { summary, byName } = await run(cloud, { apply: true, prune: true });
    // Assess
    expect(byName.intruder).toMatchObject({ action: 'prune', applied: true });
    // Only our key went; every other tag, other keys of our namespace included, stays.
    expect(cloud.instance(ids.instance('intruder')).definedTags).toEqual({
      finance: { costcenter: '42' },
      'oke-nodepool-tags': { owner: 'ops' },
    });
    expect(summary).toMatchObject({ unknown: 0, failed: 0, complete: true, verified: true });
  });

  it('does not prune a VM born with our tag inside the grace when it has OKE metadata', async () => {
    // Prepare
    const young = instance('young', 'apps', 'apps', { timeCreated: new Date(NOW - 60_000).toISOString() });
    const cloud = new MemoryCloud({
      clusters: [cluster],
      pools: [pool('apps', ['n1'])],
      instances: [instance('n1', 'apps', 'apps'), young],
    });
    // Act
    const { byName } = await run(cloud, { apply: true, prune: true });
    // Assess
    expect(byName.young).toMatchObject({ action: 'unknown', reason: expect.stringContaining('membership_grace_minutes') });
  });
});

describe('reconcile warns about the wrong scope', () => {
  it('counts a scan that finds no pool as unknown and proves no one a non-member', async () => {
    // Prepare: only the instances' compartment is scanned; the pools live elsewhere.
    const cloud = driftedCloud();
    // Act
    const { summary, byName } = await run(cloud, { poolCompartmentIds: [ids.compartment('nothing-here')], apply: true, prune: true });
    // Assess
    expect(summary.warnings).toContain(`no node pool found in the pool compartments ${ids.compartment('nothing-here')}`);
    expect(byName.intruder).toMatchObject({ action: 'unknown' });
    expect(cloud.count('UpdateInstance')).toBe(0);
    expect(summary.verified).toBe(false);
  });

  it('counts a --cluster that matches nothing as unknown', async () => {
    // Act
    const { summary } = await run(driftedCloud(), { clusterIds: [ids.cluster('typo')] });
    // Assess
    expect(summary.warnings).toContain(`--cluster ${ids.cluster('typo')} matches no node pool in the pool compartments`);
    expect(summary.unknown).toBeGreaterThan(0);
  });

  it('counts untagged instances whose oke-pool-id names a pool outside the scan as unknown', async () => {
    // Prepare: far is untagged here, and its pool is in a compartment that is not scanned.
    const cloud = driftedCloud();
    cloud.world.instances = cloud.world.instances.map((one) => (one.id === ids.instance('far') ? { ...one, definedTags: {} } : one));
    // Act
    const { summary, byName } = await run(cloud);
    // Assess
    expect(byName.far).toMatchObject({ action: 'unknown', reason: expect.stringContaining('not in the scanned pool compartments') });
    expect(summary.warnings?.some((warning) => warning.includes('outside the scan'))).toBe(true);
  });
});

describe('reconcile across scheduled runs', () => {
  it('covers every pool within a cycle although each run finishes only part of them', async () => {
    // Prepare: 6 pools, 3 runs per cycle, and a deadline that lets each run read only 2 pools.
    const cloud = poolsCloud(6);
    let now = Date.parse('2026-11-20T00:00:00.000Z');
    const started = new Set<string>();
    const getNodePool = cloud.containerEngine.getNodePool;
    let budget = 0;
    cloud.containerEngine.getNodePool = async (id) => {
      if (budget <= 0) throw new DeadlineError('GetNodePool', id, 'no time left before the deadline');
      budget -= 1;
      started.add(id);
      return getNodePool(id);
    };
    // Act: three hourly runs, each without a resume token.
    const firsts: string[] = [];
    for (let run = 0; run < 3; run += 1) {
      budget = 2;
      const actions: PlannedAction[] = [];
      await reconcile(cloud.compute, cloud.containerEngine, {
        poolCompartmentIds: [compartment],
        instanceCompartmentIds: [compartment],
        keys,
        graceMs: 0,
        now: () => now,
        apply: false,
        prune: false,
        concurrency: 1,
        deadline: Deadline.inSeconds(60),
        reserveMs: 0,
        rotation: { runsPerCycle: 3 },
        onAction: (action) => actions.push(action),
      });
      firsts.push(actions[0]?.nodePoolId ?? '');
      now += 3_600_000;
    }
    // Assess: the runs start at different pools, and together they read all six.
    expect(new Set(firsts).size).toBe(3);
    expect(started.size).toBe(6);
  });

  it('keeps the rotation across a resume, so no pool is skipped or done twice', async () => {
    // Prepare
    const cloud = poolsCloud(5);
    const now = Date.parse('2026-11-20T01:00:00.000Z');
    const restore = deadlineAtPoolRead(cloud, 3);
    const options = { rotation: { runsPerCycle: 5 }, now: () => now, concurrency: 1 };
    // Act
    const first = await run(cloud, options);
    restore();
    const second = await run(cloud, { ...options, resume: first.summary.resume });
    // Assess
    const done = [...first.actions, ...second.actions]
      .filter((action) => action.nodePoolId !== undefined)
      .map((action) => action.nodePoolId);
    expect(first.summary.complete).toBe(false);
    expect(second.summary.complete).toBe(true);
    expect([...done].sort()).toEqual(cloud.world.pools.map((pool) => pool.id).sort());
    expect(first.actions[0]?.nodePoolId).not.toBe(cloud.world.pools.map((pool) => pool.id).sort()[0]);
  });
});
