/**
 * doctor over a world file whose Events rule carries two FAAS actions on the
 * function, the first disabled and the second enabled: the built bundle on
 * the embedded fake, as an operator runs it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/run-cli';

const HEALTHY = join(REPO_ROOT, 'test/fixtures/worlds/access/doctor-healthy.json');
const APPS = 'ocid1.compartment.oc1..aaaaaaaaexampleapps00000000000000000000000000000000000000000';
const WORKERS = 'ocid1.compartment.oc1..aaaaaaaaexampleworkers00000000000000000000000000000000000000';
const FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaaexampletagger000000000000000000000000000000000000000';

interface Check {
  id: string;
  status: string;
  found: string;
}

interface JsonRule {
  compartmentId: string;
  actions: { actions: { actionType: string; functionId: string; isEnabled: boolean }[] };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'doctor-events-actions-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function doctorWithInstanceActions(enabled: readonly boolean[]) {
  const world = JSON.parse(await readFile(HEALTHY, 'utf8')) as { rules: JsonRule[] };
  const rule = world.rules.find((candidate) => candidate.compartmentId === WORKERS);
  if (rule === undefined) throw new Error('the healthy world has a rule in the workers compartment');
  rule.actions.actions = enabled.map((isEnabled) => ({ actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled }));
  const file = join(dir, `actions-${enabled.join('-')}.json`);
  await writeFile(file, JSON.stringify(world));
  const run = await runCli(['doctor', '--world', file, '--compartment', APPS, '--function-id', FUNCTION_ID, '--json']);
  return { run, report: JSON.parse(run.stdout) as { checks: Check[]; exitCode: number } };
}

describe('doctor: a rule with several actions on the function', () => {
  it('is ok when an enabled action follows a disabled one, and exits 0', async () => {
    const { run, report } = await doctorWithInstanceActions([false, true]);

    expect(run.stderr).toBe('');
    expect(report.checks.find((check) => check.id === `events.instances.${WORKERS}`)?.status).toBe('ok');
    expect(report.checks.filter((check) => check.status !== 'ok')).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('fails, naming the disabled rule, when every action on the function is disabled', async () => {
    const { run, report } = await doctorWithInstanceActions([false, false]);

    const instances = report.checks.find((check) => check.id === `events.instances.${WORKERS}`);
    expect(instances?.status).toBe('fail');
    expect(instances?.found).toContain('which is disabled');
    expect(run.code).toBe(3);
  });
});
