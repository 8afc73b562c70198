/**
 * The world keys rules, functions and schedules: what a good world loads as,
 * and every bad field refused with its name.
 */
import { WorldFileError } from '../../src/errors';
import { parseWorld } from '../../src/local/world';
import { OPS_FUNCTION_ID, worldFunction, worldRule, worldSchedule } from '../helpers/operations-world';
import { fakeOcid } from '../helpers/worlds';

type Json = Record<string, unknown>;

function goodWorld(): Json {
  return JSON.parse(JSON.stringify({ rules: [worldRule('a')], functions: [worldFunction()], schedules: [worldSchedule('a')] })) as Json;
}

/** The first element of `list` in `json`, to change one field of it. */
function first(json: Json, list: string): Json {
  return ((json[list] as Json[])[0] ?? {}) as Json;
}

function refusal(json: Json): string {
  try {
    parseWorld(json, 'ops.json');
  } catch (error) {
    if (error instanceof WorldFileError) return error.message;
    throw error;
  }
  throw new Error('the world was accepted');
}

describe('world operations keys', () => {
  it('loads rules, functions and schedules with every field kept', () => {
    // Prepare
    const json = goodWorld();
    first(json, 'rules')['description'] = 'launches to the tagger';

    // Act
    const world = parseWorld(json, 'ops.json');

    // Assess
    expect(world.rules).toEqual([{ ...worldRule('a'), description: 'launches to the tagger' }]);
    expect(world.functions).toEqual([worldFunction()]);
    expect(world.schedules).toEqual([worldSchedule('a')]);
  });

  it('leaves the keys out of a world that has none', () => {
    // Act
    const world = parseWorld({ clusters: [] }, 'plain.json');

    // Assess
    expect(world).not.toHaveProperty('rules');
    expect(world).not.toHaveProperty('functions');
    expect(world).not.toHaveProperty('schedules');
  });

  it('defaults a function config to empty, resources to none and an action to enabled', () => {
    // Prepare
    const json = goodWorld();
    delete first(json, 'functions')['config'];
    delete first(json, 'schedules')['resources'];
    const action = (first(json, 'rules')['actions'] as { actions: Json[] }).actions[0] ?? {};
    delete action['isEnabled'];

    // Act
    const world = parseWorld(json, 'ops.json');

    // Assess
    expect(world.functions?.[0]?.config).toEqual({});
    expect(world.schedules?.[0]?.resources).toEqual([]);
    expect(world.rules?.[0]?.actions.actions[0]?.isEnabled).toBe(true);
  });

  it('accepts notification and streaming actions without a function', () => {
    // Prepare
    const json = goodWorld();
    first(json, 'rules')['actions'] = {
      actions: [
        { actionType: 'ONS', topicId: fakeOcid('onstopic', 't'), isEnabled: true },
        { actionType: 'OSS', streamId: fakeOcid('stream', 's'), isEnabled: false },
      ],
    };

    // Act
    const world = parseWorld(json, 'ops.json');

    // Assess
    expect(world.rules?.[0]?.actions.actions.map((action) => action.actionType)).toEqual(['ONS', 'OSS']);
  });

  const action = (json: Json): Json => (first(json, 'rules')['actions'] as { actions: Json[] }).actions[0] ?? {};
  const resource = (json: Json): Json => (first(json, 'schedules')['resources'] as Json[])[0] ?? {};
  const parameter = (json: Json): Json => (resource(json)['parameters'] as Json[])[0] ?? {};

  it.each<[string, (json: Json) => void, string]>([
    ['rules that are not a list', (json) => (json['rules'] = {}), 'rules must be an array'],
    [
      'a rule id of another type',
      (json) => (first(json, 'rules')['id'] = OPS_FUNCTION_ID),
      'rules[0].id must be an OCID of type eventrule',
    ],
    ['a rule without a name', (json) => delete first(json, 'rules')['displayName'], 'rules[0].displayName'],
    ['a rule in an instance', (json) => (first(json, 'rules')['compartmentId'] = fakeOcid('instance', 'i')), 'rules[0].compartmentId'],
    ['a condition that is an object', (json) => (first(json, 'rules')['condition'] = { eventType: 'x' }), 'rules[0].condition'],
    [
      'a condition that does not parse',
      (json) => (first(json, 'rules')['condition'] = '{"eventType": '),
      'rules[0].condition of rule "rule-a" is not valid JSON',
    ],
    [
      'a condition that is a JSON list',
      (json) => (first(json, 'rules')['condition'] = '[]'),
      'rules[0].condition of rule "rule-a" must be a JSON object',
    ],
    ['isEnabled as a string', (json) => (first(json, 'rules')['isEnabled'] = 'true'), 'rules[0].isEnabled must be a boolean'],
    [
      'a rule state outside the enum',
      (json) => (first(json, 'rules')['lifecycleState'] = 'RUNNING'),
      'rules[0].lifecycleState must be one of CREATING, ACTIVE',
    ],
    ['a rule without actions', (json) => delete first(json, 'rules')['actions'], 'rules[0].actions must be an object'],
    ['actions as a bare list', (json) => (first(json, 'rules')['actions'] = []), 'rules[0].actions must be an object'],
    [
      'an unknown action type',
      (json) => (action(json)['actionType'] = 'EMAIL'),
      'rules[0].actions.actions[0].actionType must be one of OSS, ONS, FAAS',
    ],
    ['a FAAS action without a function', (json) => delete action(json)['functionId'], 'rules[0].actions.actions[0].functionId'],
    [
      'a FAAS action naming an application',
      (json) => (action(json)['functionId'] = fakeOcid('fnapp', 'x')),
      'rules[0].actions.actions[0].functionId must be an OCID of type fnfunc',
    ],
    ['an action state outside the enum', (json) => (action(json)['lifecycleState'] = 'ON'), 'rules[0].actions.actions[0].lifecycleState'],
    [
      'an action isEnabled as a number',
      (json) => (action(json)['isEnabled'] = 1),
      'rules[0].actions.actions[0].isEnabled must be a boolean',
    ],
    ['a repeated rule id', (json) => (json['rules'] = [worldRule('a'), worldRule('a')]), 'rules[1].id repeats'],
    [
      'a function id of another type',
      (json) => (first(json, 'functions')['id'] = fakeOcid('fnapp', 'x')),
      'functions[0].id must be an OCID of type fnfunc',
    ],
    ['a function in no application', (json) => delete first(json, 'functions')['applicationId'], 'functions[0].applicationId'],
    [
      'an applicationId of a function',
      (json) => (first(json, 'functions')['applicationId'] = OPS_FUNCTION_ID),
      'functions[0].applicationId must be an OCID of type fnapp',
    ],
    [
      'a config value that is a number',
      (json) => (first(json, 'functions')['config'] = { timeout_seconds: 30 }),
      'functions[0].config.timeout_seconds must be a string',
    ],
    ['a config that is a list', (json) => (first(json, 'functions')['config'] = ['a=b']), 'functions[0].config must be an object'],
    [
      'a function state outside the enum',
      (json) => (first(json, 'functions')['lifecycleState'] = 'RUNNING'),
      'functions[0].lifecycleState',
    ],
    [
      'a timeout above 300 s',
      (json) => (first(json, 'functions')['timeoutInSeconds'] = 301),
      'functions[0].timeoutInSeconds must be a whole number from 1 to 300',
    ],
    [
      'a detached timeout below 5 s',
      (json) => (first(json, 'functions')['detachedModeTimeoutInSeconds'] = 4),
      'functions[0].detachedModeTimeoutInSeconds',
    ],
    ['a memory size as a string', (json) => (first(json, 'functions')['memoryInMBs'] = '256'), 'functions[0].memoryInMBs'],
    ['an empty image', (json) => (first(json, 'functions')['image'] = ''), 'functions[0].image must be a non-empty string'],
    [
      'a schedule id of another type',
      (json) => (first(json, 'schedules')['id'] = fakeOcid('eventrule', 'x')),
      'schedules[0].id must be an OCID of type resourceschedule',
    ],
    ['a schedule in no compartment', (json) => delete first(json, 'schedules')['compartmentId'], 'schedules[0].compartmentId'],
    [
      'an action outside the enum',
      (json) => (first(json, 'schedules')['action'] = 'START'),
      'schedules[0].action must be one of START_RESOURCE, STOP_RESOURCE',
    ],
    [
      'a recurrence type outside the enum',
      (json) => (first(json, 'schedules')['recurrenceType'] = 'HOURLY'),
      'schedules[0].recurrenceType must be one of CRON, ICAL',
    ],
    ['no recurrence details', (json) => (first(json, 'schedules')['recurrenceDetails'] = ''), 'schedules[0].recurrenceDetails'],
    [
      'a schedule state outside the enum',
      (json) => (first(json, 'schedules')['lifecycleState'] = 'SCHEDULED'),
      'schedules[0].lifecycleState',
    ],
    ['a resource that is not an OCID', (json) => (resource(json)['id'] = 'my-function'), 'schedules[0].resources[0].id must be an OCID'],
    [
      'parameters that are not a list',
      (json) => (resource(json)['parameters'] = { parameterType: 'BODY' }),
      'schedules[0].resources[0].parameters must be an array',
    ],
    [
      'a parameter type outside the enum',
      (json) => (parameter(json)['parameterType'] = 'PAYLOAD'),
      'schedules[0].resources[0].parameters[0].parameterType must be one of BODY, HEADER, PATH, QUERY',
    ],
    [
      'a HEADER parameter whose value is not a map of strings',
      (json) => Object.assign(parameter(json), { parameterType: 'HEADER', value: { 'x-n': 1 } }),
      'schedules[0].resources[0].parameters[0].value.x-n must be a string',
    ],
    ['a repeated schedule id', (json) => (json['schedules'] = [worldSchedule('a'), worldSchedule('a')]), 'schedules[1].id repeats'],
  ])('refuses %s, naming the field', (_name, spoil, expected) => {
    // Prepare
    const json = goodWorld();
    spoil(json);

    // Act
    const message = refusal(json);

    // Assess
    expect(message).toContain('ops.json');
    expect(message).toContain(expected);
  });

  it('still refuses a misspelt top-level key, naming the operations keys among the expected ones', () => {
    // Act
    const message = refusal({ schedule: [] });

    // Assess
    expect(message).toContain('schedule is not a world field');
    expect(message).toContain('rules, functions, schedules');
  });
});
