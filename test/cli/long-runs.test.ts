/**
 * A reconcile that takes a while, as against a large tenancy: the built CLI
 * runs as a child process against a slow fake OCI API served by the test,
 * and is stopped by signals the way a person or a scheduler stops it.
 */
import { FakeOciApi } from '../../src/local/fake-oci-api';
import { createTestCredentials, type TestCredentials } from '../helpers/oci-credentials';
import { jsonLines, runCli, startCli } from '../helpers/run-cli';
import { buildWorld, NODEPOOL_TAG_NAMESPACE, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const POOLS = 16;
const NODES_PER_POOL = 4;
/** With --concurrency 2, the first batch of two pools has this many rows; a later row means it is finished. */
const FIRST_BATCH_ROWS = 2 * NODES_PER_POOL;

let credentials: TestCredentials;
let api: FakeOciApi;
let env: Record<string, string>;
const args = ['reconcile', '--compartment', TEST_COMPARTMENT_ID, '--apply', '--concurrency', '2'];

beforeAll(async () => {
  credentials = await createTestCredentials();
});
afterAll(() => credentials.cleanup());

beforeEach(async () => {
  api = new FakeOciApi({
    world: buildWorld({ pools: POOLS, nodesPerPool: NODES_PER_POOL }),
    trustedKeys: credentials.trustedKeys,
    latencyMs: 30,
  });
  await api.start();
  env = { OCI_CONFIG_FILE: credentials.configFile.path, compute_endpoint: api.url, containerengine_endpoint: api.url };
});
afterEach(() => api.stop());

/** Resumes with `token` until the run completes; every node must end up tagged. */
async function finishWith(token: string | undefined): Promise<void> {
  for (let round = 0; round < 5 && token !== undefined; round += 1) {
    const next = await runCli([...args, '--json', '--resume', token], env);
    const summary = jsonLines(next.stdout).pop();
    token = next.code === 0 ? undefined : (summary?.resume as string | undefined);
  }
  expect(token).toBeUndefined();
  expect(api.world.instances.every((instance) => instance.definedTags[NODEPOOL_TAG_NAMESPACE] !== undefined)).toBe(true);
}

describe('reconcile on a slow API', () => {
  it('prints table rows as they are decided, before the run ends', async () => {
    const run = startCli(args, env);

    const lines = await run.stdoutLines(2);

    expect(api.count('UpdateInstance')).toBeLessThan((POOLS * NODES_PER_POOL) / 2);
    expect(lines[0]).toMatch(/^action +instance +node pool +from +to +applied$/);
    expect(lines[1]).toMatch(/^tag +\S+ +pool-\d+ +- +oke-nodepool-name=\S+ +yes$/);
    run.child.kill('SIGKILL');
    await run.done;
  });
});

describe('reconcile stopped by a signal', () => {
  it('finishes the calls in flight on SIGINT, prints the summary so far with a resume token and exits 130', async () => {
    const run = startCli([...args, '--json'], env);
    await run.stdoutLines(1);

    run.child.kill('SIGINT');
    const ended = await run.done;

    expect(ended.code).toBe(130);
    expect(ended.stderr).toContain('SIGINT: starting no new calls');
    const lines = jsonLines(ended.stdout);
    const summary = lines.pop();
    expect(summary).toMatchObject({ summary: true, complete: false, stoppedBy: 'SIGINT', resume: expect.any(String) });
    expect(lines.length).toBeLessThan(POOLS * NODES_PER_POOL);
    expect(lines.every((line) => line.applied === true)).toBe(true);
    const writesBefore = api.count('UpdateInstance');
    expect(writesBefore).toBe(lines.length);
    await finishWith(summary?.resume as string);
    expect(api.count('UpdateInstance')).toBe(POOLS * NODES_PER_POOL);
  });

  it('says in the table output that SIGTERM stopped it, with the token, and exits 143', async () => {
    const run = startCli(args, env);
    await run.stdoutLines(2);

    run.child.kill('SIGTERM');
    const ended = await run.done;

    expect(ended.code).toBe(143);
    expect(ended.stdout).toMatch(/^tag \d+, fix 0, prune 0, ok 0, unknown 0 \| /m);
    const token = /stopped by SIGTERM before the run was complete; carry on with the same flags plus:\n {2}--resume (\S+)/.exec(
      ended.stdout,
    )?.[1];
    expect(token).toBeDefined();
    await finishWith(token);
  });

  it('ends at once on a second signal, with the token of the last finished batch', async () => {
    const run = startCli([...args, '--json'], env);
    await run.stdoutLines(FIRST_BATCH_ROWS + 1);
    api.latencyMs = 20_000;

    run.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signalled = Date.now();
    run.child.kill('SIGINT');
    const ended = await run.done;

    expect(Date.now() - signalled).toBeLessThan(3000);
    expect(ended.code).toBe(130);
    const summary = jsonLines(ended.stdout).pop();
    expect(summary).toMatchObject({ summary: true, complete: false, stoppedBy: 'SIGINT', resume: expect.any(String) });
    api.latencyMs = 0;
    await finishWith(summary?.resume as string);
  });

  it('waits at most 10 s for calls in flight after one signal', async () => {
    const run = startCli([...args, '--json'], env);
    await run.stdoutLines(FIRST_BATCH_ROWS + 1);
    api.latencyMs = 60_000;

    const signalled = Date.now();
    run.child.kill('SIGINT');
    const ended = await run.done;

    const waited = Date.now() - signalled;
    expect(waited).toBeGreaterThanOrEqual(9_500);
    expect(waited).toBeLessThan(14_000);
    expect(ended.code).toBe(130);
    expect(jsonLines(ended.stdout).pop()).toMatchObject({ complete: false, stoppedBy: 'SIGINT', resume: expect.any(String) });
  }, 30_000);
});
