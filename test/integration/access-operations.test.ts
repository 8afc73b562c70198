/**
 * The Events, Functions and Resource Scheduler adapters over the real SDK
 * clients (`createAccessClients`, real signing) against the fake OCI API.
 */
import * as common from 'oci-common';
import { requests as eventsRequests } from 'oci-events';
import { createCallScope, DEFAULT_RETRY_POLICY, type CallScope } from '../../src/call-scope';
import { Deadline } from '../../src/deadline';
import { OciCallError } from '../../src/errors';
import type { World } from '../../src/local/world';
import { silentLogger } from '../../src/log';
import { createEventsAdapter, createFunctionsAdapter, createResourceSchedulerAdapter } from '../../src/oci/access-adapters';
import { createAccessClients, type AccessClients } from '../../src/oci/access-clients';
import { useFakeApiHarness } from '../helpers/fake-api-harness';
import type { TestCredentials } from '../helpers/oci-credentials';
import {
  LAUNCH_CONDITION,
  OPS_APPLICATION_ID,
  OPS_FUNCTION_ID,
  worldFunction,
  worldRule,
  worldSchedule,
} from '../helpers/operations-world';
import { fakeOcid, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const harness = useFakeApiHarness();
const ListRulesSortBy = eventsRequests.ListRulesRequest.SortBy;
const ListRulesSortOrder = eventsRequests.ListRulesRequest.SortOrder;
const OTHER_COMPARTMENT_ID = fakeOcid('compartment', 'other', '');

function newScope(): CallScope {
  return createCallScope({ deadline: Deadline.inSeconds(20), logger: silentLogger, policy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5 } });
}

/** A provider built from the key itself (no config file), as `createAccessClients` receives it from the CLI. */
function simpleProvider(credentials: TestCredentials): common.SimpleAuthenticationDetailsProvider {
  const [tenancy = '', user = '', fingerprint = ''] = credentials.configFile.keyId.split('/');
  return new common.SimpleAuthenticationDetailsProvider(
    tenancy,
    user,
    fingerprint,
    credentials.privateKeyPem,
    null,
    common.Region.US_ASHBURN_1,
  );
}

function operationsWorld(): World {
  const rules = Array.from({ length: 5 }, (_, index) => worldRule(`r${index}`, { displayName: `rule-${index}` }));
  rules.push(worldRule('elsewhere', { compartmentId: OTHER_COMPARTMENT_ID }));
  const schedules = Array.from({ length: 5 }, (_, index) => worldSchedule(`s${index}`, { displayName: `schedule-${index}` }));
  schedules.push(worldSchedule('elsewhere', { compartmentId: OTHER_COMPARTMENT_ID }));
  return { clusters: [], nodePools: [], instances: [], tagNamespaces: {}, rules, functions: [worldFunction()], schedules };
}

async function startOperationsApi(
  world: World = operationsWorld(),
): Promise<{ clients: AccessClients; api: Awaited<ReturnType<typeof harness.startApi>> }> {
  const api = await harness.startApi({ world, pageSize: 2 });
  const clients = createAccessClients(simpleProvider(harness.credentials), { endpoint: api.url });
  return { api, clients };
}

describe('Events adapter', () => {
  it('lists the rules of one compartment over every page, in pages ListRules accepts, without their actions', async () => {
    // Prepare
    const { api, clients } = await startOperationsApi();
    const events = createEventsAdapter(clients.events, newScope());

    // Act
    const rules = await events.listRules(TEST_COMPARTMENT_ID);

    // Assess
    expect(rules.map((rule) => rule.displayName)).toEqual(['rule-0', 'rule-1', 'rule-2', 'rule-3', 'rule-4']);
    expect(api.count('ListRules')).toBe(3);
    expect(rules[0]).toEqual({
      id: fakeOcid('eventrule', 'r0'),
      displayName: 'rule-0',
      compartmentId: TEST_COMPARTMENT_ID,
      condition: LAUNCH_CONDITION,
      isEnabled: true,
      lifecycleState: 'ACTIVE',
      actions: undefined,
    });
  });

  it('reads a rule with its FAAS action and the function it invokes', async () => {
    // Prepare
    const world = operationsWorld();
    const rule = worldRule('mixed', {
      actions: {
        actions: [
          { actionType: 'FAAS', functionId: OPS_FUNCTION_ID, isEnabled: false },
          { actionType: 'ONS', topicId: fakeOcid('onstopic', 't'), isEnabled: true },
        ],
      },
    });
    world.rules?.push(rule);
    const { clients } = await startOperationsApi(world);
    const events = createEventsAdapter(clients.events, newScope());

    // Act
    const read = await events.getRule(rule.id);

    // Assess
    expect(read?.actions).toEqual([
      { actionType: 'FAAS', functionId: OPS_FUNCTION_ID, isEnabled: false },
      { actionType: 'ONS', functionId: undefined, isEnabled: true },
    ]);
  });

  it('answers undefined for a rule that does not exist', async () => {
    // Prepare
    const { clients } = await startOperationsApi();
    const events = createEventsAdapter(clients.events, newScope());

    // Act
    const read = await events.getRule(fakeOcid('eventrule', 'missing'));

    // Assess
    expect(read).toBeUndefined();
  });
});

