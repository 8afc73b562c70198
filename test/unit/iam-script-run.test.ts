/**
 * Runs the generated bash script against the strict `oci` stand-in
 * (test/helpers/strict-oci/), which refuses what the real CLI refuses and
 * keeps state between runs: the shell quoting must hand OCI exactly the
 * rules and statements of the plan, and the script must run twice in a row,
 * creating the first time and updating the second.
 */
import type { JsonObject } from '../../src/event/json';
import { parseReconcileRequest } from '../../src/event/reconcile-request';
import { planIam, type IamInput, type IamPlan } from '../../src/iam/plan';
import { scheduleMatchingRule } from '../../src/iam/schedule';
import { renderCliScript } from '../../src/iam/render-cli';
import { caseArgs, FUNCTION_ID as CASES_FUNCTION_ID, IAM_CASES, iam } from '../fixtures/iam/cases';
import { argAfter, callsOf, createStrictOci, type ScriptRun, type StrictOci } from '../helpers/strict-oci';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatenancy';
const WORKERS = 'ocid1.compartment.oc1..aaaaaaaaworkers';
const FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaafunction';
const DOMAIN_URL = 'https://idcs-ops.identity.oraclecloud.com';

const INPUT: IamInput = {
  tagNamespace: 'oke-nodepool-tags',
  tagName: 'oke-nodepool-name',
  clusterTagName: 'oke-cluster-name',
  compartmentIds: [WORKERS],
  functionId: FUNCTION_ID,
  functionCompartmentId: WORKERS,
  tagNamespaceCompartmentId: undefined,
  identityDomain: undefined,
  namePrefix: 'oke',
  skipUnsafeNames: false,
  pools: [
    {
      id: 'ocid1.nodepool.oc1.iad.aaaaaaaa1',
      name: 'say "hi" {x}, $(date) `id` données 日本',
      clusterId: 'ocid1.cluster.oc1.iad.aaaaaaaa1',
      clusterName: 'prod eu',
      compartmentId: WORKERS,
      nodeCompartmentIds: [WORKERS],
    },
    {
      id: 'ocid1.nodepool.oc1.iad.aaaaaaaa2',
      name: 'apps',
      clusterId: 'ocid1.cluster.oc1.iad.aaaaaaaa1',
      clusterName: 'prod eu',
      compartmentId: WORKERS,
      nodeCompartmentIds: [WORKERS],
    },
  ],
};

const DOMAIN_INPUT: IamInput = { ...INPUT, identityDomain: 'Ops Domain' };

let oci: StrictOci;
beforeEach(() => {
  oci = createStrictOci({ [DOMAIN_URL]: 'Ops Domain' });
  // The functions "fn deploy" created, whose detached timeout the scripts set.
  oci.seed({
    functions: [FUNCTION_ID, CASES_FUNCTION_ID, 'ocid1.fnfunc.oc1.iad.aaaaaaaadeployed'].map((id) => ({
      id,
      'display-name': 'oke-nodepool-tagger',
      'lifecycle-state': 'ACTIVE',
    })),
  });
});
afterEach(() => oci.cleanup());

function script(input: IamInput = INPUT): string {
  return renderCliScript(planIam(input), 'oke-nodepool-tagger reconcile --prune');
}

function run(input: IamInput = INPUT, env: Record<string, string> = {}): ScriptRun {
  return oci.runScript(script(input), { TENANCY_OCID: TENANCY, IDENTITY_DOMAIN_URL: DOMAIN_URL, ...env });
}

/** The matching rules the script should create: the plan's groups, then the schedule's group naming the schedule it created. */
function plannedRules(plan: IamPlan): string[] {
  const schedule = oci.state().schedules[0];
  return [...plan.dynamicGroups.map((group) => group.matchingRule), ...(schedule ? [scheduleMatchingRule(schedule.id)] : [])];
}

/** The plan's policies' statements, then the schedule's. */
function plannedStatements(plan: IamPlan): (readonly string[])[] {
  return [
    ...plan.policies.map((policy) => policy.statements),
    ...(plan.reconcileSchedule ? [plan.reconcileSchedule.policy.statements] : []),
  ];
}

function expectSuccess(result: ScriptRun): void {
  expect({ status: result.status, stderr: result.stderr.split('\n').filter((line) => !line.startsWith('Action completed')) }).toEqual({
    status: 0,
    stderr: [''],
  });
}

