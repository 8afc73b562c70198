import { recurrenceIntervalSeconds } from '../../src/iam/doctor-schedule';
import { MemoryAccessCloud, notAuthorized } from '../helpers/memory-access-ports';
import { APPS, checksAfter, FN_COMPARTMENT, FUNCTION_ID, healthyWorld, result, runDoctorOver } from '../helpers/doctor-world';

describe('schedule recurrences', () => {
  it.each([
    ['CRON', '0 * * * *', 3600],
    ['CRON', '*/20 * * * *', 1200],
    ['ICAL', 'FREQ=HOURLY;INTERVAL=2', 7200],
    ['ICAL', 'FREQ=DAILY', 86_400],
    ['ICAL', 'FREQ=WEEKLY;BYDAY=MO,WE', undefined],
    ['CRON', 'every hour', undefined],
  ])('%s "%s" runs every %s s at the shortest', (recurrenceType, recurrenceDetails, seconds) => {
    const interval = recurrenceIntervalSeconds({ recurrenceType, recurrenceDetails });

    expect(interval).toBe(seconds);
  });
});

describe('doctor: the schedule', () => {
  it('fails when no schedule starts the function', async () => {
    const checks = await checksAfter((world) => {
      world.schedules = [];
    });

    expect(result(checks, 'schedule.exists')).toMatchObject({ status: 'fail', found: expect.stringContaining(FN_COMPARTMENT) });
  });

  it('fails when the schedule is disabled', async () => {
    const checks = await checksAfter((world) => {
      world.schedules = world.schedules.map((schedule) => ({ ...schedule, lifecycleState: 'INACTIVE' }));
    });

    expect(result(checks, 'schedule.enabled')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('schedule activate --schedule-id'),
    });
  });

  it('fails when the body names only one compartment kind', async () => {
    const checks = await checksAfter((world) => {
      const body = JSON.stringify({ action: 'reconcile', compartmentIds: [APPS], poolCompartmentIds: [APPS], apply: true, prune: true });
      world.schedules = world.schedules.map((schedule) => ({ ...schedule, resources: [{ id: FUNCTION_ID, body }] }));
    });

    expect(result(checks, 'schedule.body')).toMatchObject({
      status: 'fail',
      found: expect.stringContaining('names no instanceCompartmentIds'),
    });
  });

  it('fails when the body leaves out a compartment that holds nodes', async () => {
    const checks = await checksAfter((world) => {
      const body = JSON.stringify({
        action: 'reconcile',
        poolCompartmentIds: [APPS],
        instanceCompartmentIds: [APPS],
        apply: true,
        prune: true,
      });
      world.schedules = world.schedules.map((schedule) => ({ ...schedule, resources: [{ id: FUNCTION_ID, body }] }));
    });

    expect(result(checks, 'schedule.body')).toMatchObject({
      status: 'fail',
      found: expect.stringContaining('leaves out the instances of'),
    });
  });

  it('fails when the detached timeout is not shorter than the interval', async () => {
    const checks = await checksAfter((world) => {
      world.schedules = world.schedules.map((schedule) => ({ ...schedule, recurrenceDetails: '*/10 * * * *' }));
    });

    const timeout = result(checks, 'schedule.timeout');
    expect(timeout.status).toBe('fail');
    expect(timeout.found).toBe('900 s is not shorter than the 600 s between two runs: runs could overlap');
    expect(timeout.fix).toContain('--detached-mode-timeout-in-seconds 450');
  });

  it('is unknown when the schedules cannot be listed', async () => {
    const world = healthyWorld();
    world.schedules = [];
    const cloud = new MemoryAccessCloud(world);
    cloud.failures.set(`ListSchedules ${FN_COMPARTMENT}`, notAuthorized('ListSchedules', FN_COMPARTMENT));

    const { checks } = await runDoctorOver(cloud);

    expect(result(checks, 'schedule.exists')).toMatchObject({
      status: 'unknown',
      grant: `inspect resource-schedule in compartment id ${FN_COMPARTMENT}`,
    });
  });
});
