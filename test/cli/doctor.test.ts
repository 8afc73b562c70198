import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/run-cli';

const HEALTHY = join(REPO_ROOT, 'test/fixtures/worlds/access/doctor-healthy.json');
const BROKEN = join(REPO_ROOT, 'test/fixtures/worlds/access/doctor-broken.json');
const APPS = 'ocid1.compartment.oc1..aaaaaaaaexampleapps00000000000000000000000000000000000000000';
const FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaaexampletagger000000000000000000000000000000000000000';
const TARGET = ['--compartment', APPS, '--function-id', FUNCTION_ID];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The healthy world with one change, written to a temporary file. */
function variant(
  name: string,
  change: (world: Record<string, unknown> & { policies: { name: string; statements: string[] }[] }) => void,
): string {
  const world = JSON.parse(readFileSync(HEALTHY, 'utf8'));
  change(world);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(world));
  return path;
}

describe('oke-nodepool-tagger doctor', () => {
  it('prints one ok line per check over a healthy deployment and exits 0', async () => {
    const run = await runCli(['doctor', '--world', HEALTHY, ...TARGET]);

    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('doctor: 22 ok, 0 warn, 0 fail, 0 unknown');
    expect(lines.slice(0, -1).every((line) => line.startsWith('ok      '))).toBe(true);
    expect(lines).toContain("ok      the function's detached timeout: 900 s, shorter than the 3600 s between two runs");
    expect(run.stdout).toMatch(
      /^ok {6}group of pool prod\/web: dynamic group oke-pool-web matches its 2 node\(s\), once tagged, and no other pool's$/m,
    );
  });

  it('names each failure with its fix and exits 3', async () => {
    const run = await runCli(['doctor', '--world', BROKEN, ...TARGET]);

    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      /^fail {4}tag key oke-nodepool-name: key oke-nodepool-name of tag namespace oke-nodepool-tags is retired: writing it fails \| fix: oci iam tag reactivate /m,
    );
    expect(run.stdout).toMatch(
      /^fail {4}use instances INSTANCE_UPDATE in root:apps:workers: no statement grants it to the function's group \| fix: add to a policy: Allow dynamic-group oke-nodepool-tagger-fn to use instances/m,
    );
    expect(run.stdout).toMatch(
      /^fail {4}instance events in root:apps:workers: launchinstance.end only by rule oke-nodepool-tagger-launch, which is disabled;.*--is-enabled true$/m,
    );
    expect(run.stdout).toMatch(/^fail {4}the function's detached timeout: 900 s is not shorter than the 600 s between two runs/m);
    expect(run.stdout).toMatch(
      /^warn {4}who else may use the tag namespace: 1 statement\(s\) let others tag a VM into a pool's group: policy Tenant Admin Policy \(in root\): "Allow group Developers to use tag-namespaces in tenancy"/m,
    );
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('doctor: 17 ok, 1 warn, 4 fail, 0 unknown');
  });

  it('prints the checks as JSON with --json', async () => {
    const run = await runCli(['doctor', '--world', BROKEN, ...TARGET, '--json']);

    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(report.counts).toEqual({ ok: 17, warn: 1, fail: 4, unknown: 0 });
    expect(report.exitCode).toBe(3);
    expect(report.checks.find((check: { id: string }) => check.id === 'tags.key.oke-nodepool-name')).toMatchObject({
      title: 'tag key oke-nodepool-name',
      status: 'fail',
      fix: expect.stringContaining('--tag-name oke-nodepool-name'),
    });
  });

  it('exits 0 when the only findings are warnings', async () => {
    const world = variant('warning-only', (parsed) => {
      const admin = parsed.policies.find((policy) => policy.name === 'Tenant Admin Policy');
      admin?.statements.push('Allow any-user to use tag-namespaces in tenancy');
    });

    const run = await runCli(['doctor', '--world', world, ...TARGET]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^warn {4}who else may use the tag namespace: .*"Allow any-user to use tag-namespaces in tenancy"/m);
  });

  it('fails the pool groups when a group is missing, printing the rule to create', async () => {
    const world = variant('no-batch-group', (parsed) => {
      parsed.dynamicGroups = (parsed.dynamicGroups as { name: string }[]).filter((group) => group.name !== 'oke-pool-batch');
    });

    const run = await runCli(['doctor', '--world', world, ...TARGET]);

    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      /^fail {4}group of pool prod\/batch: no dynamic group matches its nodes once they carry oke-nodepool-tags.oke-nodepool-name = 'batch' \| fix: a group with the rule iam plans: All \{instance.compartment.id = '[^']+', tag.oke-nodepool-tags.oke-nodepool-name.value = 'batch'\}$/m,
    );
  });

  it('takes the function from FUNCTION_OCID', async () => {
    const run = await runCli(['doctor', '--world', HEALTHY, '--compartment', APPS], { FUNCTION_OCID: FUNCTION_ID });

    expect(run.code).toBe(0);
  });

  it('exits 1 when the world file cannot be read', async () => {
    const run = await runCli(['doctor', '--world', join(dir, 'missing.json'), ...TARGET]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('missing.json: cannot read it: no such file');
  });

  it('refuses to run without a function (exit 2)', async () => {
    const run = await runCli(['doctor', '--world', HEALTHY, '--compartment', APPS]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--function-id');
  });

  it('prints its help with --help and through "help doctor"', async () => {
    const [help, viaMain] = await Promise.all([runCli(['doctor', '--help']), runCli(['help', 'doctor'])]);

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: oke-nodepool-tagger doctor --compartment OCID\.\.\. --function-id OCID/);
    expect(help.stdout).toContain('Exit codes: 0 no check failed and none is unknown');
    expect(viaMain.stdout).toBe(help.stdout);
  });
});