describe('the generated OCI CLI script', () => {
  it('hands the OCI CLI exactly the planned matching rules, statements and Events condition', () => {
    // Prepare
    const plan = planIam(INPUT);
    // Act
    const result = run();
    // Assess
    expectSuccess(result);
    const rules = callsOf(result.calls, 'iam dynamic-group create').map((call) => argAfter(call, '--matching-rule'));
    expect(rules).toEqual(plannedRules(plan));
    const statements = callsOf(result.calls, 'iam policy create').map(
      (call) => JSON.parse(argAfter(call, '--statements') ?? '[]') as string[],
    );
    expect(statements).toEqual(plannedStatements(plan));
    const conditions = callsOf(result.calls, 'events rule create').map((call) => argAfter(call, '--condition'));
    expect(conditions).toEqual(plan.eventsRules.map((rule) => rule.conditionJson));
    const rule = callsOf(result.calls, 'events rule create')[0];
    expect(JSON.parse((rule && argAfter(rule, '--actions')) ?? '{}')).toEqual({
      actions: [{ actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled: true }],
    });
  });

  it('runs twice in a row: the first run creates everything, the second updates it', () => {
    // Prepare
    const plan = planIam(INPUT);
    // Act
    const first = run();
    const second = run();
    // Assess
    expectSuccess(first);
    expectSuccess(second);
    const creates = (result: ScriptRun) =>
      result.calls.filter((call) => call.argv[2] === 'create').map((call) => call.argv.slice(0, 2).join(' '));
    expect(creates(first)).toEqual(
      expect.arrayContaining([
        'iam tag-namespace',
        'iam tag',
        'iam dynamic-group',
        'iam policy',
        'events rule',
        'resource-scheduler schedule',
      ]),
    );
    expect(creates(second)).toEqual([]);
    expect(callsOf(second.calls, 'iam dynamic-group update')).toHaveLength(plan.dynamicGroups.length + 1);
    expect(callsOf(second.calls, 'iam policy update')).toHaveLength(plan.policies.length + 1);
    expect(callsOf(second.calls, 'events rule update')).toHaveLength(plan.eventsRules.length);
    expect(callsOf(second.calls, 'resource-scheduler schedule update')).toHaveLength(1);
    const state = oci.state();
    expect(state.dynamicGroups.map((group) => group['matching-rule'])).toEqual(plannedRules(plan));
    expect(state.policies.map((policy) => policy.statements)).toEqual(plannedStatements(plan));
    expect(state.rules).toHaveLength(plan.eventsRules.length);
    expect(state.schedules).toHaveLength(1);
  });

  it('keeps the policy version date on a re-run (--version-date "" with --statements)', () => {
    // Prepare
    run();
    // Act
    const second = run();
    // Assess
    expectSuccess(second);
    for (const call of callsOf(second.calls, 'iam policy update')) expect(argAfter(call, '--version-date')).toBe('');
  });

  it('waits for each new dynamic group to be ACTIVE before a policy names it', () => {
    // Act
    const result = run();
    // Assess
    expectSuccess(result);
    for (const call of callsOf(result.calls, 'iam dynamic-group create')) expect(argAfter(call, '--wait-for-state')).toBe('ACTIVE');
    expect(oci.state().dynamicGroups.every((group) => group['lifecycle-state'] === 'ACTIVE')).toBe(true);
  });

  it('never picks a deleted group, policy or Events rule of the same name', () => {
    // Prepare: what a deleted earlier setup leaves behind in the lists.
    const plan = planIam(INPUT);
    const deleted = { 'lifecycle-state': 'DELETED', 'compartment-id': TENANCY };
    oci.seed({
      dynamicGroups: plan.dynamicGroups.map((group, index) => ({
        ...deleted,
        id: `ocid1.dynamicgroup.oc1..gone${index}`,
        name: group.name,
      })),
      policies: plan.policies.map((policy, index) => ({ ...deleted, id: `ocid1.policy.oc1..gone${index}`, name: policy.name })),
      rules: plan.eventsRules.map((rule, index) => ({
        ...deleted,
        id: `ocid1.eventrule.oc1..gone${index}`,
        'compartment-id': rule.compartmentId,
        'display-name': rule.name,
      })),
    });
    // Act
    const result = run();
    // Assess
    expectSuccess(result);
    expect(callsOf(result.calls, 'events rule create')).toHaveLength(plan.eventsRules.length);
    expect(callsOf(result.calls, 'iam dynamic-group create')).toHaveLength(plan.dynamicGroups.length + 1);
    expect(callsOf(result.calls, 'iam policy create')).toHaveLength(plan.policies.length + 1);
  });

  it('refuses a FUNCTION_OCID other than the --function-id its dynamic group names', () => {
    // Act
    const result = run(INPUT, { FUNCTION_OCID: 'ocid1.fnfunc.oc1.iad.aaaaaaaaanother' });
    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--function-id/);
    expect(callsOf(result.calls, 'events rule create')).toEqual([]);
  });

  it('points the Events action at the function the function group names when FUNCTION_OCID is the same', () => {
    // Act
    const result = run(INPUT, { FUNCTION_OCID: FUNCTION_ID });
    // Assess
    expectSuccess(result);
    const action = JSON.parse(argAfter(callsOf(result.calls, 'events rule create')[0] ?? { argv: [], code: 0 }, '--actions') ?? '{}') as {
      actions: { functionId: string }[];
    };
    expect(action.actions.map((item) => item.functionId)).toEqual([FUNCTION_ID]);
  });

  it('creates the dynamic groups in a non-default identity domain, and updates them on a re-run', () => {
    // Prepare
    const plan = planIam(DOMAIN_INPUT);
    run(DOMAIN_INPUT);
    const [first] = oci.state().domainGroups;
    oci.seed({
      domainGroups: oci
        .state()
        .domainGroups.map((group) => (group === first ? group : { ...group, 'matching-rule': 'ANY {instance.id = x}' })),
    });
    // Act
    const second = run(DOMAIN_INPUT);
    // Assess
    expectSuccess(second);
    expect(callsOf(second.calls, 'identity-domains dynamic-resource-group create')).toEqual([]);
    expect(callsOf(second.calls, 'identity-domains dynamic-resource-group patch')).toHaveLength(plan.dynamicGroups.length + 1);
    expect(oci.state().domainGroups.map((group) => group['matching-rule'])).toEqual(plannedRules(plan));
    expect(oci.state().dynamicGroups).toEqual([]);
  });
});

