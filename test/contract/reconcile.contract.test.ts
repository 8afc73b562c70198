/**
 * Function mode of reconcile, through the built dist/func.js under the Fn
 * contract: a scheduled invocation keeps a tenancy in sync within its deadline.
 */
import { FakeOciApi } from '../../src/local/fake-oci-api';
import { startFunction, type FnProcess } from '../helpers/fn-process';
import { createTestCredentials, type TestCredentials } from '../helpers/oci-credentials';
import { buildWorld, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const request = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ action: 'reconcile', compartmentIds: [TEST_COMPARTMENT_ID], ...extra });

describe('reconcile as a scheduled function invocation', () => {
  let credentials: TestCredentials;
  let api: FakeOciApi;
  let fn: FnProcess;
  const world = buildWorld({ pools: 80, nodesPerPool: 2, selfManagedInstances: 3 });

  beforeAll(async () => {
    credentials = await createTestCredentials();
    api = new FakeOciApi({ world, trustedKeys: credentials.trustedKeys, pageSize: 25 });
    await api.start();
    fn = await startFunction({ ...credentials.resourcePrincipalEnv, compute_endpoint: api.url, containerengine_endpoint: api.url });
  });
  afterAll(async () => {
    await fn?.stop();
    await api?.stop();
    await credentials?.cleanup();
  });

  it('plans without writing when apply is false', async () => {
    const response = await fn.call(request());

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      outcome: 'reconciled',
      complete: true,
      dryRun: true,
      counts: { tag: 160, fix: 0, prune: 0, ok: 3 },
      applied: 0,
    });
    expect(api.count('UpdateInstance')).toBe(0);
  });

  it('stops before a short deadline with a resume token, and later calls finish the job', async () => {
    api.latencyMs = 100;
    const answers: Record<string, unknown>[] = [];
    let resume: string | undefined;
    for (let call = 0; call < 20; call += 1) {
      const started = Date.now();
      const response = await fn.call(request({ apply: true, ...(resume ? { resume } : {}) }), { deadlineInMs: 6000 });
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(6000);
      answers.push(response.json);
      if (response.json.complete === true) break;
      resume = String(response.json.resume);
    }
    api.latencyMs = 0;

    expect(answers.length).toBeGreaterThan(1);
    expect(answers[0]).toMatchObject({ outcome: 'reconciled', complete: false, resume: expect.any(String) });
    expect(answers.at(-1)).toMatchObject({ complete: true });
    const tagged = answers.reduce((sum, answer) => sum + Number((answer.counts as Record<string, number>).tag), 0);
    expect(tagged).toBe(160);
    expect(api.count('UpdateInstance')).toBe(160);
    const untagged = api.world.instances.filter(
      (instance) => instance.metadata['oke-pool-id'] && !instance.definedTags['oke-nodepool-tags'],
    );
    expect(untagged).toEqual([]);
  }, 120_000);

  it('rejects another action and a foreign resume token', async () => {
    const other = await fn.call(JSON.stringify({ action: 'delete-everything', compartmentIds: [TEST_COMPARTMENT_ID] }));
    const foreign = await fn.call(request({ resume: 'eyJ2IjoxfQ' }));

    expect(other.json).toMatchObject({ outcome: 'rejected' });
    expect(String(other.json.reason)).toContain('delete-everything');
    expect(foreign.json).toMatchObject({ outcome: 'rejected' });
    expect(String(foreign.json.reason)).toMatch(/^resume token: /);
  });
});

describe('reconcile under dry_run=true', () => {
  it('never writes even when the request says apply', async () => {
    const credentials = await createTestCredentials();
    const api = new FakeOciApi({ world: buildWorld({ pools: 3 }), trustedKeys: credentials.trustedKeys });
    await api.start();
    const fn = await startFunction({
      ...credentials.resourcePrincipalEnv,
      compute_endpoint: api.url,
      containerengine_endpoint: api.url,
      dry_run: 'true',
    });
    try {
      const response = await fn.call(request({ apply: true, prune: true }));

      expect(response.json).toMatchObject({ outcome: 'reconciled', dryRun: true, applied: 0, counts: { tag: 3 } });
      expect(api.count('UpdateInstance')).toBe(0);
    } finally {
      await fn.stop();
      await api.stop();
      await credentials.cleanup();
    }
  });
});
