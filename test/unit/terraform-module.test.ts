/**
 * The Terraform module of deploy/terraform, checked without a network or a
 * terraform binary: every file parsed by a real HCL2 parser, laid out as
 * `terraform fmt` lays it out, every resource type and argument known to the
 * pinned provider release (test/fixtures/terraform-oci-schema.json), and the
 * rules the function depends on (event types, reconcile body, config keys,
 * least-privilege statements) the same as the TypeScript that defines them.
 * `.ci/run` adds `terraform fmt -check -recursive` when a binary is on PATH.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { INSTANCE_EVENT_TYPES, NODE_POOL_EVENT_TYPES } from '../../src/event/event-types';
import { parseReconcileRequest } from '../../src/event/reconcile-request';
import { DEFAULT_DETACHED_TIMEOUT_SECONDS, DEFAULT_RECONCILE_CRON, SCHEDULE_ACTION, scheduleMatchingRule } from '../../src/iam/schedule';
import { checkMatchingRule, checkPolicyStatement } from '../../src/iam/validate';
import { layoutProblems } from '../helpers/hcl-layout';
import {
  expression,
  loadTerraform,
  MODULE_DIR,
  ociRequirement,
  parseHcl,
  SCHEMA,
  schemaProblems,
  TERRAFORM_DIR,
  terraformFiles,
  type Body,
  type TerraformConfig,
} from '../helpers/terraform-module';

const COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaae39f1540625789c9e1049b03d6dc7275aab4c7a4728bbcd5e51a';
const WORKERS = 'ocid1.compartment.oc1..aaaaaaaacea7261b345d52478722754a92889d93b7c01365898c83a6e0b5';
const FUNCTION = 'ocid1.fnfunc.oc1.iad.aaaaaaaad80bef065006da7640f2096f39f4cf7124b1bde679b50034ba1e';
const SCHEDULE = 'ocid1.resourceschedule.oc1.iad.aaaaaaaa5cbd1e0b4f6a2c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d';

let tagger: TerraformConfig;
beforeAll(async () => {
  tagger = await loadTerraform(MODULE_DIR);
});

function resource(type: string, label: string): Body {
  const found = tagger.resources.find((entry) => entry.type === type && entry.label === label);
  if (found === undefined) throw new Error(`the module has no ${type}.${label}`);
  return found.body;
}

function block(body: Body, name: string): Body {
  return ((body[name] as Body[] | undefined) ?? [])[0] ?? {};
}

function variableDefault(name: string): unknown {
  const variable = tagger.variables.get(name);
  if (variable === undefined) throw new Error(`the module has no variable ${name}`);
  return variable['default'];
}

/** An interpolated module string with its references replaced by sample values, as Terraform would render it. */
function render(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([^}]+)\}/g, (whole, reference: string) => {
    const value = values[reference];
    if (value === undefined) throw new Error(`no sample value for ${whole}`);
    return value;
  });
}

describe('the files of deploy/terraform', () => {
  const files = terraformFiles(TERRAFORM_DIR);

  it('parse as HCL2, every one of them', async () => {
    // Act
    const parsed = await Promise.all(files.map((file) => parseHcl(file, readFileSync(join(TERRAFORM_DIR, file), 'utf8'))));
    // Assess
    expect(files.length).toBeGreaterThanOrEqual(13);
    expect(parsed.every((result) => Object.keys(result).length > 0)).toBe(true);
  });

  it('are checked by a parser that refuses broken HCL', async () => {
    // Act
    const broken = parseHcl('broken.tf', 'resource "oci_events_rule" "x" {\n  is_enabled = true\n');
    // Assess
    await expect(broken).rejects.toThrow(/Unclosed configuration block/);
  });

  it('are laid out as terraform fmt lays them out', () => {
    // Act
    const problems = files.flatMap((file) =>
      layoutProblems(readFileSync(join(TERRAFORM_DIR, file), 'utf8')).map((problem) => `${file}: ${problem}`),
    );
    // Assess
    expect(problems).toEqual([]);
  });
});

