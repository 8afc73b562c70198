import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOciApi } from '../../src/local/fake-oci-api';
import { loadWorldFile, parseWorld } from '../../src/local/world';
import { createTestCredentials, type TestCredentials } from '../helpers/oci-credentials';
import { jsonLines, REPO_ROOT, runCli } from '../helpers/run-cli';

const WORLD = join(REPO_ROOT, 'examples/world.json');
const EVENTS = join(REPO_ROOT, 'examples/events');
const APPS_NODE = 'ocid1.instance.oc1.iad.anuwcljtexampleinstance00000000000000000000000000000000';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('oke-nodepool-tagger replay --world', () => {
  it('replays a directory in name order and prints one JSON result per event', async () => {
    const out = join(dir, 'after.json');

    const run = await runCli(['replay', EVENTS, '--world', WORLD, '--json', '--write-world', out]);

    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines.map((line) => [String(line.file).split('/').pop(), line.outcome])).toEqual([
      ['01-launch-apps-node.json', 'tagged'],
      ['02-launch-batch-node.json', 'tagged'],
      ['03-launch-bastion.json', 'not-in-node-pool'],
      ['04-launch-apps-node-again.json', 'unchanged'],
      ['05-launch-impostor.json', 'not-in-node-pool'],
      ['06-truncated-upload.json', 'rejected'],
    ]);
    expect(lines[5]?.reason).toMatch(/^06-truncated-upload\.json: body is not JSON/);
    expect(lines[0]).toMatchObject({ instanceId: APPS_NODE, nodePoolName: 'apps', apiCalls: 3 });
    const after = await loadWorldFile(out);
    expect(after.instances.find((instance) => instance.id === APPS_NODE)?.definedTags['oke-nodepool-tags']).toEqual({
      'oke-nodepool-name': 'apps',
    });
  }, 60_000);

  it('reports would-tag and changes nothing with --dry-run', async () => {
    const out = join(dir, 'dry.json');

    const run = await runCli([
      'replay',
      join(EVENTS, '01-launch-apps-node.json'),
      '--world',
      WORLD,
      '--dry-run',
      '--json',
      '--write-world',
      out,
    ]);

    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)[0]).toMatchObject({ outcome: 'would-tag', tags: { 'oke-nodepool-name': 'apps' } });
    expect(await loadWorldFile(out)).toEqual(await loadWorldFile(WORLD));
  });

  it('prints readable lines and a summary without --json', async () => {
    const run = await runCli([
      'replay',
      join(EVENTS, '01-launch-apps-node.json'),
      join(EVENTS, '03-launch-bastion.json'),
      '--world',
      WORLD,
    ]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/tagged +01-launch-apps-node\.json: oke-c4dmzrtgm3d-nvqwc3lfpqa-0 is in pool apps: oke-nodepool-name=apps/);
    expect(run.stdout).toMatch(/not-in-node-pool +03-launch-bastion\.json: bastion: the instance has no OKE metadata/);
    expect(run.stdout).toContain('2 event(s): 1 tagged, 1 not-in-node-pool');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('applies the configuration flags, for example the cluster tag', async () => {
    const run = await runCli([
      'replay',
      join(EVENTS, '02-launch-batch-node.json'),
      '--world',
      WORLD,
      '--json',
      '--cluster-tag-name',
      'oke-cluster-name',
    ]);

    expect(jsonLines(run.stdout)[0]).toMatchObject({
      outcome: 'tagged',
      tags: { 'oke-nodepool-name': 'batch', 'oke-cluster-name': 'prod' },
    });
  });

  it('exits 1 naming the event when the tenancy lacks the tag namespace', async () => {
    const run = await runCli(['replay', join(EVENTS, '01-launch-apps-node.json'), '--world', WORLD, '--tag-namespace', 'missing-ns']);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/error +01-launch-apps-node\.json: UpdateInstance .* 400 InvalidParameter: .*missing-ns/);
  });
});

