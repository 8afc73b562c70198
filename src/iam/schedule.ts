/**
 * The scheduled reconcile: what heals the changes events miss. OCI Resource
 * Scheduler invokes the function on a schedule, always detached, with a
 * reconcile request as the body. Its principal is a dynamic group matching
 * the schedule's own OCID, and a policy lets that group invoke the function.
 * The function's detached timeout stays below the schedule's interval so
 * that two runs never overlap.
 */
import { MAX_RECONCILE_COMPARTMENTS } from '../event/reconcile-request';
import { parseCron, shortestIntervalSeconds } from './cron';
import { ScheduleSettingsError } from './errors';
import type { IamInput, ReconcileBody, ReconcileSchedulePlan, ReconcileScheduleSettings } from './model';
import { dynamicGroupSubject } from './policies';

/** Hourly, on the hour (UTC). */
export const DEFAULT_RECONCILE_CRON = '0 * * * *';

/** Seconds a detached run may take by default: 15 minutes, well inside an hour. */
export const DEFAULT_DETACHED_TIMEOUT_SECONDS = 900;

/** The detached timeouts OCI Functions accepts (OCI-FACTS: 5-3600 s). */
export const DETACHED_TIMEOUT_RANGE = { min: 5, max: 3600 } as const;

/** Where the schedule's principal and its policy come from. */
export const RESOURCE_SCHEDULER_POLICY_SOURCE =
  'Oracle docs "Resource Scheduler: Example Policies", example 3, a dynamic group per schedule (https://docs.oracle.com/iaas/Content/resource-scheduler/references/example_policies.htm)';

/** Where the statement's `manage functions-family` comes from (example 3 above could not be read to its end). */
export const SCHEDULE_GRANT_SOURCE =
  'the grant Oracle gives a schedule invoking functions in its solution "credential expiry notification", Plan (https://docs.oracle.com/zh-tw/solutions/credential-expiry-notif-iam/plan1.html)';

/** Where "a scheduled function is invoked detached" comes from. */
export const SCHEDULED_FUNCTIONS_SOURCE =
  'Oracle docs "Scheduling Functions" (https://docs.oracle.com/iaas/Content/Functions/Tasks/functionsschedulingfunctions-about.htm)';

/** The action that invokes a function (the CLI's and the provider's `START_RESOURCE`). */
export const SCHEDULE_ACTION = 'START_RESOURCE';

/** The schedule's matching rule, in the form Oracle's example gives, for the schedule OCID `scheduleId`. */
export function scheduleMatchingRule(scheduleId: string): string {
  return `ALL {resource.type='resourceschedule', resource.id='${scheduleId}'}`;
}

/**
 * Checks the settings and returns the shortest interval of the schedule in
 * seconds. Throws {@link ScheduleSettingsError} for a cron expression that
 * cannot be read or never runs, a detached timeout outside what OCI accepts,
 * or one that is not shorter than the interval (runs would overlap).
 */
export function checkScheduleSettings(settings: ReconcileScheduleSettings): number {
  const { min, max } = DETACHED_TIMEOUT_RANGE;
  const timeout = settings.detachedTimeoutSeconds;
  if (!Number.isInteger(timeout) || timeout < min || timeout > max)
    throw new ScheduleSettingsError(`the detached timeout ${timeout} s is outside ${min}-${max} s`);
  const interval = shortestIntervalSeconds(parseCron(settings.cron));
  if (timeout >= interval)
    throw new ScheduleSettingsError(
      `the detached timeout ${timeout} s is not shorter than the ${interval} s between two runs of the schedule "${settings.cron}": runs could overlap`,
    );
  return interval;
}

/**
 * Plans the scheduled reconcile over the pool and instance compartments, or
 * nothing with `--reconcile-schedule none`. Without a function OCID it is
 * planned but not enabled: the renderers print it commented out. Throws
 * {@link ScheduleSettingsError} when the body would name more compartments
 * than one reconcile request accepts.
 */
export function planReconcileSchedule(
  input: IamInput,
  poolCompartmentIds: readonly string[],
  instanceCompartmentIds: readonly string[],
): ReconcileSchedulePlan | undefined {
  if (input.reconcileSchedule === 'none') return undefined;
  const settings = input.reconcileSchedule ?? { cron: DEFAULT_RECONCILE_CRON, detachedTimeoutSeconds: DEFAULT_DETACHED_TIMEOUT_SECONDS };
  const intervalSeconds = checkScheduleSettings(settings);
  for (const [key, ids] of [
    ['poolCompartmentIds', poolCompartmentIds],
    ['instanceCompartmentIds', instanceCompartmentIds],
  ] as const)
    if (ids.length > MAX_RECONCILE_COMPARTMENTS)
      throw new ScheduleSettingsError(
        `the reconcile body would name ${ids.length} ${key}, more than the ${MAX_RECONCILE_COMPARTMENTS} one request accepts; split the scope, or pass --reconcile-schedule none`,
      );
  const body: ReconcileBody = { action: 'reconcile', poolCompartmentIds, instanceCompartmentIds, apply: true, prune: true };
  const groupName = `${input.namePrefix}-nodepool-tagger-schedule`;
  return {
    name: `${input.namePrefix}-nodepool-tagger-reconcile`,
    compartmentId: input.functionCompartmentId,
    description: 'Runs oke-nodepool-tagger reconcile (apply, prune) to heal what events missed',
    cron: parseCron(settings.cron).expression,
    intervalSeconds,
    detachedTimeoutSeconds: settings.detachedTimeoutSeconds,
    body,
    bodyJson: JSON.stringify(body),
    group: { name: groupName, description: 'The Resource Scheduler schedule that runs the oke-nodepool-tagger reconcile' },
    policy: {
      name: groupName,
      description: 'Lets the oke-nodepool-tagger schedule invoke the function',
      statements: [
        `Allow ${dynamicGroupSubject(groupName, input.identityDomain)} to manage functions-family in compartment id ${input.functionCompartmentId}`,
      ],
    },
    enabled: input.functionId !== undefined,
  };
}
