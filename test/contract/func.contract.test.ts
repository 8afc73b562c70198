/**
 * Contract tests: the built dist/func.js runs as Fn runs it (http-stream over
 * a unix socket, resource-principal v2.2 credentials) against our fake OCI
 * API, and each scenario is checked end to end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeOciApi } from '../../src/local/fake-oci-api';
import { parseWorld, type World } from '../../src/local/world';
import { listEventFixtures, loadEventFixture } from '../helpers/events';
import { startFunction, type FnProcess } from '../helpers/fn-process';
import { createTestCredentials, type TestCredentials } from '../helpers/oci-credentials';

const EXAMPLES = join(__dirname, '../../examples');
const exampleEvent = (name: string) => readFileSync(join(EXAMPLES, 'events', name), 'utf8');
const baseWorld = (): World => parseWorld(JSON.parse(readFileSync(join(EXAMPLES, 'world.json'), 'utf8')), 'examples/world.json');

const NODE_APPS = 'ocid1.instance.oc1.iad.anuwcljtexampleinstance00000000000000000000000000000000';
const NODE_BATCH = 'ocid1.instance.oc1.iad.anuwcljtexamplenodebatch00000000000000000000000000000000';
const POOL_BATCH = 'ocid1.nodepool.oc1.iad.aaaaaaaaexamplepoolbatch0000000000000000000000000000000';
const LATE_NODE = 'ocid1.instance.oc1.iad.anuwcljtexamplelatenode000000000000000000000000000000000';
const THROTTLED_NODE = 'ocid1.instance.oc1.iad.anuwcljtexamplethrottled00000000000000000000000000000000';

/** The example world plus nodes for the fault scenarios. */
function contractWorld(): World {
  const world = baseWorld();
  const template = world.instances.find((instance) => instance.id === NODE_BATCH);
  const batch = world.nodePools.find((pool) => pool.id === POOL_BATCH);
  if (!template || !batch) throw new Error('examples/world.json changed: batch node or pool missing');
  for (const [id, name] of [
    [LATE_NODE, 'late'],
    [THROTTLED_NODE, 'throttled'],
  ] as const) {
    world.instances.push({
      ...structuredClone(template),
      id,
      displayName: name,
      definedTags: { 'Oracle-Tags': { CreatedBy: 'oke', CreatedOn: '2026-11-20T10:01:02.113Z' } },
    });
    batch.nodes.push({ id, name, lifecycleState: 'ACTIVE' });
  }
  return world;
}

function launchEvent(instanceId: string, eventId = `evt-${instanceId.slice(-6)}-${Date.now()}`): string {
  const event = JSON.parse(exampleEvent('01-launch-apps-node.json')) as { eventID: string; data: { resourceId: string } };
  event.eventID = eventId;
  event.data.resourceId = instanceId;
  return JSON.stringify(event);
}