describe('Functions adapter', () => {
  it('reads the function with its config and both timeouts', async () => {
    // Prepare
    const { clients } = await startOperationsApi();
    const functions = createFunctionsAdapter(clients.functions, newScope());

    // Act
    const fn = await functions.getFunction(OPS_FUNCTION_ID);

    // Assess
    expect(fn).toEqual({
      id: OPS_FUNCTION_ID,
      displayName: 'oke-nodepool-tagger',
      applicationId: OPS_APPLICATION_ID,
      compartmentId: TEST_COMPARTMENT_ID,
      config: worldFunction().config,
      lifecycleState: 'ACTIVE',
      timeoutInSeconds: 120,
      detachedModeTimeoutInSeconds: 900,
      definedTags: {},
    });
  });

  it('answers undefined for a function that does not exist', async () => {
    // Prepare
    const { api, clients } = await startOperationsApi();
    const functions = createFunctionsAdapter(clients.functions, newScope());

    // Act
    const fn = await functions.getFunction(fakeOcid('fnfunc', 'missing'));

    // Assess
    expect(fn).toBeUndefined();
    expect(api.count('GetFunction')).toBe(1);
  });

  it("lists an application's functions without their config", async () => {
    // Prepare
    const { clients } = await startOperationsApi();

    // Act
    const response = await clients.functions.listFunctions({ applicationId: OPS_APPLICATION_ID });

    // Assess
    expect(response.items.map((fn) => fn.id)).toEqual([OPS_FUNCTION_ID]);
    expect(response.items[0]).not.toHaveProperty('config');
  });
});

describe('Resource Scheduler adapter', () => {
  it('lists the schedules of one compartment over every page, with the BODY parameter as JSON text', async () => {
    // Prepare
    const { api, clients } = await startOperationsApi();
    const scheduler = createResourceSchedulerAdapter(clients.resourceScheduler, newScope());

    // Act
    const schedules = await scheduler.listSchedules(TEST_COMPARTMENT_ID);

    // Assess
    expect(schedules.map((schedule) => schedule.displayName)).toEqual([
      'schedule-0',
      'schedule-1',
      'schedule-2',
      'schedule-3',
      'schedule-4',
    ]);
    expect(api.count('ListSchedules')).toBe(3);
    expect(schedules[0]).toEqual({
      id: fakeOcid('resourceschedule', 's0'),
      displayName: 'schedule-0',
      compartmentId: TEST_COMPARTMENT_ID,
      action: 'START_RESOURCE',
      recurrenceType: 'CRON',
      recurrenceDetails: '0 * * * *',
      lifecycleState: 'ACTIVE',
      resources: [{ id: OPS_FUNCTION_ID, body: '{"action":"reconcile"}' }],
    });
  });

  it('keeps a BODY given as text, and a resource without parameters has no body', async () => {
    // Prepare
    const world = operationsWorld();
    world.schedules = [
      worldSchedule('text', {
        resources: [
          {
            id: OPS_FUNCTION_ID,
            parameters: [
              { parameterType: 'HEADER', value: { 'x-a': 'b' } },
              { parameterType: 'BODY', value: '{"a":1}' },
            ],
          },
          { id: fakeOcid('fnfunc', 'other') },
        ],
      }),
    ];
    const { clients } = await startOperationsApi(world);
    const scheduler = createResourceSchedulerAdapter(clients.resourceScheduler, newScope());

    // Act
    const [schedule] = await scheduler.listSchedules(TEST_COMPARTMENT_ID);

    // Assess
    expect(schedule?.resources).toEqual([
      { id: OPS_FUNCTION_ID, body: '{"a":1}' },
      { id: fakeOcid('fnfunc', 'other'), body: undefined },
    ]);
  });
  it('reads one schedule through GetSchedule and through ListSchedules by scheduleId alone', async () => {
    // Prepare
    const { clients } = await startOperationsApi();
    const scheduleId = fakeOcid('resourceschedule', 's3');

    // Act
    const { schedule } = await clients.resourceScheduler.getSchedule({ scheduleId });
    const { scheduleCollection } = await clients.resourceScheduler.listSchedules({ scheduleId });
    const missing = await clients.resourceScheduler
      .getSchedule({ scheduleId: fakeOcid('resourceschedule', 'gone') })
      .catch((error: unknown) => error);

    // Assess
    expect(schedule.resources).toEqual([{ id: OPS_FUNCTION_ID, parameters: [{ parameterType: 'BODY', value: { action: 'reconcile' } }] }]);
    expect(scheduleCollection.items.map((item) => item.id)).toEqual([scheduleId]);
    expect(missing).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
  });
});