describe('the scheduled reconcile in the generated script', () => {
  it("sets the function's detached timeout, then creates the schedule with the reconcile body, its group and its policy", () => {
    // Prepare
    const plan = planIam(INPUT);
    // Act
    const result = run();
    // Assess
    expectSuccess(result);
    const state = oci.state();
    expect(state.functions.find((fn) => fn.id === FUNCTION_ID)?.['detached-mode-timeout-in-seconds']).toBe(900);
    const [schedule] = state.schedules;
    expect(schedule).toMatchObject({
      'display-name': 'oke-nodepool-tagger-reconcile',
      'compartment-id': WORKERS,
      action: 'START_RESOURCE',
      'recurrence-type': 'CRON',
      'recurrence-details': '0 * * * *',
      resources: [{ id: FUNCTION_ID, parameters: [{ parameterType: 'BODY', value: plan.reconcileSchedule?.body }] }],
    });
    const body = (schedule?.['resources'] as { parameters: { value: JsonObject }[] }[])[0]?.parameters[0]?.value ?? {};
    expect(parseReconcileRequest(body)).toMatchObject({ kind: 'reconcile', apply: true, prune: true });
    const group = state.dynamicGroups.find((item) => item['name'] === 'oke-nodepool-tagger-schedule');
    expect(group?.['matching-rule']).toBe(scheduleMatchingRule(schedule?.id ?? ''));
    expect(state.policies.find((item) => item['name'] === 'oke-nodepool-tagger-schedule')?.['statements']).toEqual(
      plan.reconcileSchedule?.policy.statements,
    );
    const order = result.calls.map((call) => call.argv.slice(0, 3).join(' '));
    expect(order.indexOf('fn function update')).toBeLessThan(order.indexOf('resource-scheduler schedule create'));
  });

  it('updates the same schedule on a re-run, with --force for its resources, and keeps its group on that schedule', () => {
    // Prepare
    run();
    const created = oci.state().schedules[0];
    // Act
    const second = run();
    // Assess
    expectSuccess(second);
    const [update] = callsOf(second.calls, 'resource-scheduler schedule update');
    expect(update && argAfter(update, '--schedule-id')).toBe(created?.id);
    expect(update?.argv).toContain('--force');
    expect(oci.state().schedules.map((schedule) => schedule.id)).toEqual([created?.id]);
    const group = oci.state().dynamicGroups.find((item) => item['name'] === 'oke-nodepool-tagger-schedule');
    expect(group?.['matching-rule']).toBe(scheduleMatchingRule(created?.id ?? ''));
  });

  it("gives the schedule's group in a non-default identity domain a rule naming the schedule, and patches it on a re-run", () => {
    // Prepare
    run(DOMAIN_INPUT);
    // Act
    const second = run(DOMAIN_INPUT);
    // Assess
    expectSuccess(second);
    const schedule = oci.state().schedules[0];
    const group = oci.state().domainGroups.find((item) => item['display-name'] === 'oke-nodepool-tagger-schedule');
    expect(group?.['matching-rule']).toBe(scheduleMatchingRule(schedule?.id ?? ''));
  });

  it('refuses to go on when the schedule has no usable OCID', () => {
    // Prepare: a listed schedule whose id could not stand in a matching rule.
    oci.seed({
      schedules: [
        {
          id: "ocid1.resourceschedule.oc1..x'}",
          'compartment-id': WORKERS,
          'display-name': 'oke-nodepool-tagger-reconcile',
          'lifecycle-state': 'ACTIVE',
        },
      ],
    });
    // Act
    const result = run();
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no usable OCID/);
    expect(callsOf(result.calls, 'iam dynamic-group create').map((call) => argAfter(call, '--name'))).not.toContain(
      'oke-nodepool-tagger-schedule',
    );
  });

  it('touches neither the function nor any schedule without --function-id', () => {
    // Act
    const result = run({ ...INPUT, functionId: undefined }, { FUNCTION_OCID: 'ocid1.fnfunc.oc1.iad.aaaaaaaadeployed' });
    // Assess
    expectSuccess(result);
    expect(callsOf(result.calls, 'fn function update')).toEqual([]);
    expect(result.calls.filter((call) => call.argv[0] === 'resource-scheduler')).toEqual([]);
  });

  it('leaves the schedule and the detached timeout out with --reconcile-schedule none', () => {
    // Act
    const result = run({ ...INPUT, reconcileSchedule: 'none' });
    // Assess
    expectSuccess(result);
    expect(callsOf(result.calls, 'fn function update')).toEqual([]);
    expect(result.calls.filter((call) => call.argv[0] === 'resource-scheduler')).toEqual([]);
  });
});