describe('oke-nodepool-tagger usage errors', () => {
  it.each([
    [['replay', '--world', WORLD, '--bogus', EVENTS], /Unknown option '--bogus'/],
    [['replay', '--world', WORLD], /name at least one event file or directory/],
    [['replay', EVENTS, '--world', WORLD, '--tag-name', 'has space'], /--tag-name: config tag_name: "has space" is not a valid/],
    [
      ['replay', EVENTS, '--world', WORLD, '--compartment', 'ocid1.vcn.oc1..aaaa'],
      /--compartment: config compartment_id: .* is not a compartment or tenancy OCID/,
    ],
    [['replay', EVENTS, '--apply', '--dry-run'], /--apply and --dry-run contradict/],
    [['replay', EVENTS, '--write-world', 'x.json'], /--write-world needs --world/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /Usage: oke-nodepool-tagger <command>/],
  ])('exits 2 for %j', async (args, message) => {
    const run = await runCli(args);

    expect(run.code).toBe(2);
    expect(run.stderr + run.stdout).toMatch(message);
  });

  it('runs reconcile request bodies exactly as the function does', async () => {
    // Prepare: one request that names both the pools' and the instances' compartments, and the recorded ones.
    const requests = join(REPO_ROOT, 'test/fixtures/events/reconcile');
    const drift = join(REPO_ROOT, 'test/fixtures/worlds/drift.json');
    const both = join(dir, 'reconcile-both.json');
    writeFileSync(
      both,
      JSON.stringify({
        action: 'reconcile',
        compartmentIds: [
          'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000',
          'ocid1.compartment.oc1..aaaaaaaaexampleclusterscompartment000000000000000000000',
        ],
      }),
    );
    const recorded = ['minimal', 'duplicate-compartments', 'apply-prune-resume'].map((name) => join(requests, `${name}.json`));

    // Act
    const run = await runCli(['replay', both, ...recorded, '--world', drift, '--json'], { membership_wait_seconds: '0' });

    // Assess: the right scope is verified; the recorded requests name no pool compartment, which the function answers as a failure.
    const [verified, minimal, duplicates, foreignToken] = jsonLines(run.stdout);
    expect(verified).toMatchObject({ outcome: 'reconciled', complete: true, verified: true, unknown: 0 });
    for (const wrongScope of [minimal, duplicates]) {
      expect(wrongScope).toMatchObject({ outcome: 'error', error: expect.stringContaining('no node pool found in the pool compartments') });
    }
    expect(foreignToken).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('resume token') });
    expect(run.stdout).not.toContain('turned off');
    expect(run.code).toBe(1);
  });

  it('exits 1 naming a world file that does not exist', async () => {
    const run = await runCli(['replay', EVENTS, '--world', join(dir, 'nope.json')]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(join(dir, 'nope.json'));
  });

  it('exits 1 naming a world file that is not valid', async () => {
    const bad = join(dir, 'bad-world.json');
    writeFileSync(bad, JSON.stringify({ clusters: [], nodePools: [{ id: 'x' }], instances: [], tagNamespaces: {} }));

    const run = await runCli(['replay', EVENTS, '--world', bad]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`${bad}: nodePools\\[0\\]`));
  });

  it('exits 1 naming an event path that does not exist', async () => {
    const run = await runCli(['replay', join(dir, 'missing-events'), '--world', WORLD]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot read ${join(dir, 'missing-events')}`);
  });

  it('exits 1 naming the OCI config file when it is missing', async () => {
    const run = await runCli(['replay', join(EVENTS, '01-launch-apps-node.json'), '--config-file', join(dir, 'no-config')]);

    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain(join(dir, 'no-config'));
  });

  it.each(['replay', 'snapshot', 'demo'])('shows help with examples for %s', async (command) => {
    const run = await runCli([command, '--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Usage: oke-nodepool-tagger ${command}`));
    expect(run.stdout).toMatch(/Example/);
  });
});

