import { INSTANCE_EVENT_TYPES, NODE_POOL_EVENT_TYPES } from '../../src/event/event-types';
import type { JsonObject } from '../../src/event/json';
import { parseReconcileRequest } from '../../src/event/reconcile-request';
import { PoolNameCollisionError, ScheduleSettingsError, UnrepresentableNameError } from '../../src/iam/errors';
import { checkPlan, planIam, type IamInput, type PoolFact } from '../../src/iam/plan';
import { renderTerraform } from '../../src/iam/render-terraform';
import { scheduleMatchingRule } from '../../src/iam/schedule';
import { checkMatchingRule, checkPolicyStatement } from '../../src/iam/validate';

const CLUSTERS_COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaaclusters';
const WORKERS_COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaaworkers';
const FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaafunction';

function pool(name: string, cluster: string, overrides: Partial<PoolFact> = {}): PoolFact {
  const id = `ocid1.nodepool.oc1.iad.aaaaaaaa${Buffer.from(`${cluster}/${name}`).toString('hex').slice(0, 40)}`;
  return {
    id,
    name,
    clusterId: `ocid1.cluster.oc1.iad.aaaaaaaa${cluster}`,
    clusterName: cluster,
    compartmentId: CLUSTERS_COMPARTMENT,
    nodeCompartmentIds: [WORKERS_COMPARTMENT],
    ...overrides,
  };
}

function input(pools: readonly PoolFact[], overrides: Partial<IamInput> = {}): IamInput {
  return {
    tagNamespace: 'oke-nodepool-tags',
    tagName: 'oke-nodepool-name',
    clusterTagName: undefined,
    compartmentIds: [CLUSTERS_COMPARTMENT],
    functionId: FUNCTION_ID,
    functionCompartmentId: CLUSTERS_COMPARTMENT,
    tagNamespaceCompartmentId: undefined,
    identityDomain: undefined,
    namePrefix: 'oke',
    skipUnsafeNames: false,
    pools,
    ...overrides,
  };
}

const allStatements = (plan: ReturnType<typeof planIam>) => plan.policies.flatMap((policy) => policy.statements);

