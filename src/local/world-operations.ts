/**
 * The world keys of the operations `explain` and `doctor` look at around the
 * function: Events rules, functions and Resource Scheduler schedules, read and
 * validated like the rest of a world file (world.ts calls
 * {@link parseWorldOperations}).
 *
 * The enumerations below are the REST API's, as the SDK models of oci-events,
 * oci-functions and oci-resourcescheduler 2.139.1 declare them (without the
 * SDK's own `UNKNOWN_VALUE`). They are written out here because `src/local`
 * never imports the SDK.
 */
import { ocidType } from '../ocid';
import type { WorldReader } from './world';
import { describe } from './world';
import type { World, WorldEventRule, WorldEventRuleAction, WorldFunction, WorldSchedule, WorldScheduleParameter } from './world-types';

type JsonObject = Record<string, unknown>;

/** `Rule.LifecycleState` (oci-events model/rule.d.ts). */
export const RULE_STATES: readonly string[] = ['CREATING', 'ACTIVE', 'INACTIVE', 'UPDATING', 'DELETING', 'DELETED', 'FAILED'];

/** `Action.LifecycleState` (oci-events model/action.d.ts). */
export const RULE_ACTION_STATES: readonly string[] = RULE_STATES;

/** The `actionType` discriminators of `Action` (oci-events model/action.js): Streaming, Notifications, Functions. */
export const RULE_ACTION_TYPES: readonly string[] = ['OSS', 'ONS', 'FAAS'];

/** `Function.LifecycleState` (oci-functions model/function.d.ts). */
export const FUNCTION_STATES: readonly string[] = ['CREATING', 'ACTIVE', 'INACTIVE', 'UPDATING', 'DELETING', 'DELETED', 'FAILED'];

/** `Schedule.LifecycleState` (oci-resourcescheduler model/schedule.d.ts). */
export const SCHEDULE_STATES: readonly string[] = ['ACTIVE', 'INACTIVE', 'CREATING', 'UPDATING', 'DELETING', 'DELETED', 'FAILED'];

/** `Schedule.Action` (oci-resourcescheduler model/schedule.d.ts). */
export const SCHEDULE_ACTIONS: readonly string[] = ['START_RESOURCE', 'STOP_RESOURCE', 'BACKUP_RESOURCE'];

/** `Schedule.RecurrenceType` (oci-resourcescheduler model/schedule.d.ts). */
export const SCHEDULE_RECURRENCE_TYPES: readonly string[] = ['CRON', 'ICAL'];

/** The `parameterType` discriminators of `Parameter` (oci-resourcescheduler model/parameter.js). */
export const SCHEDULE_PARAMETER_TYPES: readonly string[] = ['BODY', 'HEADER', 'PATH', 'QUERY'];

/** Synchronous invocations may run at most 300 s, detached ones 5 to 3600 s (OCI Functions limits). */
const TIMEOUT_RANGE = { min: 1, max: 300 } as const;
const DETACHED_TIMEOUT_RANGE = { min: 5, max: 3600 } as const;

function boolean(reader: WorldReader, value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') reader.fail(field, `must be a boolean, got ${describe(value)}`);
  return value;
}

function optionalInteger(reader: WorldReader, record: JsonObject, field: string, path: string, range: { min: number; max: number }): void {
  const value = record[field];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max)
    reader.fail(`${path}.${field}`, `must be a whole number from ${range.min} to ${range.max}, got ${describe(value)}`);
}

function anyOcid(reader: WorldReader, value: unknown, field: string): string {
  const text = reader.string(value, field);
  if (ocidType(text) === undefined) reader.fail(field, `must be an OCID, got ${JSON.stringify(text)}`);
  return text;
}

