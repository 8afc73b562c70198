/**
 * `snapshot` reads what `explain` and `doctor` need (compartments, dynamic
 * groups, policies, the tag catalogue, Events rules, schedules, the function)
 * so that a field problem reproduces offline: the built bundle snapshots a
 * world served by the embedded fake, and `explain` answers the same over the
 * snapshot as over the original.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { World } from '../../src/local/world-types';
import { worldFunction, worldRule, worldSchedule } from '../helpers/operations-world';
import { REPO_ROOT, runCli } from '../helpers/run-cli';

const BASE = join(REPO_ROOT, 'test/fixtures/worlds/access/explain.json');
const WORKERS = 'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment000000000000000000000000000000000';
const CLUSTERS = 'ocid1.compartment.oc1..aaaaaaaaexampleclusterscompartment00000000000000000000000000000000';
const STORAGE = 'ocid1.compartment.oc1..aaaaaaaaexamplestoragecompartment000000000000000000000000000000000';
const NODE = `ocid1.instance.oc1.iad.anuwcljtexample${'nodeapps1'.padEnd(40, '0')}`;
const SCOPE = ['--compartment', WORKERS, '--compartment', CLUSTERS];

let dir: string;
let worldFile: string;
let world: World;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snapshot-access-'));
  world = JSON.parse(await readFile(BASE, 'utf8')) as World;
  const tenancyId = world.tenancyId as string;
  // A forged oke-pool-id names a pool that exists nowhere, which snapshot rightly warns about (exit 1); it is not what this file tests.
  world.instances = world.instances.filter((instance) => instance.displayName !== 'forged-hint');
  world.rules = [
    worldRule('in-tenancy', { compartmentId: tenancyId }),
    worldRule('in-workers', { compartmentId: WORKERS }),
    worldRule('in-storage', { compartmentId: STORAGE }),
  ];
  const fn = worldFunction({ compartmentId: CLUSTERS });
  world.functions = [fn];
  world.schedules = [worldSchedule('hourly', { compartmentId: CLUSTERS })];
  world.tagNamespaces['oke-nodepool-tags'] = { keys: ['oke-nodepool-name', 'old-key'], retiredKeys: ['old-key'], retired: false };
  worldFile = join(dir, 'world.json');
  await writeFile(worldFile, JSON.stringify(world));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function snapshot(...args: string[]): Promise<{ code: number | null; stderr: string; world: World | undefined }> {
  const out = join(dir, `snapshot-${Math.random().toString(36).slice(2)}.json`);
  const run = await runCli(['snapshot', '--world', worldFile, ...SCOPE, '--out', out, ...args]);
  const written = await readFile(out, 'utf8').then(
    (text) => JSON.parse(text) as World,
    () => undefined,
  );
  return { code: run.code, stderr: run.stderr, world: written };
}

describe('snapshot of what explain and doctor read', () => {
  it('captures compartments, groups, policies, retired keys, the rules of the compartments and their ancestors, schedules and the function', async () => {
    // Act
    const run = await snapshot('--function-id', worldFunction().id);

    // Assess
    expect(run.code).toBe(0);
    const captured = run.world as World;
    expect(captured.tenancyId).toBe(world.tenancyId);
    expect(captured.compartments?.map((c) => c.name).sort()).toEqual(['bucket-b', 'clusters', 'storage', 'workers']);
    expect(captured.dynamicGroups?.map((g) => g.name).sort()).toEqual(world.dynamicGroups?.map((g) => g.name).sort());
    expect(captured.policies?.map((p) => p.name).sort()).toEqual(world.policies?.map((p) => p.name).sort());
    expect(captured.tagNamespaces['oke-nodepool-tags']).toMatchObject({ retiredKeys: ['old-key'], retired: false });
    // The storage compartment is neither a named compartment nor an ancestor of one, so its rule does not apply to them.
    expect(captured.rules?.map((r) => r.displayName).sort()).toEqual(['rule-in-tenancy', 'rule-in-workers']);
    expect(captured.rules?.[0]?.actions.actions[0]).toMatchObject({ actionType: 'FAAS', functionId: worldFunction().id });
    expect(captured.schedules?.map((s) => s.displayName)).toEqual(['schedule-hourly']);
  });

  it("keeps the function's own config keys and scrubs every other value", async () => {
    // Act
    const run = await snapshot('--function-id', worldFunction().id);

    // Assess
    const [fn] = run.world?.functions ?? [];
    expect(fn?.config).toEqual({
      tag_namespace: 'oke-nodepool-tags',
      compartment_id: worldFunction().config['compartment_id'],
      webhook_secret: '<scrubbed>',
    });
  });

  it('gives explain the same answer over the snapshot as over the tenancy it was taken from', async () => {
    // Prepare
    const run = await snapshot();
    const snapshotFile = join(dir, 'for-explain.json');
    await writeFile(snapshotFile, JSON.stringify(run.world));

    // Act
    const [original, replayed] = await Promise.all([
      runCli(['explain', NODE, '--world', worldFile, '--json']),
      runCli(['explain', NODE, '--world', snapshotFile, '--json']),
    ]);

    // Assess
    // 1 on both: without --identity-domain-url a statement names a group of the Prod domain, which is not read.
    expect(original.code).toBe(1);
    expect(replayed.code).toBe(1);
    const strip = (text: string) => {
      const result = JSON.parse(text) as Record<string, unknown>;
      delete result['apiCalls'];
      return result;
    };
    expect(strip(replayed.stdout)).toEqual(strip(original.stdout));
  });

  it('leaves all of it out with --skip-access', async () => {
    // Act
    const run = await snapshot('--skip-access');

    // Assess
    expect(run.code).toBe(0);
    for (const key of ['tenancyId', 'compartments', 'dynamicGroups', 'policies', 'rules', 'functions', 'schedules'])
      expect(run.world).not.toHaveProperty(key);
  });

  it('refuses a --function-id that is not a function OCID, writing nothing', async () => {
    // Act
    const run = await snapshot('--function-id', WORKERS);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--function-id');
    expect(run.world).toBeUndefined();
  });
});
