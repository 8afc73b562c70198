import { OciCallError } from '../../src/errors';
import { MemoryAccessCloud } from '../helpers/memory-access-ports';
import { FN_COMPARTMENT, FUNCTION_ID, healthyWorld, result, runDoctorOver, SETTINGS } from '../helpers/doctor-world';

const READ_FUNCTION = 'read fn-function in tenancy';

function cloudWhereGetFunctionFails(): MemoryAccessCloud {
  const cloud = new MemoryAccessCloud(healthyWorld());
  cloud.failures.set(`GetFunction ${FUNCTION_ID}`, new OciCallError('GetFunction', FUNCTION_ID, 500, 'InternalServerError', 'boom'));
  return cloud;
}

describe('doctor: a function that could not be read', () => {
  it("makes every check built on the function's compartment, config or timeouts unknown, and none a failure", async () => {
    const cloud = cloudWhereGetFunctionFails();

    const { checks, exitCode } = await runDoctorOver(cloud);

    for (const id of ['function.exists', 'function.config', 'rights.group', 'events.policy', 'schedule.exists'])
      expect(result(checks, id)).toMatchObject({ status: 'unknown', grant: expect.stringContaining(READ_FUNCTION) });
    expect(checks.filter((check) => check.status === 'fail')).toEqual([]);
    expect(exitCode).toBe(1);
  });

  it("is unknown about the schedule's timeout when the schedule is found but the function is not read", async () => {
    const cloud = cloudWhereGetFunctionFails();

    const { checks } = await runDoctorOver(cloud, { ...SETTINGS, scheduleCompartmentIds: [FN_COMPARTMENT] });

    expect(result(checks, 'schedule.exists').status).toBe('ok');
    expect(result(checks, 'schedule.timeout')).toMatchObject({ status: 'unknown', grant: READ_FUNCTION });
  });

  it('does not guess the function compartment from --compartment when the function was not read', async () => {
    const cloud = cloudWhereGetFunctionFails();

    const { checks } = await runDoctorOver(cloud);

    expect(result(checks, 'events.policy').found).not.toContain('functions-family in compartment');
    expect(result(checks, 'events.policy').fix).not.toContain('add to a policy');
  });
});
