import { LAUNCH_EVENT_TYPE } from '../../src/event/event-types';
import { join } from 'node:path';
import { type Io } from '../../src/cli/common';
import { IAM_HELP, runIam } from '../../src/cli/iam';
import { TaggerError, UsageError } from '../../src/errors';
import { UnrepresentableNameError } from '../../src/iam/errors';

const FIXTURES = join(__dirname, '..', 'fixtures', 'iam');
const CLUSTERS = 'ocid1.compartment.oc1..aaaaaaaae39f1540625789c9e1049b03d6dc7275aab4c7a4728bbcd5e51a';
/** The compartment of the one running node of lifecycle.json. */
const WORKERS = 'ocid1.compartment.oc1..aaaaaaaacea7261b345d52478722754a92889d93b7c01365898c83a6e0b5';

function captureIo(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { out: (text) => (out += text), err: (text) => (err += text), env: {}, isTty: false, cwd: process.cwd() },
    out: () => out,
    err: () => err,
  };
}

const world = (name: string) => ['--world', join(FIXTURES, name), '--compartment', CLUSTERS];

describe('runIam', () => {
  it('prints its help with examples and exits 0', async () => {
    // Prepare
    const capture = captureIo();
    // Act
    const code = await runIam(['--help'], capture.io);
    // Assess
    expect(code).toBe(0);
    expect(capture.out()).toBe(`${IAM_HELP}\n`);
    expect(IAM_HELP).toContain('Examples:');
    expect(IAM_HELP).toContain('at most 100 characters');
  });

  it.each([
    [['--bogus'], '--bogus'],
    [[...world('basic.json'), '--format', 'yaml'], '--format'],
    [[...world('basic.json'), '--function-id', 'ocid1.instance.oc1.iad.aaaa'], '--function-id'],
    [[...world('basic.json'), '--function-compartment', 'nope'], '--function-compartment'],
    [[...world('basic.json'), '--tag-namespace-compartment', 'nope'], '--tag-namespace-compartment'],
    [[...world('basic.json'), '--identity-domain', "it's"], '--identity-domain'],
    [[...world('basic.json'), '--name-prefix', 'bad prefix'], '--name-prefix'],
    [[...world('basic.json'), '--tag-namespace', 'a:b'], '--tag-namespace'],
    [[...world('basic.json'), '--json', '--format', 'cli'], '--json'],
    [['--world', join(FIXTURES, 'basic.json')], '--compartment'],
    [[...world('basic.json'), '--compartment', 'ocid1.instance.oc1.iad.aaaa'], '--compartment'],
  ])('refuses %j as bad usage naming %s', async (args, flag) => {
    // Prepare
    const capture = captureIo();
    // Act
    const run = runIam(args, capture.io);
    // Assess
    await expect(run).rejects.toThrow(UsageError);
    await expect(runIam(args, captureIo().io)).rejects.toThrow(flag);
  });

  it('names the world file when it does not exist', async () => {
    // Prepare
    const missing = join(FIXTURES, 'no-such-world.json');
    // Act
    const run = runIam(['--world', missing, '--compartment', CLUSTERS], captureIo().io);
    // Assess
    await expect(run).rejects.toThrow(TaggerError);
    await expect(runIam(['--world', missing, '--compartment', CLUSTERS], captureIo().io)).rejects.toThrow(missing);
  });

  it('refuses same-named pools without --cluster-tag-name as bad usage, with a warning and the fix', async () => {
    // Prepare
    const capture = captureIo();
    // Act
    const run = runIam(world('collision.json'), capture.io);
    // Assess
    await expect(run).rejects.toThrow(UsageError);
    await expect(runIam(world('collision.json'), captureIo().io)).rejects.toThrow('--cluster-tag-name oke-cluster-name');
    expect(capture.err()).toContain('WARNING');
    expect(capture.out()).toBe('');
  });

  it('refuses names that cannot be quoted, naming each pool, unless --skip-unsafe-names', async () => {
    // Prepare
    const args = [...world('odd-names.json'), '--cluster-tag-name', 'oke-cluster-name'];
    const skipping = captureIo();
    // Act
    const refused = runIam(args, captureIo().io);
    const code = await runIam([...args, '--skip-unsafe-names'], skipping.io);
    // Assess
    await expect(refused).rejects.toThrow(UnrepresentableNameError);
    const message = await runIam(args, captureIo().io).then(
      () => '',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(message).toContain(`node pool "o'brien"`);
    expect(message).toContain('node pool "back\\\\slash"');
    expect(message).toContain('--skip-unsafe-names');
    expect(code).toBe(0);
    expect(skipping.err()).toContain(`WARNING: SKIPPED node pool "o'brien"`);
    expect(skipping.out()).toContain('SKIPPED node pool');
    expect(skipping.out()).not.toContain("value = 'o'brien'");
  });

  it('warns on stderr and exits 1 when the scope has no node pools, and still prints the function setup', async () => {
    // Prepare
    const capture = captureIo();
    const empty = 'ocid1.compartment.oc1..aaaaaaaaempty';
    // Act
    const code = await runIam(['--world', join(FIXTURES, 'basic.json'), '--compartment', empty], capture.io);
    // Assess: the wrong scope is not a success.
    expect(code).toBe(1);
    expect(capture.err()).toContain(`no node pools found in ${empty}`);
    expect(capture.out()).toContain("ensure_dynamic_group 'oke-nodepool-tagger-fn'");
    expect(capture.out()).not.toContain('oke-pool-');
  });

  it('ignores deleted node pools', async () => {
    // Prepare
    const capture = captureIo();
    // Act
    await runIam([...world('basic.json'), '--json'], capture.io);
    // Assess
    const plan = JSON.parse(capture.out()) as { dynamicGroups: { name: string }[] };
    expect(plan.dynamicGroups.map((group) => group.name)).toEqual(['oke-nodepool-tagger-fn', 'oke-pool-apps', 'oke-pool-batch']);
  });

  it('gives no dynamic group to DELETED or DELETING node pools', async () => {
    // Prepare
    const capture = captureIo();
    // Act
    await runIam([...world('lifecycle.json'), '--json'], capture.io);
    // Assess
    const plan = JSON.parse(capture.out()) as { dynamicGroups: { name: string }[] };
    expect(plan.dynamicGroups.map((group) => group.name)).toEqual(['oke-nodepool-tagger-fn', 'oke-pool-apps']);
  });

  it('leaves TERMINATING instances and DELETED node entries out of the instance compartments', async () => {
    // Prepare
    const capture = captureIo();
    // Act
    await runIam([...world('lifecycle.json'), '--json'], capture.io);
    // Assess
    const plan = JSON.parse(capture.out()) as {
      dynamicGroups: { name: string; about: { compartmentIds: string[] } }[];
      eventsRules: { compartmentId: string; condition: { eventType: string[] } }[];
    };
    const apps = plan.dynamicGroups.find((group) => group.name === 'oke-pool-apps');
    expect(apps?.about.compartmentIds).toEqual([WORKERS]);
    const instanceRules = plan.eventsRules.filter((rule) => rule.condition.eventType.includes(LAUNCH_EVENT_TYPE));
    expect(instanceRules.map((rule) => rule.compartmentId)).toEqual([WORKERS]);
  });

  it('refuses, as bad usage, a schedule whose body would name more compartments than one reconcile request accepts', async () => {
    // Prepare
    const compartments = Array.from({ length: 101 }, (_, index) => `ocid1.compartment.oc1..aaaaaaaa${String(index).padStart(4, '0')}`);
    const args = ['--world', join(FIXTURES, 'basic.json'), ...compartments.flatMap((id) => ['--compartment', id])];
    // Act
    const run = runIam(args, captureIo().io);
    // Assess
    await expect(run).rejects.toThrow(UsageError);
    await expect(runIam(args, captureIo().io)).rejects.toThrow(
      '--reconcile-schedule: the reconcile body would name 101 poolCompartmentIds',
    );
  });
});
