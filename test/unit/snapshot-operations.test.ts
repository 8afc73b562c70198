/**
 * The operations snapshot: rules with their actions, the function with its
 * config scrubbed but for the tool's own keys, the schedules, in shapes a
 * world file accepts.
 */
import type { EventRuleInfo, FunctionInfo, ScheduleInfo } from '../../src/iam/access-model';
import { parseWorld } from '../../src/local/world';
import { SCRUBBED } from '../../src/oci/snapshot';
import { snapshotOperations, taggerConfigKeys } from '../../src/oci/snapshot-operations';
import { emptyAccessWorld, MemoryAccessCloud, notAuthorized } from '../helpers/memory-access-ports';
import { LAUNCH_CONDITION, OPS_APPLICATION_ID, OPS_FUNCTION_ID } from '../helpers/operations-world';
import { fakeOcid, TEST_COMPARTMENT_ID, TEST_TENANCY_OCID } from '../helpers/worlds';

const OTHER_COMPARTMENT_ID = fakeOcid('compartment', 'other', '');
const UNREAD_COMPARTMENT_ID = fakeOcid('compartment', 'unread', '');

function rule(seed: string, compartmentId = TEST_COMPARTMENT_ID): EventRuleInfo {
  return {
    id: fakeOcid('eventrule', seed),
    displayName: `rule-${seed}`,
    compartmentId,
    condition: LAUNCH_CONDITION,
    isEnabled: true,
    lifecycleState: 'ACTIVE',
    actions: [
      { actionType: 'FAAS', functionId: OPS_FUNCTION_ID, isEnabled: true },
      { actionType: 'ONS', isEnabled: false },
    ],
  };
}

const taggerFunction: FunctionInfo = {
  id: OPS_FUNCTION_ID,
  displayName: 'oke-nodepool-tagger',
  applicationId: OPS_APPLICATION_ID,
  compartmentId: TEST_COMPARTMENT_ID,
  config: { tag_namespace: 'pools', compartment_id: TEST_COMPARTMENT_ID, impostor_action: 'report', github_token: 'ghp_secret' },
  lifecycleState: 'ACTIVE',
  timeoutInSeconds: 120,
  detachedModeTimeoutInSeconds: 900,
};

function schedule(seed: string, compartmentId = TEST_COMPARTMENT_ID, withBody = true): ScheduleInfo {
  return {
    id: fakeOcid('resourceschedule', seed),
    displayName: `schedule-${seed}`,
    compartmentId,
    action: 'START_RESOURCE',
    recurrenceType: 'CRON',
    recurrenceDetails: '0 * * * *',
    lifecycleState: 'ACTIVE',
    resources: [{ id: OPS_FUNCTION_ID, body: withBody ? '{"action":"reconcile"}' : undefined }],
  };
}

function cloud(): MemoryAccessCloud {
  const world = emptyAccessWorld(TEST_TENANCY_OCID);
  world.rules = [rule('a'), rule('b', OTHER_COMPARTMENT_ID), rule('c', UNREAD_COMPARTMENT_ID)];
  world.functions = [taggerFunction];
  world.schedules = [schedule('a'), schedule('b', OTHER_COMPARTMENT_ID, false), schedule('c', UNREAD_COMPARTMENT_ID)];
  return new MemoryAccessCloud(world);
}

const options = {
  compartmentIds: [TEST_COMPARTMENT_ID, OTHER_COMPARTMENT_ID],
  functionId: OPS_FUNCTION_ID,
  ourConfigKeys: taggerConfigKeys(),
};