/** The condition is stored as a JSON string; one that does not parse would make every reader of the rule guess. */
function condition(reader: WorldReader, value: unknown, field: string, ruleName: string): string {
  const text = reader.string(value, field);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    reader.fail(field, `of rule "${ruleName}" is not valid JSON: ${JSON.stringify(text.slice(0, 120))}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    reader.fail(field, `of rule "${ruleName}" must be a JSON object, got ${describe(parsed)}`);
  return text;
}

function parseRuleAction(reader: WorldReader, value: unknown, path: string): WorldEventRuleAction {
  const record = reader.object(value, path);
  const actionType = reader.state(record['actionType'], `${path}.actionType`, RULE_ACTION_TYPES);
  reader.optionalState(record, 'lifecycleState', path, RULE_ACTION_STATES);
  for (const field of ['id', 'description', 'topicId', 'streamId']) reader.optionalString(record, field, path);
  const action: WorldEventRuleAction = {
    ...record,
    actionType,
    isEnabled: record['isEnabled'] === undefined ? true : boolean(reader, record['isEnabled'], `${path}.isEnabled`),
  };
  // A FAAS action without its function names nothing to invoke.
  if (actionType === 'FAAS') action.functionId = reader.ocid(record['functionId'], `${path}.functionId`, 'fnfunc');
  return action;
}

function parseRule(reader: WorldReader, value: unknown, path: string): WorldEventRule {
  const record = reader.object(value, path);
  const displayName = reader.string(record['displayName'], `${path}.displayName`);
  reader.optionalString(record, 'description', path);
  const actions = reader.object(record['actions'], `${path}.actions`);
  const list = reader.array(actions['actions'], `${path}.actions.actions`);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'eventrule'),
    displayName,
    compartmentId: reader.compartmentOcid(record['compartmentId'], `${path}.compartmentId`),
    condition: condition(reader, record['condition'], `${path}.condition`, displayName),
    isEnabled: boolean(reader, record['isEnabled'], `${path}.isEnabled`),
    lifecycleState: reader.state(record['lifecycleState'], `${path}.lifecycleState`, RULE_STATES),
    actions: { ...actions, actions: list.map((action, index) => parseRuleAction(reader, action, `${path}.actions.actions[${index}]`)) },
  };
}

function parseFunction(reader: WorldReader, value: unknown, path: string): WorldFunction {
  const record = reader.object(value, path);
  optionalInteger(reader, record, 'timeoutInSeconds', path, TIMEOUT_RANGE);
  optionalInteger(reader, record, 'detachedModeTimeoutInSeconds', path, DETACHED_TIMEOUT_RANGE);
  optionalInteger(reader, record, 'memoryInMBs', path, { min: 128, max: 3072 });
  reader.optionalString(record, 'image', path);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'fnfunc'),
    displayName: reader.string(record['displayName'], `${path}.displayName`),
    applicationId: reader.ocid(record['applicationId'], `${path}.applicationId`, 'fnapp'),
    compartmentId: reader.compartmentOcid(record['compartmentId'], `${path}.compartmentId`),
    config: reader.stringMap(record['config'], `${path}.config`),
    lifecycleState: reader.state(record['lifecycleState'], `${path}.lifecycleState`, FUNCTION_STATES),
  };
}

function parseScheduleParameter(reader: WorldReader, value: unknown, path: string): WorldScheduleParameter {
  const record = reader.object(value, path);
  const parameterType = reader.state(record['parameterType'], `${path}.parameterType`, SCHEDULE_PARAMETER_TYPES);
  // BODY carries any JSON; HEADER, PATH and QUERY carry a map of strings (their SDK models).
  if (parameterType !== 'BODY' && record['value'] !== undefined) reader.stringMap(record['value'], `${path}.value`);
  return { ...record, parameterType };
}

function parseScheduleResource(reader: WorldReader, value: unknown, path: string): WorldSchedule['resources'][number] {
  const record = reader.object(value, path);
  if (record['metadata'] !== undefined) reader.stringMap(record['metadata'], `${path}.metadata`);
  const parameters = record['parameters'] === undefined ? undefined : reader.array(record['parameters'], `${path}.parameters`);
  return {
    ...record,
    id: anyOcid(reader, record['id'], `${path}.id`),
    ...(parameters === undefined
      ? {}
      : { parameters: parameters.map((parameter, index) => parseScheduleParameter(reader, parameter, `${path}.parameters[${index}]`)) }),
  };
}

function parseSchedule(reader: WorldReader, value: unknown, path: string): WorldSchedule {
  const record = reader.object(value, path);
  reader.optionalString(record, 'description', path);
  const resources = record['resources'] === undefined ? [] : reader.array(record['resources'], `${path}.resources`);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'resourceschedule'),
    displayName: reader.string(record['displayName'], `${path}.displayName`),
    compartmentId: reader.compartmentOcid(record['compartmentId'], `${path}.compartmentId`),
    action: reader.state(record['action'], `${path}.action`, SCHEDULE_ACTIONS),
    recurrenceType: reader.state(record['recurrenceType'], `${path}.recurrenceType`, SCHEDULE_RECURRENCE_TYPES),
    recurrenceDetails: reader.string(record['recurrenceDetails'], `${path}.recurrenceDetails`),
    resources: resources.map((resource, index) => parseScheduleResource(reader, resource, `${path}.resources[${index}]`)),
    lifecycleState: reader.state(record['lifecycleState'], `${path}.lifecycleState`, SCHEDULE_STATES),
  };
}

function parseList<T extends { id: string }>(
  reader: WorldReader,
  root: JsonObject,
  field: 'rules' | 'functions' | 'schedules',
  parse: (reader: WorldReader, value: unknown, path: string) => T,
): T[] {
  const items = reader.array(root[field], field).map((item, index) => parse(reader, item, `${field}[${index}]`));
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) reader.fail(`${field}[${index}].id`, `repeats ${item.id}`);
    seen.add(item.id);
  });
  return items;
}

/**
 * The `rules`, `functions` and `schedules` of a world file's root object,
 * validated; a key the file leaves out stays out of the result. Throws a
 * `WorldFileError` naming the field (e.g. `rules[0].condition`).
 */
export function parseWorldOperations(reader: WorldReader, root: JsonObject): Pick<World, 'rules' | 'functions' | 'schedules'> {
  return {
    ...(root['rules'] === undefined ? {} : { rules: parseList(reader, root, 'rules', parseRule) }),
    ...(root['functions'] === undefined ? {} : { functions: parseList(reader, root, 'functions', parseFunction) }),
    ...(root['schedules'] === undefined ? {} : { schedules: parseList(reader, root, 'schedules', parseSchedule) }),
  };
}