describe('the module oke-nodepool-tagger', () => {
  it('uses only resource types, arguments and blocks of the provider schema, with every required one', () => {
    // Act
    const problems = tagger.resources.flatMap(({ type, label, body }) => {
      const schema = SCHEMA.resources[type];
      return schema === undefined
        ? [`resource type ${type} is not in the schema`]
        : schemaProblems(body, schema, `${type}.${label}`, SCHEMA.metaArguments);
    });
    // Assess
    expect(tagger.resources.length).toBeGreaterThanOrEqual(20);
    expect(tagger.dataSources).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('requires the oracle/oci provider, pinned to the minor version the schema was read from', () => {
    // Prepare
    const [major, minor] = SCHEMA.provider.version.split('.');
    // Act
    const oci = ociRequirement(tagger);
    // Assess
    expect(oci).toEqual({ source: SCHEMA.provider.source, version: `~> ${major}.${minor}` });
  });

  it('writes every matching rule on one line, and ignores the defined tags OCI adds', () => {
    // Prepare
    const groups = tagger.resources.filter((entry) => entry.type === 'oci_identity_dynamic_group');
    // Act
    const rules = groups.map(({ body }) => body['matching_rule']);
    const ignoring = tagger.resources.filter(
      ({ body }) => expression(block(body, 'lifecycle')['ignore_changes']) === '["${defined_tags}"]',
    );
    // Assess
    expect(rules.length).toBe(3);
    for (const rule of rules) expect(rule).toMatch(/^[^\n]+$/);
    expect(ignoring.length).toBe(tagger.resources.length);
  });

  it('subscribes the event types the function acts on, one rule per compartment filtered on data.compartmentId', () => {
    // Prepare
    const rule = resource('oci_events_rule', 'tagger');
    // Act
    const condition = expression(rule['condition']);
    const action = block(block(rule, 'actions'), 'action');
    // Assess
    expect(tagger.locals['instance_event_types']).toEqual(INSTANCE_EVENT_TYPES);
    expect(tagger.locals['node_pool_event_types']).toEqual(NODE_POOL_EVENT_TYPES);
    expect(expression(tagger.locals['events_rules'])).toMatch(
      /contains\(var\.instance_compartment_ids, id\) \? local\.instance_event_types : \[\],\s+contains\(var\.pool_compartment_ids, id\) \? local\.node_pool_event_types : \[\]/,
    );
    expect(expression(rule['for_each'])).toBe('local.events_rules');
    expect(condition).toMatch(/eventType = each\.value\s+data\s+= \{ compartmentId = \[each\.key\] \}/);
    expect(action).toEqual({ action_type: 'FAAS', is_enabled: true, function_id: '${oci_functions_function.tagger.id}' });
  });

  it("fails the plan when its rules would pass the tenancy's 50, less those the operator declares", () => {
    // Act
    const precondition = block(block(resource('oci_events_rule', 'tagger'), 'lifecycle'), 'precondition');
    // Assess
    expect(variableDefault('events_rule_limit')).toBe(50);
    expect(variableDefault('existing_events_rules')).toBe(0);
    expect(expression(tagger.locals['events_rule_budget'])).toBe('var.events_rule_limit - var.existing_events_rules');
    expect(expression(precondition['condition'])).toBe('length(local.events_rules) <= local.events_rule_budget');
    expect(precondition['error_message']).toMatch(/limit/);
  });

  it('sends the schedule a reconcile request that the function accepts, applying and pruning', () => {
    // Prepare
    const schedule = resource('oci_resource_scheduler_schedule', 'reconcile');
    const lists: Record<string, string[]> = { 'var.pool_compartment_ids': [COMPARTMENT], 'var.instance_compartment_ids': [WORKERS] };
    // Act
    const body = Object.fromEntries(
      Object.entries(tagger.locals['reconcile_body'] as Body).map(([key, value]) => [key, lists[expression(value)] ?? value]),
    );
    const request = parseReconcileRequest(body);
    const parameters = block(block(schedule, 'resources'), 'parameters');
    // Assess
    expect(request).toMatchObject({
      kind: 'reconcile',
      poolCompartmentIds: [COMPARTMENT],
      instanceCompartmentIds: [WORKERS],
      apply: true,
      prune: true,
    });
    expect(parameters).toEqual({ parameter_type: 'BODY', value: ['${jsonencode(local.reconcile_body)}'] });
    expect(schedule['action']).toBe(SCHEDULE_ACTION);
    expect(schedule['recurrence_type']).toBe('CRON');
    expect(variableDefault('reconcile_schedule_cron')).toBe(DEFAULT_RECONCILE_CRON);
    expect(variableDefault('detached_timeout_in_seconds')).toBe(DEFAULT_DETACHED_TIMEOUT_SECONDS);
    expect(resource('oci_functions_function', 'tagger')['detached_mode_timeout_in_seconds']).toBe('${var.detached_timeout_in_seconds}');
  });

  it("names the schedule's own OCID in its dynamic group, as the planner does", () => {
    // Act
    const rule = resource('oci_identity_dynamic_group', 'schedule')['matching_rule'] as string;
    // Assess
    expect(rule).toBe(scheduleMatchingRule('${oci_resource_scheduler_schedule.reconcile[0].id}'));
    expect(checkMatchingRule(render(rule, { 'oci_resource_scheduler_schedule.reconcile[0].id': SCHEDULE }))).toEqual([]);
  });

  it('configures the function with keys it reads, whose defaults it accepts', () => {
    // Prepare
    const source = expression(tagger.locals['function_config']);
    const keysRead = new Set(
      [...readFileSync(join(__dirname, '..', '..', 'src', 'config.ts'), 'utf8').matchAll(/\(env, '([a-z_]+)'/g)].map((m) => m[1]),
    );
    // Act
    const entries = [...source.matchAll(/^\s+([a-z_]+)\s+= (.+)$/gm)].map(([, key, value]) => ({
      key: key as string,
      variable: /var\.([a-z_]+)/.exec(value as string)?.[1] ?? '',
    }));
    const env: Record<string, string> = {};
    for (const { key, variable } of entries) {
      const value = variableDefault(variable);
      if (value !== null && !(Array.isArray(value) && value.length === 0))
        env[key] = Array.isArray(value) ? value.join(',') : String(value);
    }
    const config = loadConfig(env);
    // Assess
    expect(entries.length).toBe(13);
    expect(entries.map(({ key }) => key).filter((key) => !keysRead.has(key))).toEqual([]);
    expect(config).toMatchObject({
      tagNamespace: 'oke-nodepool-tags',
      tagName: 'oke-nodepool-name',
      dryRun: false,
      timeoutSeconds: 60,
      allowReconcile: true,
    });
    expect(resource('oci_functions_function', 'tagger')['config']).toBe('${local.function_config}');
  });

  it('grants only least-privilege statements the checker accepts, and one-line rules the checker accepts', () => {
    // Prepare
    const text = ['locals.tf', 'iam.tf', 'schedule.tf'].map((file) => readFileSync(join(MODULE_DIR, file), 'utf8')).join('\n');
    const samples = {
      id: COMPARTMENT,
      'var.compartment_ocid': COMPARTMENT,
      'var.tag_namespace': 'oke-nodepool-tags',
      'local.tag_namespace_location': 'tenancy',
      'local.function_group_name': 'oke-nodepool-tagger-fn',
      'oci_identity_dynamic_group.schedule[0].name': 'oke-nodepool-tagger-schedule',
      'oci_functions_function.tagger.id': FUNCTION,
    };
    // Act
    const statements = [...text.matchAll(/"(Allow [^"]+)"/g)].map(([, statement]) => render(statement as string, samples));
    const functionGroup = resource('oci_identity_dynamic_group', 'function');
    const functionRule = render(functionGroup['matching_rule'] as string, samples);
    // Assess
    expect(statements.length).toBe(6);
    expect(statements.flatMap(checkPolicyStatement)).toEqual([]);
    expect(statements.join('\n')).not.toMatch(/all-resources|manage\s+instance-family/i);
    expect(functionRule).toBe(`ALL {resource.type = 'fnfunc', resource.compartment.id = '${COMPARTMENT}', resource.id = '${FUNCTION}'}`);
    expect(checkMatchingRule(functionRule)).toEqual([]);
    expect(functionGroup['name']).toBe('${local.function_group_name}');
    expect(expression(tagger.locals['function_group_name'])).toBe('${local.name}-fn');
  });

  it("splits the function's statements over policies of at most 50, the first keeping its name and address", () => {
    // Prepare
    const first = resource('oci_identity_policy', 'function');
    const overflow = resource('oci_identity_policy', 'function_overflow');
    // Act
    const statements = expression(tagger.locals['function_policy_statements']);
    // Assess
    expect(expression(tagger.locals['function_policy_chunks'])).toBe('chunklist(local.function_policy_statements, 50)');
    expect(first).toMatchObject({ name: '${local.name}-fn', statements: '${local.function_policy_chunks[0]}' });
    expect(overflow).toMatchObject({
      count: '${length(local.function_policy_chunks) - 1}',
      name: '${local.name}-fn-${count.index + 2}',
      statements: '${local.function_policy_chunks[count.index + 1]}',
    });
    expect(first['depends_on']).toEqual(['${oci_identity_dynamic_group.function}']);
    expect(overflow['depends_on']).toEqual(['${oci_identity_dynamic_group.function}']);
    expect(statements).not.toContain('var.instance_compartment_ids');
    expect(expression(tagger.locals['instance_compartment_ids'])).toBe('distinct(var.instance_compartment_ids)');
    expect(expression(tagger.locals['cluster_compartment_ids'])).toMatch(/^sort\(distinct\(/);
  });

  it('refuses to destroy the tag namespace and keys, whose loss empties every pool group', () => {
    // Act
    const lifecycles = ['tagger', 'pool', 'cluster'].map((label) =>
      block(resource(label === 'tagger' ? 'oci_identity_tag_namespace' : 'oci_identity_tag', label), 'lifecycle'),
    );
    // Assess
    for (const lifecycle of lifecycles) expect(lifecycle).toEqual({ ignore_changes: ['${defined_tags}'], prevent_destroy: true });
  });

  it('takes "" for a cleared optional field as null, as Resource Manager may send it', () => {
    // Prepare
    const cleared = (name: string) => `var.${name} == "" ? null : var.${name}`;
    // Act
    const schedules = ['oci_resource_scheduler_schedule', 'oci_identity_dynamic_group', 'oci_identity_policy'].map(
      (type) => resource(type, type === 'oci_resource_scheduler_schedule' ? 'reconcile' : 'schedule')['count'],
    );
    // Assess
    for (const name of ['tag_namespace_compartment_id', 'reconcile_schedule_cron', 'alarm_email'])
      expect(expression(tagger.locals[name])).toBe(cleared(name));
    expect(expression(tagger.locals['tag_namespace_location'])).toMatch(/^local\.tag_namespace_compartment_id == null/);
    expect(resource('oci_identity_tag_namespace', 'tagger')['compartment_id']).toBe(
      '${coalesce(local.tag_namespace_compartment_id, var.tenancy_ocid)}',
    );
    expect(schedules).toEqual(Array(3).fill('${local.reconcile_schedule_cron == null ? 0 : 1}'));
    expect(resource('oci_resource_scheduler_schedule', 'reconcile')['recurrence_details']).toBe('${local.reconcile_schedule_cron}');
    expect(resource('oci_ons_subscription', 'email')).toMatchObject({
      count: '${var.enable_alarms && local.alarm_email != null ? 1 : 0}',
      endpoint: '${local.alarm_email}',
    });
  });

  it('validates every compartment input as an OCID, the cron as five fields, and the rule counts as not negative', () => {
    // Prepare
    const conditions = (name: string) =>
      ((tagger.variables.get(name)?.['validation'] as Body[] | undefined) ?? []).map((validation) => expression(validation['condition']));
    // Act
    const compartments = [
      'tenancy_ocid',
      'compartment_ocid',
      'search_compartment_ids',
      'tag_namespace_compartment_id',
      'instance_compartment_ids',
      'pool_compartment_ids',
    ];
    // Assess
    for (const name of compartments)
      expect({ name, ocid: conditions(name).some((c) => c.includes('^ocid1\\\\.')) }).toEqual({ name, ocid: true });
    expect(conditions('reconcile_schedule_cron').join('\n')).toContain('(\\\\s+\\\\S+){4}');
    expect(conditions('events_rule_limit').join('\n')).toContain('var.events_rule_limit >= 0');
    expect(conditions('existing_events_rules').join('\n')).toContain('var.existing_events_rules >= 0');
  });

  it("logs the application's invocations and each Events rule's executions", () => {
    // Act
    const invoke = block(block(resource('oci_logging_log', 'invoke'), 'configuration'), 'source');
    const rules = resource('oci_logging_log', 'rule_execution');
    // Assess
    expect(invoke).toEqual({
      category: 'invoke',
      resource: '${oci_functions_application.tagger.id}',
      service: 'functions',
      source_type: 'OCISERVICE',
    });
    expect(expression(rules['for_each'])).toBe('oci_events_rule.tagger');
    expect(block(block(rules, 'configuration'), 'source')).toEqual({
      category: 'ruleexecutionlog',
      resource: '${each.value.id}',
      service: 'cloudevents',
      source_type: 'OCISERVICE',
    });
  });

  it('alarms on failed Events deliveries and on function errors, to the Notifications topic', () => {
    // Act
    const delivery = resource('oci_monitoring_alarm', 'delivery_failed');
    const errors = resource('oci_monitoring_alarm', 'function_errors');
    // Assess
    expect(delivery).toMatchObject({
      namespace: 'oci_cloudevents',
      metric_compartment_id: '${each.key}',
      destinations: ['${oci_ons_notification_topic.alarms[0].id}'],
    });
    expect(delivery['query']).toMatch(/^DeliveryFailedEvents\[/);
    expect(errors).toMatchObject({ namespace: 'oci_faas', destinations: ['${oci_ons_notification_topic.alarms[0].id}'] });
    expect(errors['query']).toContain('resourceId = "${oci_functions_function.tagger.id}"');
    expect(errors['query']).toContain('responseType = "Error"');
    expect(errors['query']).not.toContain('!=');
  });
});