describe('dist/func.js under the Fn contract', () => {
  let credentials: TestCredentials;
  let api: FakeOciApi;
  let fn: FnProcess;

  beforeAll(async () => {
    credentials = await createTestCredentials();
    api = new FakeOciApi({ world: contractWorld(), trustedKeys: credentials.trustedKeys });
    await api.start();
    fn = await startFunction({
      ...credentials.resourcePrincipalEnv,
      compute_endpoint: api.url,
      containerengine_endpoint: api.url,
      membership_wait_seconds: '1',
    });
  });

  afterAll(async () => {
    await fn?.stop();
    await api?.stop();
    await credentials?.cleanup();
  });

  beforeEach(() => {
    api.resetCalls();
    api.faults.clear();
  });

  it('tags a launched node with its pool name in three calls, keeping every other tag', async () => {
    const response = await fn.call(exampleEvent('01-launch-apps-node.json'));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      outcome: 'tagged',
      instanceId: NODE_APPS,
      nodePoolName: 'apps',
      tags: { 'oke-nodepool-name': 'apps' },
      eventId: '5b7c2a4e-6f1d-4c1e-9a55-2d8f3e9b1c07',
      apiCalls: 3,
    });
    expect(api.calls.map((call) => call.operation)).toEqual(['GetInstance', 'GetNodePool', 'UpdateInstance']);
    const update = api.calls[2];
    expect(update?.sentFields).toEqual(['definedTags']);
    expect(update?.ifMatch).toBeDefined();
    const instance = api.getInstance(NODE_APPS);
    expect(instance?.definedTags).toEqual({
      'Oracle-Tags': {
        CreatedBy: 'ocid1.cluster.oc1.iad.aaaaaaaaexamplecluster000000000000000000000000000000000',
        CreatedOn: '2026-11-20T10:01:02.113Z',
      },
      'oke-nodepool-tags': { 'oke-nodepool-name': 'apps' },
    });
    expect(instance?.freeformTags).toEqual({ OKEclusterName: 'prod' });
  });

  it('answers unchanged with two calls and no write when the same launch arrives again', async () => {
    const response = await fn.call(exampleEvent('04-launch-apps-node-again.json'));

    expect(response.json).toMatchObject({ outcome: 'unchanged', nodePoolName: 'apps', apiCalls: 2 });
    expect(api.count('UpdateInstance')).toBe(0);
  });

  it('answers not-in-node-pool for a plain instance after exactly one call', async () => {
    const response = await fn.call(exampleEvent('03-launch-bastion.json'));

    expect(response.json).toMatchObject({ outcome: 'not-in-node-pool', apiCalls: 1 });
    expect(api.calls.map((call) => call.operation)).toEqual(['GetInstance']);
  });

  it('does not tag an instance whose metadata claims a pool it is not in', async () => {
    const response = await fn.call(exampleEvent('05-launch-impostor.json'));

    expect(response.status).toBe(200);
    expect(response.json.outcome).toBe('not-in-node-pool');
    expect(String(response.json.reason)).toContain('does not list it');
    expect(api.count('UpdateInstance')).toBe(0);
    expect(api.getInstance('ocid1.instance.oc1.iad.anuwcljtexampleimpostor000000000000000000000000000000000')?.definedTags).toEqual({});
  });

  it('rides out throttling and reports the retries', async () => {
    api.faults.fail({ operation: 'GetNodePool', times: 3, status: 429 });

    const response = await fn.call(launchEvent(THROTTLED_NODE));

    expect(response.json).toMatchObject({ outcome: 'tagged', nodePoolName: 'batch', retries: 3, apiCalls: 6 });
  });

  it('keeps a concurrent writer’s tag when the etag changes between read and write', async () => {
    api.faults.concurrentTagWrite({ instanceId: NODE_BATCH, mutate: (tags) => ({ ...tags, finance: { costcenter: 'cc-changed' } }) });

    const response = await fn.call(exampleEvent('02-launch-batch-node.json'));

    expect(response.json).toMatchObject({ outcome: 'tagged', nodePoolName: 'batch' });
    expect(api.calls.map((call) => `${call.operation}:${call.status}`)).toEqual([
      'GetInstance:200',
      'GetNodePool:200',
      'UpdateInstance:412',
      'GetInstance:200',
      'UpdateInstance:200',
    ]);
    expect(api.getInstance(NODE_BATCH)?.definedTags).toMatchObject({
      finance: { costcenter: 'cc-changed' },
      'oke-nodepool-tags': { 'oke-nodepool-name': 'batch' },
    });
  });

  it('waits for a node that its pool lists late', async () => {
    api.faults.lateNode({ instanceId: LATE_NODE, nodePoolId: POOL_BATCH, hiddenForGets: 2 });

    const response = await fn.call(launchEvent(LATE_NODE));

    expect(response.json).toMatchObject({ outcome: 'tagged', nodePoolName: 'batch', foundVia: 'hint' });
    expect(api.count('GetNodePool')).toBe(3);
  });

  it('refuses hostile inputs without any API call and then still tags a good event', async () => {
    // Binary-mode fixtures need their header sidecars; proto-pollution-oci is a valid launch carrying extra hostile keys.
    const hostile = listEventFixtures('hostile').filter((name) => !name.includes('binary-') && !name.endsWith('proto-pollution-oci.json'));
    expect(hostile.length).toBeGreaterThan(40);
    const bodies = [...hostile.map((name) => loadEventFixture(name)), Buffer.alloc(2 * 1024 * 1024, 'a')];

    for (const body of bodies) {
      const response = await fn.call(body);
      expect(response.status).toBe(200);
      expect({ body: body.subarray(0, 60).toString(), outcome: response.json.outcome }).toEqual({
        body: body.subarray(0, 60).toString(),
        outcome: 'rejected',
      });
      expect(typeof response.json.reason).toBe('string');
    }
    expect(api.calls).toEqual([]);
    expect(fn.child.exitCode).toBeNull();

    const good = await fn.call(launchEvent(NODE_BATCH));
    expect(good.json.outcome).toMatch(/^(tagged|unchanged)$/);
  });

  it('ignores other event types without any API call', async () => {
    const response = await fn.call(loadEventFixture('oci/terminateinstance-end.json'));

    expect(response.json).toMatchObject({ outcome: 'ignored', apiCalls: 0 });
    expect(api.calls).toEqual([]);
  });

  it('accepts a binary-mode CloudEvent that came through API Gateway', async () => {
    const data = JSON.stringify({
      resourceId: NODE_APPS,
      compartmentId: 'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000',
    });

    const response = await fn.call(data, {
      headers: {
        'Fn-Http-H-Ce-Specversion': '1.0',
        'Fn-Http-H-Ce-Id': 'gw-1',
        'Fn-Http-H-Ce-Type': 'com.oraclecloud.computeapi.launchinstance.end',
        'Fn-Http-H-Ce-Source': '/compute',
      },
    });

    expect(response.json).toMatchObject({ outcome: 'unchanged', eventId: 'gw-1', nodePoolName: 'apps' });
  });

  it('fails with 502 naming the operation and OCID when the API keeps failing, then serves the next call', async () => {
    api.faults.fail({ operation: 'GetInstance', times: 1000, status: 500 });

    const failed = await fn.call(launchEvent(NODE_APPS), { deadlineInMs: 2500 });

    expect(failed.status).toBe(502);
    expect(failed.text).toContain(`GetInstance ${NODE_APPS} failed: 500 InternalServerError`);

    api.faults.clear();
    const next = await fn.call(launchEvent(NODE_APPS));
    expect(next.json.outcome).toBe('unchanged');
  });

  it('answers before Fn-Deadline when a call hangs', async () => {
    api.faults.delay({ operation: 'GetNodePool', times: 5, ms: 20_000 });
    const started = Date.now();

    const response = await fn.call(launchEvent(NODE_APPS), { deadlineInMs: 2000 });

    expect(response.status).toBe(502);
    expect(response.text).toContain('GetNodePool');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('writes nothing but JSON lines to its logs, even after failures', async () => {
    api.faults.fail({ operation: 'GetInstance', times: 1, status: 409, code: 'Conflict' });
    await fn.call(launchEvent(NODE_APPS));
    await fn.call('not json');
    await new Promise((resolve) => setTimeout(resolve, 50));

    const { stdout, stderr } = fn.output();
    const lines = (stdout + stderr).split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('logs one JSON decision line per invocation with the fixed keys', async () => {
    await fn.call(launchEvent(NODE_APPS, 'log-check-1'), { callId: 'call-log-check' });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const line = fn.logs().find((entry) => entry.msg === 'decision' && entry.eventId === 'log-check-1');
    expect(line).toMatchObject({ level: 'info', callId: 'call-log-check', instanceId: NODE_APPS, outcome: 'unchanged', apiCalls: 2 });
    expect(typeof line?.time).toBe('string');
    expect(typeof line?.durationMs).toBe('number');
  });
});

describe('dist/func.js with a tag namespace the tenancy lacks', () => {
  it('fails with 502 naming the missing namespace', async () => {
    const credentials = await createTestCredentials();
    const api = new FakeOciApi({ world: baseWorld(), trustedKeys: credentials.trustedKeys });
    await api.start();
    const fn = await startFunction({
      ...credentials.resourcePrincipalEnv,
      compute_endpoint: api.url,
      containerengine_endpoint: api.url,
      tag_namespace: 'no-such-namespace',
    });
    try {
      const response = await fn.call(exampleEvent('01-launch-apps-node.json'));

      expect(response.status).toBe(502);
      expect(response.text).toContain('UpdateInstance');
      expect(response.text).toContain('no-such-namespace');
    } finally {
      await fn.stop();
      await api.stop();
      await credentials.cleanup();
    }
  });

  it('logs at the configured log_level', async () => {
    const credentials = await createTestCredentials();
    const api = new FakeOciApi({ world: baseWorld(), trustedKeys: credentials.trustedKeys });
    await api.start();
    const fn = await startFunction({
      ...credentials.resourcePrincipalEnv,
      compute_endpoint: api.url,
      containerengine_endpoint: api.url,
      log_level: 'warn',
    });
    try {
      await fn.call(exampleEvent('03-launch-bastion.json'));
      await fn.call('not json');
      await new Promise((resolve) => setTimeout(resolve, 50));

      const decisions = fn.logs().filter((line) => line.msg === 'decision');
      expect(decisions.map((line) => [line.level, line.outcome])).toEqual([['warn', 'rejected']]);
    } finally {
      await fn.stop();
      await api.stop();
      await credentials.cleanup();
    }
  });

  it('fails every call with the bad key named when the configuration is invalid, without exiting', async () => {
    const fn = await startFunction({ tag_name: 'has space', OCI_RESOURCE_PRINCIPAL_VERSION: '2.2' });
    try {
      const response = await fn.call(exampleEvent('01-launch-apps-node.json'));

      expect(response.status).toBe(502);
      expect(response.text).toContain('config tag_name');
      expect(fn.child.exitCode).toBeNull();
    } finally {
      await fn.stop();
    }
  });
});
