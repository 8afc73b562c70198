import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/run-cli';

const EVENT = join(REPO_ROOT, 'examples/events/01-launch-apps-node.json');
const COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'world-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a --world file that cannot be loaded', () => {
  it.each([
    ['replay', ['replay', EVENT, '--world', 'missing.json']],
    ['reconcile', ['reconcile', '--compartment', COMPARTMENT, '--world', 'missing.json']],
  ])('makes %s exit 1 naming the missing file, without the raw system error', async (_command, args) => {
    const run = await runCli(args, {}, { cwd: dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe('oke-nodepool-tagger: world file missing.json: cannot read it: no such file or directory\n');
    expect(run.stdout).toBe('');
  });

  it('names a world path that is a directory', async () => {
    mkdirSync(join(dir, 'a-directory.json'));

    const run = await runCli(['replay', EVENT, '--world', 'a-directory.json'], {}, { cwd: dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^oke-nodepool-tagger: world file a-directory\.json: cannot read it: /);
    expect(run.stderr).not.toMatch(/EISDIR|\n\s+at /);
  });

  it('names a world file that is not valid JSON', async () => {
    writeFileSync(join(dir, 'truncated.json'), '{"clusters": [');

    const run = await runCli(['reconcile', '--compartment', COMPARTMENT, '--world', 'truncated.json'], {}, { cwd: dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^oke-nodepool-tagger: world file truncated\.json: not valid JSON \(/);
  });

  it('gives the line and column of a JSON syntax error, and the message once', async () => {
    writeFileSync(join(dir, 'trailing-comma.json'), '{\n  "clusters": [],\n  "instances": [],\n}\n');

    const run = await runCli(['replay', EVENT, '--world', 'trailing-comma.json'], {}, { cwd: dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe('oke-nodepool-tagger: world file trailing-comma.json: not valid JSON (line 4, column 1: unexpected "}")\n');
  });

  it('refuses a node pool whose cluster is not in the world, naming the pool', async () => {
    const world = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/world.json'), 'utf8')) as { clusters: unknown[] };
    world.clusters = [];
    writeFileSync(join(dir, 'no-cluster.json'), JSON.stringify(world));

    const run = await runCli(['replay', EVENT, '--world', 'no-cluster.json'], {}, { cwd: dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^oke-nodepool-tagger: world file no-cluster\.json: nodePools\[0\]\.clusterId of node pool "apps" names ocid1\.cluster\.\S+, which is not in clusters\n$/,
    );
  });
});
