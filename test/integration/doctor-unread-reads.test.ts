/**
 * doctor over the healthy world file on the embedded fake, through the real
 * SDK clients and signing, with one read refused by a scripted fault: the
 * checks built on that read are unknown, never a failure.
 */
import { join } from 'node:path';
import { doctorOverTarget } from '../../src/cli/doctor';
import { openTarget, type Target } from '../../src/cli/target';
import { silentLogger } from '../../src/log';
import { REPO_ROOT } from '../helpers/run-cli';

const HEALTHY = join(REPO_ROOT, 'test/fixtures/worlds/access/doctor-healthy.json');
const APPS = 'ocid1.compartment.oc1..aaaaaaaaexampleapps00000000000000000000000000000000000000000';
const WORKERS = 'ocid1.compartment.oc1..aaaaaaaaexampleworkers00000000000000000000000000000000000000';
const FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaaexampletagger000000000000000000000000000000000000000';
const INSTANCE_RULE = 'ocid1.eventrule.oc1.iad.aaaaaaaaexampleinstances000000000000000000000000000000000000';

const io = { out: () => {}, err: () => {}, env: {}, isTty: false, cwd: REPO_ROOT };

let target: Target | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

async function openHealthy(): Promise<Target & { embedded: NonNullable<Target['embedded']> }> {
  const opened = await openTarget({ world: HEALTHY, compartment: [APPS] }, io);
  target = opened;
  if (opened.embedded === undefined) throw new Error('a world file opens the embedded fake');
  return { ...opened, embedded: opened.embedded };
}

const run = (opened: Target) => doctorOverTarget(opened, { functionId: FUNCTION_ID, timeoutSeconds: 60, logger: silentLogger });

describe('doctor over the embedded fake, with a read refused', () => {
  it('is unknown, not failing, about every check built on the function when GetFunction fails other than 404, and exits 1', async () => {
    // Prepare
    const opened = await openHealthy();
    opened.embedded.api.faults.fail({ operation: 'GetFunction', resourceId: FUNCTION_ID, times: 20, status: 409, code: 'Conflict' });

    // Act
    const report = await run(opened);

    // Assess
    const status = (id: string) => report.checks.find((check) => check.id === id)?.status;
    for (const id of ['function.exists', 'function.config', 'rights.group', 'events.policy', 'schedule.exists'])
      expect(`${id}=${status(id)}`).toBe(`${id}=unknown`);
    expect(report.checks.filter((check) => check.status === 'fail')).toEqual([]);
    expect(report.exitCode).toBe(1);
  });

  it('is unknown, naming read cloudevents-rules, when GetRule fails for the rule that delivers the instance events', async () => {
    // Prepare
    const opened = await openHealthy();
    opened.embedded.api.faults.fail({ operation: 'GetRule', resourceId: INSTANCE_RULE, times: 20, status: 409, code: 'Conflict' });

    // Act
    const report = await run(opened);

    // Assess
    expect(report.checks.find((check) => check.id === `events.instances.${WORKERS}`)).toMatchObject({
      status: 'unknown',
      grant: 'read cloudevents-rules in tenancy',
    });
    expect(report.exitCode).toBe(1);
  });
});
