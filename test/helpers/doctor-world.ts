/**
 * A healthy deployment for doctor's unit tests, in memory: one cluster with
 * two pools whose nodes live in a child compartment, the tag namespace and
 * key, the function with its group and least-privilege policy (written by
 * hand as an operator would, not generated), the Events rules iam plans,
 * the schedule, and one group per pool. Each test breaks one thing.
 */
import { loadConfig } from '../../src/config';
import { createCallScope } from '../../src/call-scope';
import { Deadline } from '../../src/deadline';
import { INSTANCE_EVENT_TYPES, NODE_POOL_EVENT_TYPES } from '../../src/event/event-types';
import { doctor, type DoctorSettings } from '../../src/iam/doctor';
import type { CheckResult } from '../../src/iam/doctor-model';
import { readDoctorFacts } from '../../src/iam/doctor-read';
import { createJsonLogger } from '../../src/log';
import { reconcileWith } from '../../src/use-cases';
import { MemoryAccessCloud, type MemoryAccessWorld } from './memory-access-ports';
import { ids, okeMetadata } from './memory-ports';

const pad = (label: string) => label.replace(/[^a-z0-9]/g, '').padEnd(60, '0');

export const TENANCY = `ocid1.tenancy.oc1..${pad('doctortenancy')}`;
export const APPS = ids.compartment('apps');
export const WORKERS = ids.compartment('workers');
export const FN_COMPARTMENT = ids.compartment('functions');
export const ELSEWHERE = ids.compartment('elsewhere');
export const FUNCTION_ID = `ocid1.fnfunc.oc1.iad.${pad('tagger')}`;
export const CLUSTER = ids.cluster('prod');
export const NAMESPACE = 'oke-nodepool-tags';
export const KEY = 'oke-nodepool-name';
export const NAMESPACE_ID = `ocid1.tagnamespace.oc1..${pad('ns')}`;
export const FN_GROUP = 'oke-nodepool-tagger-fn';

export const SETTINGS: DoctorSettings = {
  tagNamespace: NAMESPACE,
  tagName: KEY,
  clusterTagName: undefined,
  compartmentIds: [APPS],
  functionId: FUNCTION_ID,
};

function node(label: string, poolLabel: string) {
  return {
    id: ids.instance(label),
    compartmentId: WORKERS,
    displayName: label,
    lifecycleState: 'RUNNING',
    timeCreated: '2026-01-01T00:00:00.000Z',
    metadata: okeMetadata(ids.pool(poolLabel), CLUSTER),
    definedTags: { [NAMESPACE]: { [KEY]: poolLabel } },
    freeformTags: {},
  };
}

/** The fixed rule of a pool group, as iam writes it. */
export function poolRule(poolName: string, compartmentId = WORKERS): string {
  return `All {instance.compartment.id = '${compartmentId}', tag.${NAMESPACE}.${KEY}.value = '${poolName}'}`;
}

