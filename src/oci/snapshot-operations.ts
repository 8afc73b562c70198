/**
 * Reads the operations around the function (the Events rules of the
 * compartments, the function, the Resource Scheduler schedules) into the
 * world file's `rules`, `functions` and `schedules`, so that `explain` and
 * `doctor` can be replayed offline against the embedded fake. Function config
 * values are scrubbed except the keys this tool reads itself.
 */
import { loadConfig } from '../config';
import type { EventRuleInfo, EventsPort, FunctionInfo, FunctionsPort, ResourceSchedulerPort, ScheduleInfo } from '../iam/access-model';
import type { WorldEventRule, WorldFunction, WorldSchedule } from '../local/world-types';
import { SCRUBBED } from './snapshot';

export interface OperationsSnapshotPorts {
  readonly events: EventsPort;
  readonly functions: FunctionsPort;
  readonly resourceScheduler: ResourceSchedulerPort;
}

export interface OperationsSnapshotOptions {
  readonly compartmentIds: readonly string[];
  /** The function to read; without it `functions` is empty. */
  readonly functionId?: string | undefined;
  /** Config keys whose values are kept (see {@link taggerConfigKeys}); every other value is scrubbed. */
  readonly ourConfigKeys: readonly string[];
}

export interface OperationsSnapshot {
  readonly rules: WorldEventRule[];
  readonly functions: WorldFunction[];
  readonly schedules: WorldSchedule[];
}

/**
 * The config keys the function reads, found by letting {@link loadConfig}
 * read an empty environment and recording each key it asks for, so the list
 * follows config.ts as it changes. With nothing set, every key is read once.
 */
export function taggerConfigKeys(): string[] {
  const asked = new Set<string>();
  const env = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get: (_target, key) => {
        if (typeof key === 'string') asked.add(key);
        return undefined;
      },
    },
  );
  loadConfig(env);
  return [...asked];
}

/** A field the API left out stays out: loading the world then names it, rather than the snapshot inventing a value. */
function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function worldRule(rule: EventRuleInfo): WorldEventRule {
  return {
    id: rule.id,
    displayName: rule.displayName,
    compartmentId: rule.compartmentId,
    condition: rule.condition,
    isEnabled: rule.isEnabled,
    ...present('lifecycleState', rule.lifecycleState),
    actions: {
      actions: (rule.actions ?? []).map((action) => ({
        actionType: action.actionType,
        ...present('functionId', action.functionId),
        isEnabled: action.isEnabled,
      })),
    },
  } as WorldEventRule;
}

function worldFunction(fn: FunctionInfo, ourConfigKeys: ReadonlySet<string>): WorldFunction {
  const config = Object.fromEntries(Object.entries(fn.config).map(([key, value]) => [key, ourConfigKeys.has(key) ? value : SCRUBBED]));
  return {
    id: fn.id,
    displayName: fn.displayName,
    applicationId: fn.applicationId,
    compartmentId: fn.compartmentId,
    config,
    ...present('lifecycleState', fn.lifecycleState),
    ...present('timeoutInSeconds', fn.timeoutInSeconds),
    ...present('detachedModeTimeoutInSeconds', fn.detachedModeTimeoutInSeconds),
    ...present('definedTags', fn.definedTags),
  } as WorldFunction;
}

function worldSchedule(schedule: ScheduleInfo): WorldSchedule {
  return {
    id: schedule.id,
    displayName: schedule.displayName,
    compartmentId: schedule.compartmentId,
    action: schedule.action,
    recurrenceType: schedule.recurrenceType,
    recurrenceDetails: schedule.recurrenceDetails,
    ...present('lifecycleState', schedule.lifecycleState),
    // The port gives the BODY as text; served back as text it reads the same.
    resources: schedule.resources.map((resource) => ({
      id: resource.id,
      ...(resource.body === undefined ? {} : { parameters: [{ parameterType: 'BODY', value: resource.body }] }),
    })),
  } as WorldSchedule;
}

/**
 * Reads the rules (each through GetRule, for its actions) and the schedules
 * of every compartment, and the function by its id. A rule that is gone
 * between the list and the read is left out; a failed read throws.
 */
export async function snapshotOperations(ports: OperationsSnapshotPorts, options: OperationsSnapshotOptions): Promise<OperationsSnapshot> {
  const compartmentIds = [...new Set(options.compartmentIds)];
  const rules = new Map<string, WorldEventRule>();
  const schedules = new Map<string, WorldSchedule>();
  for (const compartmentId of compartmentIds) {
    for (const summary of await ports.events.listRules(compartmentId)) {
      const rule = await ports.events.getRule(summary.id);
      if (rule !== undefined) rules.set(rule.id, worldRule(rule));
    }
    for (const schedule of await ports.resourceScheduler.listSchedules(compartmentId)) schedules.set(schedule.id, worldSchedule(schedule));
  }
  const fn = options.functionId === undefined ? undefined : await ports.functions.getFunction(options.functionId);
  return {
    rules: [...rules.values()],
    functions: fn === undefined ? [] : [worldFunction(fn, new Set(options.ourConfigKeys))],
    schedules: [...schedules.values()],
  };
}
