/**
 * The built CLI (`dist/cli.js`, made by `npm run build`, which `npm test`
 * runs first) as a user runs it: exit codes and output of `iam`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURES = join('test', 'fixtures', 'iam');
const CLUSTERS = 'ocid1.compartment.oc1..aaaaaaaae39f1540625789c9e1049b03d6dc7275aab4c7a4728bbcd5e51a';
const FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaad80bef065006da7640f2096f39f4cf7124b1bde679b50034ba1e';
/** Compartments of lifecycle.json: the running node's, the TERMINATING instances' and the DELETED node's. */
const WORKERS = 'ocid1.compartment.oc1..aaaaaaaacea7261b345d52478722754a92889d93b7c01365898c83a6e0b5';
const SPARE = 'ocid1.compartment.oc1..aaaaaaaa9094f24540cf8792ea6cb781059cd41b2f852344ef488e0ee973';
const RETIRED = 'ocid1.compartment.oc1..aaaaaaaa2724156ebbc1b1cae7f2dfb34fdf83b1a1483cd2f735bcadf2b1';

function cli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'iam', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('oke-nodepool-tagger iam (built CLI)', () => {
  it('prints a bash setup for a world file and exits 0', () => {
    // Prepare
    const args = ['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS, '--function-id', FUNCTION_ID];
    // Act
    const result = cli(args);
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(result.stdout).toContain("ensure_dynamic_group 'oke-pool-apps'");
    expect(result.stdout).not.toMatch(/all-resources|manage\s+instance-family/i);
  });

  it('prints Terraform with --format terraform', () => {
    // Prepare
    const args = ['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS, '--format', 'terraform'];
    // Act
    const result = cli(args);
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('resource "oci_identity_dynamic_group" "dg_oke_pool_apps"');
    expect(result.stdout).toContain('resource "oci_events_rule"');
  });

  it("prints the Terraform module's inputs with --format tfvars, without the warning about --function-id", () => {
    // Prepare
    const args = ['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS, '--format', 'tfvars'];
    // Act
    const result = cli(args);
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^node_pool_groups = \{$/m);
    expect(result.stdout).toContain('  "oke-pool-apps" = {');
    expect(result.stdout).not.toMatch(/^resource /m);
    expect(result.stderr).not.toContain('--function-id');
  });

  it('exits 2 with --format tfvars and an identity domain other than Default', () => {
    // Prepare
    const args = ['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS, '--format', 'tfvars', '--identity-domain', 'Ops'];
    // Act
    const result = cli(args);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Default identity domain only');
    expect(result.stdout).toBe('');
  });

  it('exits 2 naming both flags when the detached timeout is not shorter than the interval of the schedule', () => {
    // Prepare
    const args = ['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS, '--function-id', FUNCTION_ID];
    // Act
    const result = cli([...args, '--reconcile-schedule', '*/15 * * * *', '--detached-timeout', '900']);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--reconcile-schedule "*/15 * * * *" with --detached-timeout 900');
    expect(result.stderr).toContain('not shorter than the 900 s between two runs');
    expect(result.stdout).toBe('');
  });

  it('exits 2 naming --reconcile-schedule when the cron expression cannot be read', () => {
    // Prepare / Act
    const result = cli(['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS, '--reconcile-schedule', 'hourly']);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--reconcile-schedule "hourly"');
    expect(result.stderr).toContain('has 1 field(s), not 5');
  });

  it('exits 2 naming --detached-timeout when it is outside 5-3600 seconds', () => {
    // Prepare / Act
    const result = cli(['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS, '--detached-timeout', '4000']);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--detached-timeout must be a whole number from 5 to 3600');
  });

  it('accepts a detached timeout shorter than a custom schedule, and sets both', () => {
    // Prepare
    const args = ['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS, '--function-id', FUNCTION_ID];
    // Act
    const result = cli([...args, '--reconcile-schedule', '*/30 * * * *', '--detached-timeout', '1200']);
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^set_detached_timeout 1200$/m);
    expect(result.stdout).toMatch(/^ensure_schedule .* '\*\/30 \* \* \* \*' \\$/m);
  });

  it('leaves the schedule and its rights out with --reconcile-schedule none', () => {
    // Prepare
    const args = ['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS, '--function-id', FUNCTION_ID];
    // Act
    const result = cli([...args, '--reconcile-schedule', 'none']);
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(/ensure_schedule|set_detached_timeout|resourceschedule|resource-scheduler/);
    expect(result.stdout).toContain('# 5. No scheduled reconcile (--reconcile-schedule none).');
  });

  it('prints the schedule commented out without --function-id', () => {
    // Prepare / Act
    const result = cli(['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS]);
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^# ensure_schedule /m);
    expect(result.stdout).toMatch(/^# set_detached_timeout 900$/m);
    expect(result.stdout).not.toMatch(/^(ensure_schedule|set_detached_timeout) /m);
    expect(result.stdout).not.toMatch(/^ensure_\w+ 'oke-nodepool-tagger-schedule'/m);
  });

  it('exits 1 with a warning when instances name node pools outside the compartments, still printing the setup', () => {
    // Prepare: the drift world's "remote" node belongs to a pool in a compartment that is not named.
    const drift = join('test', 'fixtures', 'worlds', 'drift.json');
    const compartments = [
      'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000',
      'ocid1.compartment.oc1..aaaaaaaaexampleclusterscompartment000000000000000000000',
    ];
    // Act
    const result = cli(['--world', drift, ...compartments.flatMap((id) => ['--compartment', id])]);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "WARNING: 1 instance(s) name node pools outside the compartments in their oke-pool-id; add the pools' compartments",
    );
    expect(result.stdout).toContain("ensure_dynamic_group 'oke-pool-apps'");
  });

  it('exits 2 naming an unknown flag', () => {
    // Prepare / Act
    const result = cli(['--compartment', CLUSTERS, '--bogus-flag']);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--bogus-flag');
    expect(result.stdout).toBe('');
  });

  it('exits 2 naming --format when its value is unknown', () => {
    // Prepare / Act
    const result = cli(['--world', join(FIXTURES, 'basic.json'), '--compartment', CLUSTERS, '--format', 'yaml']);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--format');
  });

  it('exits 1 naming a world file that does not exist', () => {
    // Prepare
    const missing = join(FIXTURES, 'no-such-world.json');
    // Act
    const result = cli(['--world', missing, '--compartment', CLUSTERS]);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(missing);
  });

  it('exits 2 with the fix when pool names collide and no cluster tag is set', () => {
    // Prepare / Act
    const result = cli(['--world', join(FIXTURES, 'collision.json'), '--compartment', CLUSTERS]);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('WARNING');
    expect(result.stderr).toContain('--cluster-tag-name');
    expect(result.stdout).toBe('');
  });

  it('exits 1 naming a pool whose name cannot be quoted', () => {
    // Prepare / Act
    const result = cli(['--world', join(FIXTURES, 'odd-names.json'), '--compartment', CLUSTERS, '--cluster-tag-name', 'oke-cluster-name']);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`"o'brien"`);
    expect(result.stderr).toContain('--skip-unsafe-names');
  });

  it('leaves DELETED and DELETING pools, DELETED nodes and TERMINATING instances out of the setup', () => {
    // Prepare
    const args = ['--world', join(FIXTURES, 'lifecycle.json'), '--compartment', CLUSTERS, '--function-id', FUNCTION_ID];
    // Act
    const result = cli(args);
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("ensure_dynamic_group 'oke-pool-apps'");
    expect(result.stdout).not.toMatch(/oke-pool-(draining|gone)/);
    expect(result.stdout).toContain(`instances in compartment id ${WORKERS}`);
    expect(result.stdout).not.toContain(`instances in compartment id ${CLUSTERS}`);
    expect(result.stdout).not.toContain(SPARE);
    expect(result.stdout).not.toContain(RETIRED);
  });
});