describe('the fake refuses what OCI refuses', () => {
  it('refuses a request signed with a key it does not trust', async () => {
    // Prepare
    const { api } = await startOperationsApi();
    const clients = createAccessClients(simpleProvider(harness.strangerCredentials), { endpoint: api.url });
    const events = createEventsAdapter(clients.events, newScope());

    // Act
    const failure = await events.listRules(TEST_COMPARTMENT_ID).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(OciCallError);
    expect(failure).toMatchObject({ operation: 'ListRules', statusCode: 401, serviceCode: 'NotAuthenticated' });
  });

  it.each([
    ['ListRules', `/20181201/rules?compartmentId=${TEST_COMPARTMENT_ID}&functionId=${OPS_FUNCTION_ID}`],
    ['ListSchedules', `/20240430/schedules?compartmentId=${TEST_COMPARTMENT_ID}&resourceType=FunctionsFunction`],
    ['GetFunction', `/20181201/functions/${OPS_FUNCTION_ID}?include=config`],
  ])('refuses an unknown query parameter on %s', async (_operation, path) => {
    // Prepare
    const { api } = await startOperationsApi();

    // Act
    const response = await harness.signedGet(api, path);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'InvalidParameter', message: expect.stringContaining('Unknown query parameter') });
  });

  it.each([
    ['a ListRules page above 50', `/20181201/rules?compartmentId=${TEST_COMPARTMENT_ID}&limit=51`, 'InvalidParameter'],
    ['ListSchedules without a compartment or a schedule', '/20240430/schedules', 'MissingParameter'],
    [
      'ListSchedules with a state outside the enum',
      `/20240430/schedules?compartmentId=${TEST_COMPARTMENT_ID}&lifecycleState=ON`,
      'InvalidParameter',
    ],
    ['ListFunctions without an application', '/20181201/functions', 'MissingParameter'],
  ])('refuses %s', async (_name, path, code) => {
    // Prepare
    const { api } = await startOperationsApi();

    // Act
    const response = await harness.signedGet(api, path);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code });
  });

  it('answers ListRules as a bare array and ListSchedules as a collection of items', async () => {
    // Prepare
    const { api } = await startOperationsApi();

    // Act
    const rules = await harness.signedGet(api, `/20181201/rules?compartmentId=${TEST_COMPARTMENT_ID}`);
    const schedules = await harness.signedGet(api, `/20240430/schedules?compartmentId=${TEST_COMPARTMENT_ID}&lifecycleState=active`);

    // Assess
    expect(Array.isArray(rules.body)).toBe(true);
    expect(rules.headers['opc-next-page']).toEqual(expect.any(String));
    expect(schedules.body).toEqual({ items: expect.any(Array) });
    expect((schedules.body as { items: unknown[] }).items).toHaveLength(2);
  });

  it('filters and sorts ListRules and ListSchedules as their requests ask', async () => {
    // Prepare
    const world = operationsWorld();
    world.rules?.push(worldRule('off', { displayName: 'rule-off', lifecycleState: 'INACTIVE' }));
    world.schedules?.push(worldSchedule('other-target', { resources: [{ id: fakeOcid('instance', 'vm') }] }));
    const { clients } = await startOperationsApi(world);

    // Act
    const inactive = await clients.events.listRules({ compartmentId: TEST_COMPARTMENT_ID, lifecycleState: 'INACTIVE' });
    const named = await clients.events.listRules({ compartmentId: TEST_COMPARTMENT_ID, displayName: 'rule-3' });
    const sorted = await clients.events.listRules({
      compartmentId: TEST_COMPARTMENT_ID,
      sortBy: ListRulesSortBy.DisplayName,
      sortOrder: ListRulesSortOrder.Desc,
    });
    const forVm = await clients.resourceScheduler.listSchedules({
      compartmentId: TEST_COMPARTMENT_ID,
      resourceId: fakeOcid('instance', 'vm'),
    });
    const byName = await clients.resourceScheduler.listSchedules({
      compartmentId: TEST_COMPARTMENT_ID,
      displayName: 'schedule-2',
      lifecycleState: 'active',
    });

    // Assess
    expect(inactive.items.map((rule) => rule.displayName)).toEqual(['rule-off']);
    expect(named.items.map((rule) => rule.displayName)).toEqual(['rule-3']);
    expect(sorted.items.map((rule) => rule.displayName)).toEqual(['rule-off', 'rule-4']);
    expect(forVm.scheduleCollection.items.map((schedule) => schedule.displayName)).toEqual(['schedule-other-target']);
    expect(byName.scheduleCollection.items.map((schedule) => schedule.id)).toEqual([fakeOcid('resourceschedule', 's2')]);
  });

  it('answers 404 NotAuthorizedOrNotFound for an OCID of another type in the path', async () => {
    // Prepare
    const { api } = await startOperationsApi();

    // Act
    const response = await harness.signedGet(api, `/20240430/schedules/${OPS_FUNCTION_ID}`);

    // Assess
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'NotAuthorizedOrNotFound' });
  });
});
