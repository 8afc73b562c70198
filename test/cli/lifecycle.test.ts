/**
 * The lifecycle rules, each applied by every command that meets them: an
 * instance is gone when TERMINATING or TERMINATED; a DELETED pool proves
 * nothing; a DELETING pool's listed nodes are still members.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLines, REPO_ROOT, runCli } from '../helpers/run-cli';

const WORLD = join(REPO_ROOT, 'test/fixtures/worlds/lifecycle.json');
const COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaaexamplelifecyclecompartment0000000000000000000';
const instanceId = (label: string) => `ocid1.instance.oc1.iad.anuwcljtexamplelife${label}`.padEnd(78, '0');
const poolId = (label: string) => `ocid1.nodepool.oc1.iad.aaaaaaaaexamplepool${label}`.padEnd(78, '0');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lifecycle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lifecycle rules', () => {
  it('replay: a launch event for a TERMINATING instance is gone after one call, with no write', async () => {
    // Act
    const run = await runCli([
      'replay',
      join(REPO_ROOT, 'test/fixtures/events/lifecycle/launch-terminating.json'),
      '--world',
      WORLD,
      '--json',
    ]);
    // Assess
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([
      expect.objectContaining({
        outcome: 'gone',
        instanceId: instanceId('ending0'),
        apiCalls: 1,
        reason: expect.stringContaining('TERMINATING'),
      }),
    ]);
  });

  it('reconcile: keeps the DELETING pool’s member, skips the TERMINATING node, and prunes a tag that only a DELETED pool backs', async () => {
    // Prepare
    const out = join(dir, 'after-reconcile.json');
    // Act
    const run = await runCli([
      'reconcile',
      '--world',
      WORLD,
      '--compartment',
      COMPARTMENT,
      '--apply',
      '--prune',
      '--json',
      '--write-world',
      out,
    ]);
    // Assess
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    const byInstance = Object.fromEntries(lines.filter((line) => line.instanceId).map((line) => [line.instanceId, line.action]));
    expect(byInstance).toEqual({ [instanceId('live0')]: 'tag', [instanceId('drain0')]: 'ok', [instanceId('orphan0')]: 'prune' });
    expect(lines.at(-1)).toMatchObject({ summary: true, pools: 2, instances: 3, complete: true });
    const world = JSON.parse(readFileSync(out, 'utf8')) as { instances: { id: string; definedTags: Record<string, unknown> }[] };
    const tags = (label: string) => world.instances.find((instance) => instance.id === instanceId(label))?.definedTags;
    expect(tags('drain0')).toEqual({ 'oke-nodepool-tags': { 'oke-nodepool-name': 'draining' } });
    expect(tags('ending0')).toEqual({});
    expect(tags('orphan0')).toEqual({});
  });

  it('snapshot: leaves out the DELETED pool, the DELETED cluster and the TERMINATING instance', async () => {
    // Act
    const run = await runCli(['snapshot', '--world', WORLD, '--compartment', COMPARTMENT]);
    // Assess
    expect(run.code).toBe(0);
    const world = JSON.parse(run.stdout) as { clusters: { name: string }[]; nodePools: { id: string }[]; instances: { id: string }[] };
    expect(world.clusters.map((cluster) => cluster.name)).toEqual(['life']);
    expect(world.nodePools.map((pool) => pool.id).sort()).toEqual([poolId('draining'), poolId('live')].sort());
    expect(world.instances.map((instance) => instance.id).sort()).toEqual(
      [instanceId('drain0'), instanceId('live0'), instanceId('orphan0')].sort(),
    );
  });
});

describe('snapshot of the wrong scope', () => {
  it('writes the world but warns and exits 1 when it finds no node pool and instances name pools outside it', async () => {
    // Act: only the instances' compartment of the drift world, whose pools live in another compartment.
    const run = await runCli([
      'snapshot',
      '--world',
      join(REPO_ROOT, 'test/fixtures/worlds/drift.json'),
      '--compartment',
      'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000',
    ]);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('snapshot: warning: no node pool found in ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment');
    expect(run.stderr).toMatch(/snapshot: warning: \d+ instance\(s\) name node pools outside the snapshot/);
    expect((JSON.parse(run.stdout) as { instances: unknown[] }).instances.length).toBeGreaterThan(0);
  });
});