describe('replay and snapshot against the OCI API (our fake standing in, through an OCI config file)', () => {
  let credentials: TestCredentials;
  let api: FakeOciApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    credentials = await createTestCredentials();
    api = new FakeOciApi({
      world: parseWorld(JSON.parse(readFileSync(WORLD, 'utf8')), WORLD),
      trustedKeys: credentials.trustedKeys,
      pageSize: 1,
    });
    await api.start();
    env = {
      OCI_CONFIG_FILE: credentials.configFile.path,
      compute_endpoint: api.url,
      containerengine_endpoint: api.url,
      membership_wait_seconds: '0',
    };
  });
  afterAll(async () => {
    await api.stop();
    await credentials.cleanup();
  });

  it('is a dry run unless --apply is given', async () => {
    const event = join(EVENTS, '01-launch-apps-node.json');

    const dry = await runCli(['replay', event, '--json'], env);
    expect(jsonLines(dry.stdout)[0]?.outcome).toBe('would-tag');
    expect(api.count('UpdateInstance')).toBe(0);

    const applied = await runCli(['replay', event, '--json', '--apply'], env);
    expect(jsonLines(applied.stdout)[0]?.outcome).toBe('tagged');
    expect(api.count('UpdateInstance')).toBe(1);
  });

  it('writes a scrubbed snapshot that replays to the same outcomes as the tenancy', async () => {
    const compartments = [
      'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000',
      'ocid1.compartment.oc1..aaaaaaaaexampleclusterscompartment000000000000000000000',
    ];
    const snapshotFile = join(dir, 'snapshot.json');

    // The fake stands in for Compute and Container Engine only (compute_endpoint, containerengine_endpoint), so the IAM reads are left out.
    const snap = await runCli(
      ['snapshot', ...compartments.flatMap((id) => ['--compartment', id]), '--skip-access', '--out', snapshotFile],
      env,
    );

    expect(snap.code).toBe(0);
    expect(snap.stderr).toMatch(/wrote .*snapshot\.json: 1 cluster\(s\), 2 node pool\(s\), 5 instance\(s\)/);
    const world = await loadWorldFile(snapshotFile);
    const node = world.instances.find((instance) => instance.id === APPS_NODE);
    expect(node?.metadata['oke-pool-id']).toBe('ocid1.nodepool.oc1.iad.aaaaaaaaexamplepoolapps00000000000000000000000000000000');
    expect(node?.metadata.user_data).toBe('<scrubbed>');
    expect(node?.metadata.ssh_authorized_keys).toBe('<scrubbed>');
    expect(readFileSync(snapshotFile, 'utf8')).not.toContain('ssh-rsa');
    expect(world.tagNamespaces['oke-nodepool-tags']?.keys).toContain('oke-nodepool-name');

    const live = await runCli(['replay', EVENTS, '--json'], env);
    const offline = await runCli(['replay', EVENTS, '--json', '--world', snapshotFile, '--dry-run'], { membership_wait_seconds: '0' });
    const outcomes = (stdout: string) =>
      jsonLines(stdout).map(({ outcome, nodePoolName, instanceId }) => ({ outcome, nodePoolName, instanceId }));
    expect(outcomes(offline.stdout)).toEqual(outcomes(live.stdout));
    expect(outcomes(live.stdout).map((line) => line.outcome)).toEqual([
      'unchanged',
      'would-tag',
      'not-in-node-pool',
      'unchanged',
      'not-in-node-pool',
      'rejected',
    ]);
  }, 60_000);
});

describe('oke-nodepool-tagger demo', () => {
  it('tells the story: which node got which tag and why the others did not', async () => {
    const run = await runCli(['demo']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/oke-c4dmzrtgm3d-nvqwc3lfpqa-0 +- +apps +unchanged/);
    expect(run.stdout).toMatch(/oke-c4dmzrtgm3d-nbatch00000-0 +- +batch +tagged/);
    expect(run.stdout).toMatch(/bastion +- +- +not-in-node-pool/);
    expect(run.stdout).toMatch(/impostor +- +- +not-in-node-pool/);
    expect(run.stdout).toContain('6 event(s): 2 tagged, 2 not-in-node-pool, 1 unchanged, 1 rejected');
    expect(run.stderr).toBe('');
  }, 60_000);
});

describe('oke-nodepool-tagger --version', () => {
  it('prints the package version baked in at build time', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

    const run = await runCli(['--version']);

    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });
});
