import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorldFile } from '../../src/local/world';
import { jsonLines, REPO_ROOT, runCli } from '../helpers/run-cli';
import { DRIFT_SCOPE, DRIFT_WORLD } from '../helpers/drift-world';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reconcile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('oke-nodepool-tagger reconcile', () => {
  it('prints the plan as JSON lines with a final summary, and writes nothing in a dry run', async () => {
    const out = join(dir, 'dry.json');

    const run = await runCli(['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE, '--json', '--write-world', out]);

    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    const summary = lines.pop();
    expect(Object.fromEntries(lines.map((line) => [line.instanceName, [line.action, line.from, line.to, line.applied]]))).toEqual({
      'oke-c4dmzrtgm3d-nvqwc3lfpqa-0': ['tag', {}, { 'oke-nodepool-name': 'apps' }, false],
      'oke-c4dmzrtgm3d-nvqwc3lfpqa-1': ['fix', { 'oke-nodepool-name': 'apps-old' }, { 'oke-nodepool-name': 'apps' }, false],
      'oke-c4dmzrtgm3d-nbatch00000-0': ['tag', {}, { 'oke-nodepool-name': 'batch' }, false],
      impostor: ['prune', { 'oke-nodepool-name': 'apps' }, {}, false],
      'oke-remote-0': ['ok', { 'oke-nodepool-name': 'remote' }, { 'oke-nodepool-name': 'remote' }, false],
      bastion: ['ok', {}, {}, false],
    });
    expect(summary).toMatchObject({
      summary: true,
      counts: { tag: 2, fix: 1, prune: 1, ok: 2 },
      complete: true,
      dryRun: true,
      apiCalls: 8,
      retries: 0,
    });
    expect(await loadWorldFile(out)).toEqual(await loadWorldFile(DRIFT_WORLD));
  });

  it('exits 3 when a dry run finds drift and --exit-code is given', async () => {
    const run = await runCli(['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE, '--exit-code']);

    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/tag 2, fix 1, prune 1, ok 2/);
    expect(run.stdout).toMatch(/fix +oke-c4dmzrtgm3d-nvqwc3lfpqa-1 +apps +oke-nodepool-name=apps-old +oke-nodepool-name=apps +no/);
  });

  it('applies and prunes, removing only our key, then finds the world in sync', async () => {
    const out = join(dir, 'applied.json');

    const applied = await runCli(['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE, '--apply', '--prune', '--write-world', out]);

    expect(applied.code).toBe(0);
    const world = await loadWorldFile(out);
    const byName = Object.fromEntries(world.instances.map((instance) => [instance.displayName, instance]));
    expect(byName.impostor?.definedTags).toEqual({ finance: { costcenter: 'cc-9' } });
    expect(byName.impostor?.freeformTags).toEqual({ owner: 'mallory' });
    expect(byName['oke-c4dmzrtgm3d-nvqwc3lfpqa-1']?.definedTags['oke-nodepool-tags']).toEqual({ 'oke-nodepool-name': 'apps' });
    expect(byName['oke-c4dmzrtgm3d-nbatch00000-0']?.definedTags.finance).toEqual({ costcenter: 'cc-1042' });
    expect(byName['oke-remote-0']?.definedTags['oke-nodepool-tags']).toEqual({ 'oke-nodepool-name': 'remote' });

    const again = await runCli(['reconcile', '--world', out, ...DRIFT_SCOPE, '--exit-code', '--json']);
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout).pop()).toMatchObject({ counts: { tag: 0, fix: 0, prune: 0, ok: 6 } });
  });

  it.each([
    [['reconcile', '--world', DRIFT_WORLD], /name at least one --compartment/],
    [['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE, '--concurrency', '0'], /--concurrency must be a whole number from 1 to 64/],
    [
      ['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE, '--cluster', 'ocid1.nodepool.oc1..aaaa'],
      /--cluster "ocid1.nodepool.oc1..aaaa" is not a cluster OCID/,
    ],
    [['reconcile', ...DRIFT_SCOPE, '--write-world', 'x.json'], /--write-world needs --world/],
    [['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE, '--force'], /Unknown option '--force'/],
  ])('exits 2 for bad usage %j', async (args, message) => {
    const run = await runCli(args);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('shows help with examples', async () => {
    const run = await runCli(['reconcile', '--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: oke-nodepool-tagger reconcile/);
    expect(run.stdout).toMatch(/--exit-code/);
  });
});

describe('oke-nodepool-tagger reconcile with a time limit', () => {
  it('stops with exit 1 and a resume token, and --resume finishes the job', async () => {
    const { FakeOciApi } = await import('../../src/local/fake-oci-api');
    const { createTestCredentials } = await import('../helpers/oci-credentials');
    const { buildWorld, TEST_COMPARTMENT_ID } = await import('../helpers/worlds');
    const credentials = await createTestCredentials();
    const api = new FakeOciApi({ world: buildWorld({ pools: 40, nodesPerPool: 4 }), trustedKeys: credentials.trustedKeys, latencyMs: 40 });
    await api.start();
    const env = { OCI_CONFIG_FILE: credentials.configFile.path, compute_endpoint: api.url, containerengine_endpoint: api.url };
    const args = ['reconcile', '--compartment', TEST_COMPARTMENT_ID, '--apply', '--concurrency', '2', '--timeout', '2'];
    try {
      const first = await runCli(args, env);
      expect(first.code).toBe(1);
      expect(first.stdout).toContain('stopped at the time limit (--timeout 2) before the run was complete');
      let token = /--resume (\S+)/.exec(first.stdout)?.[1];
      expect(token).toBeDefined();

      for (let round = 0; round < 30 && token !== undefined; round += 1) {
        const next = await runCli([...args, '--resume', token], env);
        expect([0, 1]).toContain(next.code);
        token = next.code === 0 ? undefined : /--resume (\S+)/.exec(next.stdout)?.[1];
      }

      expect(token).toBeUndefined();
      expect(api.world.instances.every((instance) => instance.definedTags['oke-nodepool-tags'] !== undefined)).toBe(true);
      expect(api.count('UpdateInstance')).toBe(160);
    } finally {
      await api.stop();
      await credentials.cleanup();
    }
  }, 120_000);
});

describe('oke-nodepool-tagger reconcile table', () => {
  it('lists only instances that need something, and every instance with --all', async () => {
    const plain = await runCli(['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE]);
    const all = await runCli(['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE, '--all']);

    expect(plain.stdout).not.toMatch(/^ok +bastion/m);
    expect(plain.stdout).toMatch(/^prune +impostor/m);
    expect(all.stdout).toMatch(/^ok +bastion/m);
    expect(all.stdout).toMatch(/^ok +oke-remote-0 +remote/m);
  });

  it('names the environment variable, not a flag, when the environment holds the bad value', async () => {
    const run = await runCli(['replay', join(REPO_ROOT, 'examples/events'), '--world', DRIFT_WORLD], { timeout_seconds: 'abc' });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('config timeout_seconds: "abc" is not a number of seconds between 1 and 3600 (from the environment)');
    expect(run.stderr).not.toContain('--timeout');
  });
});
