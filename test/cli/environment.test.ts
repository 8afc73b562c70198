/**
 * The function's config keys in the environment of a CLI run: honoured,
 * refused when bad (naming the variable), and overruled by flags.
 */
import { join } from 'node:path';
import { jsonLines, REPO_ROOT, runCli } from '../helpers/run-cli';
import { DRIFT_SCOPE, DRIFT_WORLD } from '../helpers/drift-world';

const WORLD = join(REPO_ROOT, 'examples/world.json');
const LAUNCH = join(REPO_ROOT, 'examples/events/01-launch-apps-node.json');

describe('config keys in the environment', () => {
  it('keeps a replay against a world a dry run under dry_run=true', async () => {
    const run = await runCli(['replay', LAUNCH, '--world', WORLD, '--json'], { dry_run: 'true' });

    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)[0]).toMatchObject({ outcome: 'would-tag' });
  });

  it('lets --dry-run win over dry_run=false', async () => {
    const run = await runCli(['replay', LAUNCH, '--world', WORLD, '--json', '--dry-run'], { dry_run: 'false' });

    expect(jsonLines(run.stdout)[0]).toMatchObject({ outcome: 'would-tag' });
  });

  it.each([
    ['replay', ['replay', LAUNCH, '--world', WORLD]],
    ['reconcile', ['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE]],
    ['demo', ['demo']],
  ])('makes %s exit 2 naming dry_run when its value is not a boolean', async (_command, args) => {
    const run = await runCli(args, { dry_run: 'maybe' });

    expect(run.code).toBe(2);
    expect(run.stderr).toBe('oke-nodepool-tagger: config dry_run: "maybe" is not a boolean (use true or false) (from the environment)\n');
  });

  it.each([
    ['replay', ['replay', LAUNCH, '--world', WORLD, '--apply']],
    ['reconcile', ['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE, '--apply']],
  ])('makes %s exit 2 naming --apply and dry_run=true together', async (_command, args) => {
    const run = await runCli(args, { dry_run: 'true' });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--apply contradicts dry_run=true in the environment/);
    expect(run.stdout).toBe('');
  });

  it('exits 2 naming oci_auth when its value is not an auth mode, even against a world', async () => {
    const run = await runCli(['replay', LAUNCH, '--world', WORLD], { oci_auth: 'password' });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^oke-nodepool-tagger: config oci_auth: "password" is not one of .* \(from the environment\)\n$/);
  });

  it('takes the credentials oci_auth names instead of the OCI config file', async () => {
    const run = await runCli(['replay', LAUNCH], { oci_auth: 'resource_principal' });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/resource principal credentials could not be read/);
    expect(run.stderr).not.toMatch(/OCI config file/);
  });
});