describe('taggerConfigKeys', () => {
  it('lists the keys config.ts reads, and nothing else', () => {
    // Act
    const keys = taggerConfigKeys();

    // Assess
    expect(keys).toEqual(
      expect.arrayContaining([
        'tag_namespace',
        'tag_name',
        'cluster_tag_name',
        'compartment_id',
        'impostor_action',
        'log_level',
        'dry_run',
      ]),
    );
    expect(keys).not.toContain('github_token');
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('snapshotOperations', () => {
  it('reads every rule of the compartments with its actions through GetRule', async () => {
    // Prepare
    const memory = cloud();

    // Act
    const snapshot = await snapshotOperations(memory.ports(), options);

    // Assess
    expect(snapshot.rules.map((item) => item.displayName)).toEqual(['rule-a', 'rule-b']);
    expect(snapshot.rules[0]).toEqual({
      id: fakeOcid('eventrule', 'a'),
      displayName: 'rule-a',
      compartmentId: TEST_COMPARTMENT_ID,
      condition: LAUNCH_CONDITION,
      isEnabled: true,
      lifecycleState: 'ACTIVE',
      actions: {
        actions: [
          { actionType: 'FAAS', functionId: OPS_FUNCTION_ID, isEnabled: true },
          { actionType: 'ONS', isEnabled: false },
        ],
      },
    });
    expect(memory.count('ListRules')).toBe(2);
    expect(memory.count('GetRule')).toBe(2);
  });

  it('keeps the values of the config keys the tool reads and scrubs every other one', async () => {
    // Act
    const snapshot = await snapshotOperations(cloud().ports(), options);

    // Assess
    expect(snapshot.functions).toEqual([
      {
        id: OPS_FUNCTION_ID,
        displayName: 'oke-nodepool-tagger',
        applicationId: OPS_APPLICATION_ID,
        compartmentId: TEST_COMPARTMENT_ID,
        config: { tag_namespace: 'pools', compartment_id: TEST_COMPARTMENT_ID, impostor_action: 'report', github_token: SCRUBBED },
        lifecycleState: 'ACTIVE',
        timeoutInSeconds: 120,
        detachedModeTimeoutInSeconds: 900,
      },
    ]);
  });

  it('reads the schedules of the compartments, the BODY as a parameter', async () => {
    // Act
    const snapshot = await snapshotOperations(cloud().ports(), options);

    // Assess
    expect(snapshot.schedules.map((item) => item.resources)).toEqual([
      [{ id: OPS_FUNCTION_ID, parameters: [{ parameterType: 'BODY', value: '{"action":"reconcile"}' }] }],
      [{ id: OPS_FUNCTION_ID }],
    ]);
  });

  it('writes what a world file accepts', async () => {
    // Prepare
    const snapshot = await snapshotOperations(cloud().ports(), options);

    // Act
    const world = parseWorld(JSON.parse(JSON.stringify(snapshot)), 'snapshot.json');

    // Assess
    expect(world.rules).toHaveLength(2);
    expect(world.functions?.[0]?.config['github_token']).toBe(SCRUBBED);
    expect(world.schedules).toHaveLength(2);
  });

  it('reads each compartment once and no function when none is named', async () => {
    // Prepare
    const memory = cloud();

    // Act
    const snapshot = await snapshotOperations(memory.ports(), {
      ...options,
      compartmentIds: [TEST_COMPARTMENT_ID, TEST_COMPARTMENT_ID],
      functionId: undefined,
    });

    // Assess
    expect(snapshot.functions).toEqual([]);
    expect(memory.count('GetFunction')).toBe(0);
    expect(memory.count('ListRules')).toBe(1);
    expect(memory.count('ListSchedules')).toBe(1);
  });

  it('leaves out a function that is not found and a rule that is gone before it is read', async () => {
    // Prepare
    const memory = cloud();
    const ports = memory.ports();
    const listRules = ports.events.listRules.bind(ports.events);
    const gone = { ...rule('gone'), actions: undefined };
    const events = { ...ports.events, listRules: async (compartmentId: string) => [...(await listRules(compartmentId)), gone] };

    // Act
    const snapshot = await snapshotOperations(
      { ...ports, events },
      { ...options, compartmentIds: [TEST_COMPARTMENT_ID], functionId: fakeOcid('fnfunc', 'missing') },
    );

    // Assess
    expect(snapshot.rules.map((item) => item.displayName)).toEqual(['rule-a']);
    expect(snapshot.functions).toEqual([]);
  });

  it('fails when a read fails, rather than writing a world that looks complete', async () => {
    // Prepare
    const memory = cloud();
    memory.failures.set(`ListSchedules ${OTHER_COMPARTMENT_ID}`, notAuthorized('ListSchedules', OTHER_COMPARTMENT_ID));

    // Act
    const outcome = snapshotOperations(memory.ports(), options);

    // Assess
    await expect(outcome).rejects.toMatchObject({ operation: 'ListSchedules', statusCode: 404 });
  });
});
