/**
 * World-file entries for the operations around the function: an Events rule
 * that invokes it, the function itself and a Resource Scheduler schedule that
 * starts it, in the REST API's JSON shapes.
 */
import type { WorldEventRule, WorldFunction, WorldSchedule } from '../../src/local/world-types';
import { fakeOcid, TEST_COMPARTMENT_ID } from './worlds';

export const OPS_APPLICATION_ID = fakeOcid('fnapp', 'tagger-app');
export const OPS_FUNCTION_ID = fakeOcid('fnfunc', 'tagger');

/** The condition of the rule that sends instance launches to the function, as the API stores it (a JSON string). */
export const LAUNCH_CONDITION = JSON.stringify({ eventType: ['com.oraclecloud.computeapi.launchinstance.end'] });

export function worldRule(seed: string, overrides: Partial<WorldEventRule> = {}): WorldEventRule {
  return {
    id: fakeOcid('eventrule', seed),
    displayName: `rule-${seed}`,
    compartmentId: TEST_COMPARTMENT_ID,
    condition: LAUNCH_CONDITION,
    isEnabled: true,
    lifecycleState: 'ACTIVE',
    timeCreated: '2026-01-01T00:00:00.000Z',
    actions: {
      actions: [
        { id: fakeOcid('eventaction', seed), actionType: 'FAAS', functionId: OPS_FUNCTION_ID, isEnabled: true, lifecycleState: 'ACTIVE' },
      ],
    },
    ...overrides,
  };
}

export function worldFunction(overrides: Partial<WorldFunction> = {}): WorldFunction {
  return {
    id: OPS_FUNCTION_ID,
    displayName: 'oke-nodepool-tagger',
    applicationId: OPS_APPLICATION_ID,
    compartmentId: TEST_COMPARTMENT_ID,
    config: { tag_namespace: 'oke-nodepool-tags', compartment_id: TEST_COMPARTMENT_ID, webhook_secret: 's3cret' },
    lifecycleState: 'ACTIVE',
    timeoutInSeconds: 120,
    detachedModeTimeoutInSeconds: 900,
    memoryInMBs: 256,
    image: 'iad.ocir.io/tenancy/oke-nodepool-tagger:1.0.0',
    ...overrides,
  };
}

/** A schedule that starts the function every hour with a reconcile request as its body. */
export function worldSchedule(seed: string, overrides: Partial<WorldSchedule> = {}): WorldSchedule {
  return {
    id: fakeOcid('resourceschedule', seed),
    displayName: `schedule-${seed}`,
    compartmentId: TEST_COMPARTMENT_ID,
    action: 'START_RESOURCE',
    recurrenceType: 'CRON',
    recurrenceDetails: '0 * * * *',
    resources: [{ id: OPS_FUNCTION_ID, parameters: [{ parameterType: 'BODY', value: { action: 'reconcile' } }] }],
    lifecycleState: 'ACTIVE',
    timeCreated: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
