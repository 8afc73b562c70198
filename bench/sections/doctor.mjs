// The doctor benchmark: a generated deployment of 50 node pools (5 clusters,
// 2 nodes each) and 200 policies, checked by doctor on the fake OCI API at
// the bench's per-call latency, through the CLI's own wiring and the real
// SDK clients (in this process, since --world starts the fake without
// latency). It measures wall time and API calls by operation.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { NODE_BUNDLE } from '../../scripts/esbuild-options.mjs';
import { log } from '../lib/clock.mjs';
import { ROOT, TMP } from '../lib/paths.mjs';
import { countCalls, LATENCY_MS } from '../lib/world.mjs';

export const name = 'doctor';
export const resultKey = 'doctor';

const POOLS = 50;
const POLICIES = 200;
const TEAMS = 20;

async function loadHarness() {
  const outfile = join(TMP, 'doctor-harness.cjs');
  await build({ entryPoints: [join(ROOT, 'bench/lib/doctor-harness.ts')], ...NODE_BUNDLE, outfile, logLevel: 'warning' });
  return createRequire(import.meta.url)(outfile);
}

/** The deployment: every piece doctor checks, healthy, plus 197 policies of other teams to read past. */
function deployment(h) {
  const tenancyId = h.fakeOcid('tenancy', 'default', '');
  const scope = h.TEST_COMPARTMENT_ID;
  const functions = h.fakeOcid('compartment', 'doctor/functions', '');
  const functionId = h.fakeOcid('fnfunc', 'doctor/tagger');
  const teams = Array.from({ length: TEAMS }, (_, index) => h.fakeOcid('compartment', `doctor/team-${index}`, ''));
  const world = h.buildWorld({ pools: POOLS, nodesPerPool: 2, clusters: 5, seed: 'doctor' });
  const pools = new Map(world.nodePools.map((pool) => [pool.id, pool.name]));
  for (const instance of world.instances)
    instance.definedTags[h.NODEPOOL_TAG_NAMESPACE] = { [h.NODEPOOL_TAG_KEY]: pools.get(instance.metadata['oke-pool-id']) };
  const tag = `tag.${h.NODEPOOL_TAG_NAMESPACE}.${h.NODEPOOL_TAG_KEY}.value`;
  const fnSubject = 'dynamic-group oke-nodepool-tagger-fn';
  const group = (id, groupName, matchingRule) => ({
    id: h.fakeOcid('dynamicgroup', id, ''),
    name: groupName,
    matchingRule,
    compartmentId: tenancyId,
    lifecycleState: 'ACTIVE',
  });
  const policy = (id, policyName, compartmentId, statements) => ({
    id: h.fakeOcid('policy', id, ''),
    name: policyName,
    compartmentId,
    statements,
    lifecycleState: 'ACTIVE',
  });
  const others = Array.from({ length: POLICIES - 3 }, (_, index) => {
    const team = teams[index % TEAMS];
    return policy(`doctor/other-${index}`, `team-${index}`, index % 2 === 0 ? tenancyId : team, [
      `Allow group team-${index} to manage objects in compartment id ${team}`,
      `Allow group team-${index} to read instances in compartment id ${team}`,
      `Allow dynamic-group oke-pool-pool-${(index % POOLS) + 1} to read repos in tenancy`,
    ]);
  });
  const eventTypes = [
    h.LAUNCH_EVENT_TYPE,
    h.UPDATE_INSTANCE_EVENT_TYPE,
    h.UPDATE_NODE_POOL_EVENT_TYPE,
    'com.oraclecloud.clustersapi.updatecluster.end',
  ];
  const body = JSON.stringify({
    action: 'reconcile',
    poolCompartmentIds: [scope],
    instanceCompartmentIds: [scope],
    apply: true,
    prune: true,
  });
  Object.assign(world, {
    tenancyId,
    compartments: [
      { id: scope, name: 'clusters', compartmentId: tenancyId, lifecycleState: 'ACTIVE' },
      { id: functions, name: 'functions', compartmentId: tenancyId, lifecycleState: 'ACTIVE' },
      ...teams.map((id, index) => ({ id, name: `team-${index}`, compartmentId: tenancyId, lifecycleState: 'ACTIVE' })),
    ],
    dynamicGroups: [
      group(
        'doctor/fn',
        'oke-nodepool-tagger-fn',
        `ALL {resource.type = 'fnfunc', resource.compartment.id = '${functions}', resource.id = '${functionId}'}`,
      ),
      ...world.nodePools.map((pool) =>
        group(`doctor/${pool.id}`, `oke-pool-${pool.name}`, `All {instance.compartment.id = '${scope}', ${tag} = '${pool.name}'}`),
      ),
    ],
    policies: [
      policy('doctor/admin', 'Tenant Admin Policy', tenancyId, ['ALLOW GROUP Administrators to manage all-resources IN TENANCY']),
      policy('doctor/fn', 'oke-nodepool-tagger-fn', tenancyId, [
        `Allow ${fnSubject} to read cluster-family in compartment id ${scope}`,
        `Allow ${fnSubject} to read instances in compartment id ${scope}`,
        `Allow ${fnSubject} to use instances in compartment id ${scope} where request.permission = 'INSTANCE_UPDATE'`,
        `Allow ${fnSubject} to use tag-namespaces in tenancy where target.tag-namespace.name = '${h.NODEPOOL_TAG_NAMESPACE}'`,
      ]),
      policy('doctor/events', 'oke-nodepool-tagger-events', tenancyId, [
        `Allow service cloudEvents to use functions-family in compartment id ${functions}`,
      ]),
      ...others,
    ],
    rules: [
      {
        id: h.fakeOcid('eventrule', 'doctor/rule'),
        displayName: 'oke-nodepool-tagger-launch',
        compartmentId: scope,
        condition: JSON.stringify({ eventType: eventTypes, data: { compartmentId: [scope] } }),
        isEnabled: true,
        lifecycleState: 'ACTIVE',
        actions: { actions: [{ actionType: 'FAAS', functionId, isEnabled: true }] },
      },
    ],
    functions: [
      {
        id: functionId,
        displayName: 'oke-nodepool-tagger',
        applicationId: h.fakeOcid('fnapp', 'doctor/app'),
        compartmentId: functions,
        config: { tag_namespace: h.NODEPOOL_TAG_NAMESPACE, tag_name: h.NODEPOOL_TAG_KEY },
        lifecycleState: 'ACTIVE',
        timeoutInSeconds: 120,
        detachedModeTimeoutInSeconds: 900,
      },
    ],
    schedules: [
      {
        id: h.fakeOcid('resourceschedule', 'doctor/schedule'),
        displayName: 'oke-nodepool-tagger-reconcile',
        compartmentId: functions,
        action: 'START_RESOURCE',
        recurrenceType: 'CRON',
        recurrenceDetails: '0 * * * *',
        resources: [{ id: functionId, parameters: [{ parameterType: 'BODY', value: body }] }],
        lifecycleState: 'ACTIVE',
      },
    ],
  });
  return { world, scope, functionId };
}

