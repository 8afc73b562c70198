/**
 * doctor's schedule checks: a Resource Scheduler schedule invokes the
 * function (START_RESOURCE on it) and is active; its body is a reconcile
 * request that names both compartment kinds (`poolCompartmentIds` and
 * `instanceCompartmentIds`) and covers the compartments found; and the
 * function's detached timeout is shorter than the time between two runs,
 * so that runs never overlap.
 */
import { isJsonObject } from '../event/json';
import { parseReconcileRequest } from '../event/reconcile-request';
import type { FunctionInfo, ScheduleInfo } from './access-model';
import { parseCron, shortestIntervalSeconds } from './cron';
import { ScheduleSettingsError } from './errors';
import { check, unknownCheck, type CheckResult, type DoctorFacts, type Read } from './doctor-model';
import type { DoctorPlan } from './doctor-plan';
import { shellCommand } from './quote';
import { SCHEDULE_ACTION } from './schedule';
import { isResourceActive, isResourceGone } from '../tagging/lifecycle';

const FREQUENCY_SECONDS: Readonly<Record<string, number>> = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3600, DAILY: 86_400, WEEKLY: 604_800 };

/**
 * The shortest time between two runs, in seconds: a five-field cron
 * expression, or an iCalendar rule of FREQ and INTERVAL only. `undefined`
 * when the recurrence cannot be read that way.
 */
export function recurrenceIntervalSeconds(schedule: Pick<ScheduleInfo, 'recurrenceType' | 'recurrenceDetails'>): number | undefined {
  if (schedule.recurrenceType === 'CRON') {
    try {
      return shortestIntervalSeconds(parseCron(schedule.recurrenceDetails));
    } catch (error) {
      if (error instanceof ScheduleSettingsError) return undefined;
      throw error;
    }
  }
  if (schedule.recurrenceType !== 'ICAL') return undefined;
  const parts = new Map(
    schedule.recurrenceDetails
      .replace(/^RRULE:/i, '')
      .split(';')
      .map((part) => part.split('=') as [string, string | undefined])
      .map(([key, value]) => [key.trim().toUpperCase(), (value ?? '').trim().toUpperCase()]),
  );
  const frequency = FREQUENCY_SECONDS[parts.get('FREQ') ?? ''];
  const interval = Number(parts.get('INTERVAL') ?? '1');
  const others = [...parts.keys()].filter((key) => key !== 'FREQ' && key !== 'INTERVAL');
  if (frequency === undefined || !Number.isInteger(interval) || interval < 1 || others.length > 0) return undefined;
  return frequency * interval;
}

function isLive(schedule: ScheduleInfo): boolean {
  return !isResourceGone(schedule.lifecycleState);
}

/** The schedules that start the function. */
export function functionSchedules(facts: DoctorFacts): ScheduleInfo[] {
  return facts.schedules.items.filter(
    (schedule) => isLive(schedule) && schedule.resources.some((resource) => resource.id === facts.settings.functionId),
  );
}

function bodyCheck(facts: DoctorFacts, plan: DoctorPlan, schedule: ScheduleInfo): CheckResult {
  const id = 'schedule.body';
  const title = "the schedule's body";
  const body = schedule.resources.find((resource) => resource.id === facts.settings.functionId)?.body;
  const fix = `set the body iam prints: {"action":"reconcile","poolCompartmentIds":${JSON.stringify(plan.watched.poolCompartmentIds)},"instanceCompartmentIds":${JSON.stringify(plan.watched.instanceCompartmentIds)},"apply":true,"prune":true}`;
  if (body === undefined)
    return check(id, title, 'fail', `schedule ${schedule.displayName} sends no body: the function gets no reconcile request`, fix);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return check(id, title, 'fail', `schedule ${schedule.displayName}'s body is not JSON`, fix);
  }
  if (!isJsonObject(parsed)) return check(id, title, 'fail', `schedule ${schedule.displayName}'s body is not a JSON object`, fix);
  const request = parseReconcileRequest(parsed);
  if (request.kind === 'rejected') return check(id, title, 'fail', `the function would refuse the body: ${request.reason}`, fix);
  const missingKinds = ['poolCompartmentIds', 'instanceCompartmentIds'].filter((key) => !Object.hasOwn(parsed as object, key));
  if (missingKinds.length > 0)
    return check(
      id,
      title,
      'fail',
      `the body names no ${missingKinds.join(' and no ')} (both compartment kinds are needed with least privilege)`,
      fix,
    );
  const uncovered = [
    ...plan.watched.poolCompartmentIds
      .filter((compartmentId) => !request.poolCompartmentIds.includes(compartmentId))
      .map((c) => `pools of ${c}`),
    ...plan.watched.instanceCompartmentIds
      .filter((compartmentId) => !request.instanceCompartmentIds.includes(compartmentId))
      .map((c) => `instances of ${c}`),
  ];
  if (uncovered.length > 0) return check(id, title, 'fail', `the body leaves out the ${uncovered.join(', ')}`, fix);
  if (!request.apply) return check(id, title, 'warn', 'the body does not set "apply": true, so the schedule heals nothing', fix);
  return check(
    id,
    title,
    'ok',
    `a reconcile of ${request.poolCompartmentIds.length} pool and ${request.instanceCompartmentIds.length} instance compartment(s)${request.prune ? ', with prune' : ''}`,
  );
}