describe.each(IAM_CASES)('the generated script for golden case $name', (testCase) => {
  it('runs twice in a row against the strict stand-in: it creates, then updates', async () => {
    // Prepare
    const generated = (await iam(caseArgs(testCase))).out;
    const env = {
      TENANCY_OCID: TENANCY,
      IDENTITY_DOMAIN_URL: DOMAIN_URL,
      FUNCTION_OCID: 'ocid1.fnfunc.oc1.iad.aaaaaaaad80bef065006da7640f2096f39f4cf7124b1bde679b50034ba1e',
    };
    // Act
    const first = oci.runScript(generated, env);
    const second = oci.runScript(generated, env);
    // Assess
    expectSuccess(first);
    expectSuccess(second);
    expect(first.stdout).toMatch(/^created /m);
    expect(second.stdout).not.toMatch(/^created /m);
    expect(second.stdout).toMatch(/^updated policy /m);
    const scheduled = testCase.flags.includes('--function-id');
    expect(second.stdout.includes('updated schedule ')).toBe(scheduled);
    expect(oci.state().schedules).toHaveLength(scheduled ? 1 : 0);
  });
});

describe('the generated script without --function-id', () => {
  it('takes FUNCTION_OCID from the environment for the Events action', () => {
    // Prepare
    const input = { ...INPUT, functionId: undefined };
    // Act
    const result = run(input, { FUNCTION_OCID: 'ocid1.fnfunc.oc1.iad.aaaaaaaadeployed' });
    // Assess
    expectSuccess(result);
    const rule = callsOf(result.calls, 'events rule create')[0];
    expect(JSON.parse((rule && argAfter(rule, '--actions')) ?? '{}')).toEqual({
      actions: [{ actionType: 'FAAS', functionId: 'ocid1.fnfunc.oc1.iad.aaaaaaaadeployed', isEnabled: true }],
    });
  });

  it('refuses a FUNCTION_OCID that is not a function OCID before calling OCI', () => {
    // Act
    const result = run({ ...INPUT, functionId: undefined }, { FUNCTION_OCID: 'ocid1.fnfunc.oc1.iad.x"},{"actionType":"ONS' });
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not a function OCID/);
    expect(result.calls).toEqual([]);
  });
});