describe('planIam', () => {
  it("gives each pool a group matching its instances' compartment and its pool tag", () => {
    // Prepare
    const pools = [pool('apps', 'prod'), pool('batch', 'prod')];
    // Act
    const plan = planIam(input(pools));
    // Assess
    const apps = plan.dynamicGroups.find((group) => group.name === 'oke-pool-apps');
    expect(apps?.matchingRule).toBe(
      `All {instance.compartment.id = '${WORKERS_COMPARTMENT}', tag.oke-nodepool-tags.oke-nodepool-name.value = 'apps'}`,
    );
    expect(plan.dynamicGroups.map((group) => group.name)).toEqual(['oke-nodepool-tagger-fn', 'oke-pool-apps', 'oke-pool-batch']);
  });

  it("falls back to the pool's compartment when no node could be looked at, and says so", () => {
    // Prepare
    const pools = [pool('empty', 'prod', { nodeCompartmentIds: [] })];
    // Act
    const plan = planIam(input(pools));
    // Assess
    const group = plan.dynamicGroups.find((candidate) => candidate.kind === 'pool');
    expect(group?.matchingRule).toContain(`instance.compartment.id = '${CLUSTERS_COMPARTMENT}'`);
    expect(group?.notes.join(' ')).toContain("assumed the instances live in the node pool's compartment");
  });

  it('admits nodes spread over two compartments with one All block per compartment', () => {
    // Prepare
    const other = 'ocid1.compartment.oc1..aaaaaaaaother';
    // Act
    const plan = planIam(input([pool('gpu', 'prod', { nodeCompartmentIds: [WORKERS_COMPARTMENT, other] })]));
    // Assess
    const rule = plan.dynamicGroups.find((group) => group.kind === 'pool')?.matchingRule ?? '';
    expect(rule.startsWith('Any {All {')).toBe(true);
    expect(rule).toContain(other);
    expect(checkMatchingRule(rule)).toEqual([]);
  });

  it('refuses same-named pools of two clusters without a cluster tag, naming both clusters and the fix', () => {
    // Prepare
    const pools = [pool('apps', 'prod'), pool('apps', 'staging')];
    // Act
    const act = () => planIam(input(pools));
    // Assess
    expect(act).toThrow(PoolNameCollisionError);
    expect(act).toThrow(/"apps" in cluster "prod".*"apps" in cluster "staging"/);
    expect(act).toThrow('--cluster-tag-name');
  });

  it('treats pool names that differ only in case as colliding', () => {
    // Prepare
    const pools = [pool('Batch', 'prod'), pool('batch', 'staging')];
    // Act / Assess
    expect(() => planIam(input(pools))).toThrow(PoolNameCollisionError);
  });

  it('qualifies colliding pools with the cluster tag and warns, leaving unique pools alone', () => {
    // Prepare
    const pools = [pool('apps', 'prod'), pool('apps', 'staging'), pool('batch', 'prod')];
    // Act
    const plan = planIam(input(pools, { clusterTagName: 'oke-cluster-name' }));
    // Assess
    const byName = new Map(plan.dynamicGroups.map((group) => [group.name, group]));
    expect(byName.get('oke-pool-prod-apps')?.matchingRule).toContain("tag.oke-nodepool-tags.oke-cluster-name.value = 'prod'");
    expect(byName.get('oke-pool-staging-apps')?.matchingRule).toContain("tag.oke-nodepool-tags.oke-cluster-name.value = 'staging'");
    expect(byName.get('oke-pool-batch')?.matchingRule).not.toContain('oke-cluster-name');
    expect(plan.warnings.join('\n')).toContain('"apps" is used in 2 clusters');
  });

  it('adds one group per cluster when a cluster tag is configured', () => {
    // Prepare
    const pools = [pool('apps', 'prod'), pool('batch', 'prod'), pool('apps2', 'staging')];
    // Act
    const plan = planIam(input(pools, { clusterTagName: 'oke-cluster-name' }));
    // Assess
    const clusters = plan.dynamicGroups.filter((group) => group.kind === 'cluster');
    expect(clusters.map((group) => group.name)).toEqual(['oke-cluster-prod', 'oke-cluster-staging']);
    expect(clusters[0]?.matchingRule).toBe(
      `All {instance.compartment.id = '${WORKERS_COMPARTMENT}', tag.oke-nodepool-tags.oke-cluster-name.value = 'prod'}`,
    );
  });

  it('refuses a pool whose name holds a single quote, naming the pool, unless told to skip it', () => {
    // Prepare
    const pools = [pool("o'brien", 'prod'), pool('apps', 'prod')];
    // Act
    const refuse = () => planIam(input(pools));
    const skipped = planIam(input(pools, { skipUnsafeNames: true }));
    // Assess
    expect(refuse).toThrow(UnrepresentableNameError);
    expect(refuse).toThrow(`"o'brien"`);
    expect(skipped.dynamicGroups.map((group) => group.name)).toEqual(['oke-nodepool-tagger-fn', 'oke-pool-apps']);
    expect(skipped.warnings.join('\n')).toContain(`SKIPPED node pool "o'brien"`);
  });

  it('refuses a cluster name that cannot be quoted only when the cluster tag is used', () => {
    // Prepare
    const pools = [pool('apps', 'bob\\s')];
    // Act / Assess
    expect(() => planIam(input(pools))).not.toThrow();
    expect(() => planIam(input(pools, { clusterTagName: 'oke-cluster-name' }))).toThrow('the cluster name cannot be used');
  });

  it('refuses two pools no tag can tell apart', () => {
    // Prepare: same pool name, same cluster name, same compartment, different OCIDs
    const pools = [
      pool('apps', 'prod'),
      pool('apps', 'prod', { id: 'ocid1.nodepool.oc1.iad.aaaaaaaatwin', clusterId: 'ocid1.cluster.oc1.iad.aaaaaaaaother' }),
    ];
    // Act / Assess
    expect(() => planIam(input(pools, { clusterTagName: 'oke-cluster-name' }))).toThrow('no tag can tell their nodes apart');
  });

  it('grants the function only what it needs: never all-resources, never manage instance-family', () => {
    // Prepare / Act
    const plan = planIam(input([pool('apps', 'prod')]));
    // Assess
    const text = allStatements(plan).join('\n');
    expect(text).not.toMatch(/all-resources/i);
    expect(text).not.toMatch(/manage\s+instance-family/i);
    expect(plan.policies[0]?.statements).toEqual([
      `Allow dynamic-group oke-nodepool-tagger-fn to read cluster-family in compartment id ${CLUSTERS_COMPARTMENT}`,
      `Allow dynamic-group oke-nodepool-tagger-fn to read instances in compartment id ${WORKERS_COMPARTMENT}`,
      `Allow dynamic-group oke-nodepool-tagger-fn to use instances in compartment id ${WORKERS_COMPARTMENT} where request.permission = 'INSTANCE_UPDATE'`,
      "Allow dynamic-group oke-nodepool-tagger-fn to use tag-namespaces in tenancy where target.tag-namespace.name = 'oke-nodepool-tags'",
    ]);
    expect(plan.policies[1]?.statements).toEqual([
      `Allow service cloudEvents to use functions-family in compartment id ${CLUSTERS_COMPARTMENT}`,
    ]);
  });

  it("narrows the function's group to the function when its OCID is known, and warns when it is not", () => {
    // Prepare / Act
    const narrow = planIam(input([]));
    const broad = planIam(input([], { functionId: undefined }));
    // Assess
    expect(narrow.dynamicGroups[0]?.matchingRule).toBe(
      `ALL {resource.type = 'fnfunc', resource.compartment.id = '${CLUSTERS_COMPARTMENT}', resource.id = '${FUNCTION_ID}'}`,
    );
    expect(broad.dynamicGroups[0]?.matchingRule).toBe(
      `ALL {resource.type = 'fnfunc', resource.compartment.id = '${CLUSTERS_COMPARTMENT}'}`,
    );
    expect(broad.warnings.join('\n')).toContain('EVERY function');
  });

  it("names groups as 'domain'/'group' when an identity domain is given", () => {
    // Prepare / Act
    const plan = planIam(input([pool('apps', 'prod')], { identityDomain: 'Ops Domain' }));
    // Assess
    expect(allStatements(plan)[0]).toBe(
      `Allow dynamic-group 'Ops Domain'/'oke-nodepool-tagger-fn' to read cluster-family in compartment id ${CLUSTERS_COMPARTMENT}`,
    );
    expect(plan.examples[0]).toContain("dynamic-group 'Ops Domain'/'oke-pool-apps' to read repos");
  });

  it('scopes the tag-namespace grant to the compartment that holds the namespace', () => {
    // Prepare / Act
    const plan = planIam(input([], { tagNamespaceCompartmentId: 'ocid1.compartment.oc1..aaaaaaaatags' }));
    // Assess
    expect(allStatements(plan)).toContain(
      "Allow dynamic-group oke-nodepool-tagger-fn to use tag-namespaces in compartment id ocid1.compartment.oc1..aaaaaaaatags where target.tag-namespace.name = 'oke-nodepool-tags'",
    );
  });

  it('subscribes instance events in each instance compartment and node pool events in each pool compartment, filtered to it', () => {
    // Prepare
    const other = 'ocid1.compartment.oc1..aaaaaaaaother';
    // Act
    const plan = planIam(input([pool('apps', 'prod'), pool('batch', 'prod', { nodeCompartmentIds: [other] })]));
    // Assess
    const conditions = plan.eventsRules.map((rule) => JSON.parse(rule.conditionJson) as unknown);
    expect(conditions).toEqual(
      [CLUSTERS_COMPARTMENT, other, WORKERS_COMPARTMENT].sort().map((compartmentId) => ({
        eventType: compartmentId === CLUSTERS_COMPARTMENT ? NODE_POOL_EVENT_TYPES : INSTANCE_EVENT_TYPES,
        data: { compartmentId: [compartmentId] },
      })),
    );
    expect(plan.eventsRules.map((rule) => rule.compartmentId)).toEqual([CLUSTERS_COMPARTMENT, other, WORKERS_COMPARTMENT].sort());
  });

  it('subscribes both kinds of event in one rule where a compartment holds instances and pools', () => {
    // Act
    const plan = planIam(input([pool('apps', 'prod', { nodeCompartmentIds: [CLUSTERS_COMPARTMENT] })]));
    // Assess
    expect(plan.eventsRules).toHaveLength(1);
    expect(plan.eventsRules[0]?.condition).toEqual({
      eventType: [...INSTANCE_EVENT_TYPES, ...NODE_POOL_EVENT_TYPES],
      data: { compartmentId: [CLUSTERS_COMPARTMENT] },
    });
  });

  it('keeps the name of the launch rule for every Events rule, so a re-run updates the rule an earlier setup made', () => {
    // Act
    const plan = planIam(input([pool('apps', 'prod')]));
    // Assess
    expect(plan.eventsRules.map((rule) => rule.name)).toEqual(['oke-nodepool-tagger-launch', 'oke-nodepool-tagger-launch']);
  });

  it('schedules an hourly reconcile that applies and prunes the pool and instance compartments, with a 900 s detached timeout', () => {
    // Act
    const plan = planIam(input([pool('apps', 'prod')]));
    // Assess
    expect(plan.reconcileSchedule).toMatchObject({
      cron: '0 * * * *',
      intervalSeconds: 3600,
      detachedTimeoutSeconds: 900,
      compartmentId: CLUSTERS_COMPARTMENT,
      enabled: true,
      body: {
        action: 'reconcile',
        poolCompartmentIds: [CLUSTERS_COMPARTMENT],
        instanceCompartmentIds: [WORKERS_COMPARTMENT],
        apply: true,
        prune: true,
      },
    });
    expect(parseReconcileRequest(JSON.parse(plan.reconcileSchedule?.bodyJson ?? '{}') as JsonObject)).toMatchObject({
      kind: 'reconcile',
      poolCompartmentIds: [CLUSTERS_COMPARTMENT],
      instanceCompartmentIds: [WORKERS_COMPARTMENT],
      apply: true,
      prune: true,
    });
  });

  it("grants the schedule's dynamic group the right to invoke functions in the function's compartment", () => {
    // Act
    const plan = planIam(input([], { identityDomain: 'Ops Domain' }));
    // Assess
    expect(plan.reconcileSchedule?.policy.statements).toEqual([
      `Allow dynamic-group 'Ops Domain'/'oke-nodepool-tagger-schedule' to manage functions-family in compartment id ${CLUSTERS_COMPARTMENT}`,
    ]);
    expect(checkMatchingRule(scheduleMatchingRule('ocid1.resourceschedule.oc1.iad.aaaaaaaaexample'))).toEqual([]);
    expect(scheduleMatchingRule('ocid1.resourceschedule.oc1.iad.aaaaaaaaexample')).toBe(
      "ALL {resource.type='resourceschedule', resource.id='ocid1.resourceschedule.oc1.iad.aaaaaaaaexample'}",
    );
  });

  it('plans the schedule without enabling it when no function OCID is known', () => {
    // Act
    const plan = planIam(input([], { functionId: undefined }));
    // Assess
    expect(plan.reconcileSchedule?.enabled).toBe(false);
  });

  it('leaves the schedule out with reconcileSchedule none', () => {
    // Act
    const plan = planIam(input([], { reconcileSchedule: 'none' }));
    // Assess
    expect(plan.reconcileSchedule).toBeUndefined();
  });

  it('refuses a schedule whose body would name more compartments than one reconcile request accepts', () => {
    // Prepare
    const compartments = Array.from({ length: 101 }, (_, index) => `ocid1.compartment.oc1..aaaaaaaa${String(index).padStart(4, '0')}`);
    // Act
    const plan = () => planIam(input([], { compartmentIds: compartments }));
    // Assess
    expect(plan).toThrow(ScheduleSettingsError);
    expect(plan).toThrow('more than the 100 one request accepts');
    expect(() => planIam(input([], { compartmentIds: compartments, reconcileSchedule: 'none' }))).not.toThrow();
  });

  it('refuses a detached timeout that is not shorter than the interval of the schedule', () => {
    // Act
    const plan = () => planIam(input([], { reconcileSchedule: { cron: '*/15 * * * *', detachedTimeoutSeconds: 900 } }));
    // Assess
    expect(plan).toThrow(ScheduleSettingsError);
    expect(plan).toThrow('the detached timeout 900 s is not shorter than the 900 s between two runs');
  });

  it('produces only rules and statements the checker accepts', () => {
    // Prepare
    const pools = [
      pool('web frontend', 'prod eu'),
      pool('données', 'prod eu'),
      pool('json{cfg}, a=b', 'prod eu'),
      pool('say "hi"', 'prod eu'),
      pool('apps', 'prod'),
      pool('apps', 'staging'),
    ];
    // Act
    const plan = planIam(input(pools, { clusterTagName: 'oke-cluster-name', identityDomain: 'Default' }));
    // Assess
    expect(checkPlan(plan)).toEqual([]);
    for (const statement of [...allStatements(plan), ...plan.examples, ...plan.restrictionExamples])
      expect(checkPolicyStatement(statement)).toEqual([]);
  });

  it('keeps every generated name within the rule and unique regardless of case', () => {
    // Prepare
    const pools = [
      pool('a b', 'c'),
      pool('a-b', 'c'),
      pool('A B', 'd', { nodeCompartmentIds: ['ocid1.compartment.oc1..aaaaaaaaelsewhere'] }),
      pool('x'.repeat(250), 'c'),
    ];
    // Act
    const plan = planIam(input(pools, { clusterTagName: 'oke-cluster-name' }));
    // Assess
    const names = plan.dynamicGroups.map((group) => group.name);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_.-]{1,100}$/);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
  });
});