/** The healthy world; every call builds a fresh copy. */
export function healthyWorld(): MemoryAccessWorld {
  const instanceCondition = JSON.stringify({ eventType: INSTANCE_EVENT_TYPES, data: { compartmentId: [WORKERS] } });
  const poolCondition = JSON.stringify({ eventType: NODE_POOL_EVENT_TYPES, data: { compartmentId: [APPS] } });
  const faas = { actions: [{ actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled: true }] };
  const body = JSON.stringify({
    action: 'reconcile',
    poolCompartmentIds: [APPS],
    instanceCompartmentIds: [WORKERS],
    apply: true,
    prune: true,
  });
  const subject = `dynamic-group ${FN_GROUP}`;
  return {
    tenancyId: TENANCY,
    clusters: [{ id: CLUSTER, name: 'prod', compartmentId: APPS }],
    pools: [
      {
        id: ids.pool('web'),
        name: 'web',
        clusterId: CLUSTER,
        compartmentId: APPS,
        lifecycleState: 'ACTIVE',
        nodeIds: [ids.instance('web-0'), ids.instance('web-1')],
      },
      {
        id: ids.pool('batch'),
        name: 'batch',
        clusterId: CLUSTER,
        compartmentId: APPS,
        lifecycleState: 'ACTIVE',
        nodeIds: [ids.instance('batch-0')],
      },
    ],
    instances: [node('web-0', 'web'), node('web-1', 'web'), node('batch-0', 'batch')],
    compartments: [
      { id: APPS, name: 'apps', parentId: TENANCY, lifecycleState: 'ACTIVE' },
      { id: WORKERS, name: 'workers', parentId: APPS, lifecycleState: 'ACTIVE' },
      { id: FN_COMPARTMENT, name: 'functions', parentId: TENANCY, lifecycleState: 'ACTIVE' },
      { id: ELSEWHERE, name: 'elsewhere', parentId: TENANCY, lifecycleState: 'ACTIVE' },
    ],
    dynamicGroups: [
      {
        id: 'ocid1.dynamicgroup.oc1..fn',
        name: FN_GROUP,
        compartmentId: TENANCY,
        lifecycleState: 'ACTIVE',
        matchingRule: `ALL {resource.type = 'fnfunc', resource.compartment.id = '${FN_COMPARTMENT}', resource.id = '${FUNCTION_ID}'}`,
      },
      {
        id: 'ocid1.dynamicgroup.oc1..web',
        name: 'oke-pool-web',
        compartmentId: TENANCY,
        lifecycleState: 'ACTIVE',
        matchingRule: poolRule('web'),
      },
      {
        id: 'ocid1.dynamicgroup.oc1..batch',
        name: 'oke-pool-batch',
        compartmentId: TENANCY,
        lifecycleState: 'ACTIVE',
        matchingRule: poolRule('batch'),
      },
    ],
    policies: [
      {
        id: 'ocid1.policy.oc1..admin',
        name: 'Tenant Admin Policy',
        compartmentId: TENANCY,
        lifecycleState: 'ACTIVE',
        statements: ['ALLOW GROUP Administrators to manage all-resources IN TENANCY'],
      },
      {
        id: 'ocid1.policy.oc1..fn',
        name: 'oke-nodepool-tagger-fn',
        compartmentId: TENANCY,
        lifecycleState: 'ACTIVE',
        statements: [
          `Allow ${subject} to read cluster-family in compartment apps`,
          `Allow ${subject} to read instances in compartment apps:workers`,
          `Allow ${subject} to use instances in compartment id ${WORKERS} where request.permission = 'INSTANCE_UPDATE'`,
          `Allow ${subject} to use tag-namespaces in tenancy where target.tag-namespace.name = '${NAMESPACE}'`,
        ],
      },
      {
        id: 'ocid1.policy.oc1..events',
        name: 'oke-nodepool-tagger-events',
        compartmentId: TENANCY,
        lifecycleState: 'ACTIVE',
        statements: [`Allow service cloudEvents to use functions-family in compartment functions`],
      },
    ],
    tagNamespaces: [
      {
        id: NAMESPACE_ID,
        name: NAMESPACE,
        compartmentId: TENANCY,
        isRetired: false,
        lifecycleState: 'ACTIVE',
        keys: [{ name: KEY, isRetired: false }],
      },
    ],
    rules: [
      {
        id: 'ocid1.eventrule.oc1..instances',
        displayName: 'oke-nodepool-tagger-launch',
        compartmentId: WORKERS,
        condition: instanceCondition,
        isEnabled: true,
        lifecycleState: 'ACTIVE',
        actions: faas.actions,
      },
      {
        id: 'ocid1.eventrule.oc1..pools',
        displayName: 'oke-nodepool-tagger-launch',
        compartmentId: APPS,
        condition: poolCondition,
        isEnabled: true,
        lifecycleState: 'ACTIVE',
        actions: faas.actions,
      },
    ],
    functions: [
      {
        id: FUNCTION_ID,
        displayName: 'oke-nodepool-tagger',
        applicationId: 'ocid1.fnapp.oc1.iad.app',
        compartmentId: FN_COMPARTMENT,
        lifecycleState: 'ACTIVE',
        config: { tag_namespace: NAMESPACE, tag_name: KEY, compartment_id: APPS },
        timeoutInSeconds: 120,
        detachedModeTimeoutInSeconds: 900,
      },
    ],
    schedules: [
      {
        id: 'ocid1.resourceschedule.oc1.iad.reconcile',
        displayName: 'oke-nodepool-tagger-reconcile',
        compartmentId: FN_COMPARTMENT,
        action: 'START_RESOURCE',
        recurrenceType: 'CRON',
        recurrenceDetails: '0 * * * *',
        lifecycleState: 'ACTIVE',
        resources: [{ id: FUNCTION_ID, body }],
      },
    ],
    domains: [],
  };
}

/** Runs doctor over a memory cloud with the real reconcile wiring for the dry run. */
export async function runDoctorOver(cloud: MemoryAccessCloud, settings: DoctorSettings = SETTINGS) {
  const ports = cloud.ports();
  const config = loadConfig({
    tag_namespace: settings.tagNamespace,
    tag_name: settings.tagName,
    cluster_tag_name: settings.clusterTagName,
    compartment_id: settings.compartmentIds.join(','),
  });
  const scope = createCallScope({ deadline: Deadline.inSeconds(60), logger: createJsonLogger(() => {}, 'error') });
  return doctor(ports, settings, {
    dryRun: (watched, shared) =>
      reconcileWith(config, shared, scope, {
        runner: 'cli',
        poolCompartmentIds: settings.compartmentIds,
        instanceCompartmentIds: [...new Set([...settings.compartmentIds, ...watched.instanceCompartmentIds])],
        apply: false,
        prune: true,
      }),
  });
}

/** Doctor over `world` as it stands. */
export async function doctorOver(world: MemoryAccessWorld, settings: DoctorSettings = SETTINGS) {
  return runDoctorOver(new MemoryAccessCloud(world), settings);
}

/** The result with `id`; throws when there is none, so a test never passes on a missing check. */
export function result(checks: readonly CheckResult[], id: string): CheckResult {
  const found = checks.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no check ${id}; checks: ${checks.map((candidate) => candidate.id).join(', ')}`);
  return found;
}

export { readDoctorFacts };

/** Doctor's checks over the healthy world after `breakIt` changed it. */
export async function checksAfter(
  breakIt: (world: MemoryAccessWorld) => void,
  settings: DoctorSettings = SETTINGS,
): Promise<readonly CheckResult[]> {
  const world = healthyWorld();
  breakIt(world);
  return (await doctorOver(world, settings)).checks;
}

/** Replaces the statements of the policy named `name` with what `edit` makes of them. */
export function editStatements(world: MemoryAccessWorld, name: string, edit: (statements: readonly string[]) => string[]): void {
  const index = world.policies.findIndex((candidate) => candidate.name === name);
  const policy = world.policies[index];
  if (policy === undefined) throw new Error(`no policy ${name}`);
  world.policies[index] = { ...policy, statements: edit(policy.statements) };
}
