import { loadConfig } from '../../src/config';
import { LAUNCH_EVENT_TYPE, UPDATE_CLUSTER_EVENT_TYPE, UPDATE_INSTANCE_EVENT_TYPE, UPDATE_NODE_POOL_EVENT_TYPE } from '../../src/event';
import { createHandler, type HandlerDeps } from '../../src/handler';
import { createJsonLogger } from '../../src/log';
import { ids, MemoryCloud, okeMetadata } from '../helpers/memory-ports';

const compartment = ids.compartment('workers');
const cluster = { id: ids.cluster('prod'), name: 'prod', compartmentId: compartment };

function setup(env: Record<string, string> = {}, overrides: Partial<HandlerDeps> = {}) {
  const cloud = new MemoryCloud({
    clusters: [cluster],
    pools: [{ id: ids.pool('apps'), name: 'apps', clusterId: cluster.id, compartmentId: compartment, nodeIds: [ids.instance('n1')] }],
    instances: [
      {
        id: ids.instance('n1'),
        compartmentId: compartment,
        displayName: 'n1',
        metadata: okeMetadata(ids.pool('apps'), cluster.id),
        definedTags: {},
        freeformTags: {},
      },
    ],
  });
  const lines: Record<string, unknown>[] = [];
  const handler = createHandler({
    config: loadConfig(env),
    logger: createJsonLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
    // Each port call counts as one API call, as the OCI adapters count them.
    createPorts: (scope) => {
      const counted = <T extends object>(port: T): T =>
        new Proxy(port, {
          get: (target, key) => {
            const value = Reflect.get(target, key) as unknown;
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              scope.stats.apiCalls += 1;
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        });
      return { compute: counted(cloud.compute), containerEngine: counted(cloud.containerEngine) };
    },
    sleep: async () => {},
    ...overrides,
  });
  return { cloud, handler, lines };
}

const event = (eventType: string, resourceId: string) =>
  JSON.stringify({
    eventType,
    cloudEventsVersion: '0.1',
    eventID: 'e-2',
    source: 'ComputeApi',
    eventTime: '2026-11-20T10:02:13.481Z',
    data: { resourceId, compartmentId: compartment },
  });

const launch = (instanceId: string) =>
  JSON.stringify({
    eventType: LAUNCH_EVENT_TYPE,
    cloudEventsVersion: '0.1',
    eventID: 'e-1',
    source: 'ComputeApi',
    eventTime: '2026-11-20T10:02:13.481Z',
    data: { resourceId: instanceId, compartmentId: compartment },
  });

describe('createHandler', () => {
  it('answers a launch with the tagging result, its cost and one decision log line', async () => {
    const { handler, lines, cloud } = setup();

    const result = await handler({ body: launch(ids.instance('n1')), headers: {}, callId: 'c-1' });

    expect(result).toMatchObject({ outcome: 'tagged', nodePoolName: 'apps', eventId: 'e-1', apiCalls: 3, retries: 0 });
    expect(result.apiCalls).toBe(cloud.count());
    expect(lines.filter((line) => line.msg === 'decision')).toEqual([
      expect.objectContaining({
        level: 'info',
        callId: 'c-1',
        eventId: 'e-1',
        instanceId: ids.instance('n1'),
        eventCompartmentId: compartment,
        outcome: 'tagged',
      }),
    ]);
  });

  it('marks results of a dry-run configuration', async () => {
    const { handler, cloud } = setup({ dry_run: 'true' });

    const result = await handler({ body: launch(ids.instance('n1')), headers: {} });

    expect(result).toMatchObject({ outcome: 'would-tag', dryRun: true });
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('runs reconcile requests by default, over the same ports as events', async () => {
    // Prepare
    const { handler, cloud } = setup();
    // Act
    const result = await handler({
      body: JSON.stringify({ action: 'reconcile', compartmentIds: [compartment], apply: true }),
      headers: {},
    });
    // Assess
    expect(result).toMatchObject({
      outcome: 'reconciled',
      counts: { tag: 1, fix: 0, prune: 0, ok: 0 },
      applied: 1,
      complete: true,
      dryRun: false,
    });
    expect(cloud.instance(ids.instance('n1')).definedTags).toEqual({ 'oke-nodepool-tags': { 'oke-nodepool-name': 'apps' } });
  });

  it('rejects reconcile requests when allow_reconcile is false', async () => {
    const { handler } = setup({ allow_reconcile: 'false' });

    const result = await handler({ body: JSON.stringify({ action: 'reconcile', compartmentIds: [compartment] }), headers: {} });

    expect(result).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('allow_reconcile=false') });
  });

  it('logs and rethrows when the ports cannot be built for a reconcile request', async () => {
    const { handler, lines } = setup({}, { createPorts: () => Promise.reject(new Error('no credentials')) });

    await expect(handler({ body: JSON.stringify({ action: 'reconcile', compartmentIds: [compartment] }), headers: {} })).rejects.toThrow(
      'unexpected failure: no credentials',
    );
    expect(lines.find((line) => line.msg === 'invocation failed')).toMatchObject({
      level: 'error',
      error: expect.stringContaining('no credentials'),
    });
  });

  it('never calls the API for rejected or ignored input', async () => {
    const { handler, cloud } = setup();

    const rejected = await handler({ body: 'not json', headers: {} });
    const ignored = await handler({ body: launch(ids.instance('n1')).replace('launchinstance.end', 'terminateinstance.end'), headers: {} });

    expect(rejected.outcome).toBe('rejected');
    const rejectedWithId = await handler({ body: launch('ocid1.vcn.oc1..aaaa'), headers: {} });
    expect(rejectedWithId).toMatchObject({ outcome: 'rejected', eventId: 'e-1', apiCalls: 0 });
    expect(ignored.outcome).toBe('ignored');
    expect(cloud.count()).toBe(0);
  });

  it('routes a node-pool update to the pool use case and answers its counts', async () => {
    // Act
    const result = await setup().handler({ body: event(UPDATE_NODE_POOL_EVENT_TYPE, ids.pool('apps')), headers: {} });
    // Assess
    expect(result).toMatchObject({ outcome: 'reconciled', nodePoolId: ids.pool('apps'), counts: { tag: 1 }, applied: 1, apiCalls: 4 });
  });

  it('ignores a cluster update unless the cluster key is configured', async () => {
    const { handler, cloud } = setup();
    const result = await handler({ body: event(UPDATE_CLUSTER_EVENT_TYPE, cluster.id), headers: {} });
    expect(result).toMatchObject({ outcome: 'ignored', reason: expect.stringContaining('cluster_tag_name') });
    expect(cloud.count()).toBe(0);
  });

  it('logs an impostor it only reports at warn, with the fixed message', async () => {
    // Prepare: a VM, not in any pool, carrying the tag.
    const { handler, cloud, lines } = setup({ impostor_action: 'report' });
    cloud.world.instances.push({
      id: ids.instance('vm'),
      compartmentId: compartment,
      metadata: {},
      definedTags: { 'oke-nodepool-tags': { 'oke-nodepool-name': 'apps' } },
      freeformTags: {},
    });
    // Act
    const result = await handler({ body: event(UPDATE_INSTANCE_EVENT_TYPE, ids.instance('vm')), headers: {} });
    // Assess
    expect(result).toMatchObject({ outcome: 'reported', removedTags: ['oke-nodepool-name'] });
    expect(result).not.toHaveProperty('alert');
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'impostor reported', instanceId: ids.instance('vm') }));
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('fails a function-mode reconcile that leaves anything unknown, naming the counts', async () => {
    // Prepare: the pool cannot be read.
    const { handler, cloud } = setup();
    cloud.refusedPools.add(ids.pool('apps'));
    // Act
    const run = handler({ body: JSON.stringify({ action: 'reconcile', compartmentIds: [compartment], apply: true }), headers: {} });
    // Assess
    await expect(run).rejects.toThrow(/reconcile is not verified: \d+ unknown, 1 failed/);
  });

  it('fails a pool event whose write for one node keeps failing, naming the node, after writing the others', async () => {
    // Prepare
    const { handler, cloud } = setup();
    cloud.failures.set(
      `GetInstance ${ids.instance('n1')}`,
      new Error('GetInstance failed: 429 TooManyRequests (gave up after 8 attempt(s))'),
    );
    // Act
    const run = handler({ body: event(UPDATE_NODE_POOL_EVENT_TYPE, ids.pool('apps')), headers: {} });
    // Assess
    await expect(run).rejects.toThrow(`${ids.pool('apps')}: 1 node write(s) failed, 0 written; first failure: ${ids.instance('n1')}`);
  });
});