describe('planIam: the function policy and OCI’s 50 statements per policy', () => {
  it('goes on in -fn-2 after the Events policy when the statements pass 50, losing none', () => {
    // Prepare: 30 compartments of nodes make 1 + 30 + 30 + 1 = 62 statements.
    const compartments = Array.from(
      { length: 30 },
      (_, index) => `ocid1.compartment.oc1..aaaaaaaaworkers${String(index).padStart(2, '0')}`,
    );
    const pools = compartments.map((compartment, index) => pool(`pool${index}`, 'prod', { nodeCompartmentIds: [compartment] }));
    // Act
    const plan = planIam(input(pools));
    // Assess
    expect(plan.policies.map((policy) => [policy.name, policy.statements.length])).toEqual([
      ['oke-nodepool-tagger-fn', 50],
      ['oke-nodepool-tagger-events', 1],
      ['oke-nodepool-tagger-fn-2', 12],
    ]);
    const functionStatements = [...(plan.policies[0]?.statements ?? []), ...(plan.policies[2]?.statements ?? [])];
    for (const compartment of compartments) {
      expect(functionStatements).toContain(`Allow dynamic-group oke-nodepool-tagger-fn to read instances in compartment id ${compartment}`);
      expect(functionStatements.filter((statement) => statement.includes(compartment))).toHaveLength(2);
    }
    expect(checkPlan(plan)).toEqual([]);
    // In Terraform the overflow policy, like the first, waits for the function's group and the tag namespace.
    const hcl = renderTerraform(plan, 'oke-nodepool-tagger reconcile');
    const overflow = hcl.slice(hcl.indexOf('"oke-nodepool-tagger-fn-2"'));
    expect(overflow.slice(0, overflow.indexOf('\n}\n'))).toMatch(
      /depends_on\s*=\s*\[oci_identity_dynamic_group\.\w+, oci_identity_tag_namespace\.nodepool_tags\]/,
    );
  });

  it('keeps one function policy up to 50 statements', () => {
    // Act
    const plan = planIam(input([pool('apps', 'prod')]));
    // Assess
    expect(plan.policies.map((policy) => policy.name)).toEqual(['oke-nodepool-tagger-fn', 'oke-nodepool-tagger-events']);
  });
});