/** One doctor run over the deployment; returns its row. */
export async function run(ctx) {
  log(`doctor: ${POOLS} pools, ${POLICIES} policies at ${LATENCY_MS} ms per call`);
  const harness = await loadHarness();
  const { world, scope, functionId } = deployment(ctx.h);
  const result = await harness.runDoctorOnFake(world, LATENCY_MS, { compartmentIds: [scope], functionId });
  const { byOp } = countCalls(result.calls);
  const statuses = { ok: 0, warn: 0, fail: 0, unknown: 0 };
  for (const check of result.report.checks) statuses[check.status] += 1;
  const row = {
    pools: POOLS,
    policies: POLICIES,
    checks: result.report.checks.length,
    statuses,
    exit: result.report.exitCode,
    wallMs: result.wallMs,
    apiCalls: result.calls.length,
    byOp,
    notOk: result.report.checks
      .filter((check) => check.status !== 'ok')
      .map((check) => `${check.status} ${check.title}: ${check.found}`.slice(0, 300)),
  };
  log(
    `  doctor: exit ${row.exit}, ${row.checks} checks (${JSON.stringify(statuses)}), ${row.apiCalls} calls, ${(row.wallMs / 1000).toFixed(2)} s`,
  );
  log(`  calls by operation: ${JSON.stringify(byOp)}`);
  for (const line of row.notOk) log(`  ${line}`);
  return row;
}