function timeoutCheck(schedule: ScheduleInfo, read: Read<FunctionInfo | undefined>): CheckResult {
  const id = 'schedule.timeout';
  const title = "the function's detached timeout";
  const interval = recurrenceIntervalSeconds(schedule);
  if (interval === undefined)
    return check(
      id,
      title,
      'warn',
      `the recurrence ${schedule.recurrenceType} "${schedule.recurrenceDetails}" is not one whose interval doctor computes`,
      'compare the timeout with the interval by hand',
    );
  if (!read.ok) return unknownCheck(id, title, [read.unread], "the function's timeout is not known");
  const fn = read.value;
  if (fn === undefined) return check(id, title, 'fail', 'the function was not found', 'deploy the function first');
  const timeout = fn.detachedModeTimeoutInSeconds;
  const seconds = Math.max(5, Math.min(3600, Math.floor(interval * 0.75)));
  const fix = shellCommand([
    'oci',
    'fn',
    'function',
    'update',
    '--function-id',
    fn.id,
    '--detached-mode-timeout-in-seconds',
    String(seconds),
  ]);
  if (timeout === undefined) return check(id, title, 'warn', `no detached timeout is set; the schedule runs every ${interval} s`, fix);
  if (timeout >= interval)
    return check(id, title, 'fail', `${timeout} s is not shorter than the ${interval} s between two runs: runs could overlap`, fix);
  return check(id, title, 'ok', `${timeout} s, shorter than the ${interval} s between two runs`);
}

/** The schedule checks. */
export function checkSchedule(facts: DoctorFacts, plan: DoctorPlan): CheckResult[] {
  const schedules = functionSchedules(facts);
  const existsTitle = 'the scheduled reconcile';
  // By default the schedules are listed in the function's compartment too: unknown when the function could not be read.
  const unlisted = [
    ...facts.schedules.unread,
    ...(facts.fn.ok || facts.settings.scheduleCompartmentIds !== undefined ? [] : [facts.fn.unread]),
  ];
  if (schedules.length === 0) {
    if (unlisted.length > 0)
      return [unknownCheck('schedule.exists', existsTitle, unlisted, 'no schedule read starts the function, and some could not be listed')];
    return [
      check(
        'schedule.exists',
        existsTitle,
        'fail',
        `no schedule in ${facts.scheduleCompartmentIds.join(', ')} starts the function`,
        `create it: run oke-nodepool-tagger iam --function-id ${facts.settings.functionId} … and apply its schedule (or pass --schedule-compartment where it lives)`,
      ),
    ];
  }
  const active = schedules.filter((schedule) => isResourceActive(schedule.lifecycleState) && schedule.action === SCHEDULE_ACTION);
  const chosen = active[0] ?? schedules[0];
  if (chosen === undefined) return [];
  const exists = check('schedule.exists', existsTitle, 'ok', `schedule ${chosen.displayName} (${chosen.id}) starts the function`);
  let enabled: CheckResult;
  if (chosen.action !== SCHEDULE_ACTION)
    enabled = check(
      'schedule.enabled',
      'the schedule is enabled',
      'fail',
      `schedule ${chosen.displayName} has action ${chosen.action}, not ${SCHEDULE_ACTION}`,
      shellCommand(['oci', 'resource-scheduler', 'schedule', 'update', '--schedule-id', chosen.id, '--action', SCHEDULE_ACTION]),
    );
  else if (active.length === 0)
    enabled = check(
      'schedule.enabled',
      'the schedule is enabled',
      'fail',
      `schedule ${chosen.displayName} is ${chosen.lifecycleState ?? 'not ACTIVE'}: it never runs`,
      shellCommand(['oci', 'resource-scheduler', 'schedule', 'activate', '--schedule-id', chosen.id]),
    );
  else
    enabled = check('schedule.enabled', 'the schedule is enabled', 'ok', `ACTIVE, ${chosen.recurrenceType} "${chosen.recurrenceDetails}"`);
  return [exists, enabled, bodyCheck(facts, plan, chosen), timeoutCheck(chosen, facts.fn)];
}
