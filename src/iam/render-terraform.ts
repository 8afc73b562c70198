/**
 * Renders a plan as Terraform for the OCI provider: the provider
 * requirement, the tag namespace and keys, dynamic groups, policies, Events
 * rules and the scheduled reconcile (the function's detached timeout, the
 * schedule, its dynamic group and policy). Resource labels derive from the generated names, so adding
 * a pool adds resources without renaming existing ones. One builder per
 * resource type; the layout is {@link renderHcl}'s.
 */
import { attribute, BLANK, block, comment, list, object, renderHcl, type HclItem } from './hcl';
import type { DynamicGroupPlan, EventsRulePlan, IamPlan, PolicyPlan, ReconcileSchedulePlan } from './model';
import { shortHash } from './names';
import { hclString } from './quote';
import { usesDomainEndpoint } from './render-cli';
import {
  eventsPolicyComment,
  examplesLines,
  groupComment,
  headerLines,
  restrictionLines,
  scheduleLines,
  schedulePolicyComment,
  warningLines,
} from './render-common';
import { SCHEDULE_ACTION, scheduleMatchingRule } from './schedule';

/** The provider release whose schemas the output was checked against (test/fixtures/terraform-oci-schema.json). */
const OCI_PROVIDER_VERSION = '8.28';

const DRG_SCHEMA = 'urn:ietf:params:scim:schemas:oracle:idcs:DynamicResourceGroup';

/** A stable Terraform label for a name: `[A-Za-z0-9_]`, unique among `taken`. */
function resourceLabel(prefix: string, name: string, taken: Set<string>): string {
  let label = `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`.toLowerCase();
  if (taken.has(label)) label = `${label}_${shortHash(name)}`;
  taken.add(label);
  return label;
}

function providerRequirement(): HclItem {
  return block(
    'terraform',
    [],
    [
      block(
        'required_providers',
        [],
        [object('oci', [attribute('source', '"oracle/oci"'), attribute('version', `"~> ${OCI_PROVIDER_VERSION}"`)])],
      ),
    ],
  );
}

function variable(name: string, description: string, defaultValue?: string): HclItem {
  const body = [attribute('type', 'string'), attribute('description', hclString(description))];
  return block('variable', [name], defaultValue === undefined ? body : [...body, attribute('default', defaultValue)]);
}

/**
 * Where the Events action's function comes from. With --function-id it is a
 * local holding the same value the function's dynamic group names, so the
 * two cannot point at different functions; without, a required variable
 * (the group then admits every function of the compartment).
 */
function functionSource(plan: IamPlan): { readonly items: HclItem[]; readonly reference: string } {
  if (plan.functionId === undefined)
    return { items: [variable('function_id', 'OCID of the deployed oke-nodepool-tagger function'), BLANK], reference: 'var.function_id' };
  return {
    items: [
      comment(['The function (--function-id) that its dynamic group names and the Events rules call; regenerate to change it.']),
      block('locals', [], [attribute('function_id', hclString(plan.functionId))]),
      BLANK,
    ],
    reference: 'local.function_id',
  };
}

function tagResources(plan: IamPlan, labels: Set<string>): { readonly items: HclItem[]; readonly keyRefs: string[] } {
  const items: HclItem[] = [
    block(
      'resource',
      ['oci_identity_tag_namespace', 'nodepool_tags'],
      [
        attribute(
          'compartment_id',
          plan.tagNamespaceCompartmentId === undefined ? 'var.tenancy_ocid' : hclString(plan.tagNamespaceCompartmentId),
        ),
        attribute('name', hclString(plan.tagNamespace)),
        attribute('description', hclString('Tags written by oke-nodepool-tagger; dynamic groups match on them')),
      ],
    ),
    BLANK,
  ];
  const keyRefs: string[] = [];
  for (const [index, key] of plan.tagKeys.entries()) {
    const label = resourceLabel('key', key, labels);
    keyRefs.push(`oci_identity_tag.${label}`);
    const description =
      index === 0 ? "The node pool's name (written by oke-nodepool-tagger)" : "The cluster's name (written by oke-nodepool-tagger)";
    items.push(
      block(
        'resource',
        ['oci_identity_tag', label],
        [
          attribute('tag_namespace_id', 'oci_identity_tag_namespace.nodepool_tags.id'),
          attribute('name', hclString(key)),
          attribute('description', hclString(description)),
        ],
      ),
      BLANK,
    );
  }
  return { items, keyRefs };
}

/** A dynamic group; `matchingRule` is an HCL expression, so that a rule may refer to another resource. */
function dynamicGroup(
  group: Pick<DynamicGroupPlan, 'name' | 'description'>,
  matchingRule: string,
  label: string,
  domain: boolean,
  dependsOn: readonly string[],
): { readonly item: HclItem; readonly ref: string } {
  const type = domain ? 'oci_identity_domains_dynamic_resource_group' : 'oci_identity_dynamic_group';
  const home = domain
    ? [attribute('idcs_endpoint', 'var.identity_domain_url'), attribute('display_name', hclString(group.name))]
    : [attribute('compartment_id', 'var.tenancy_ocid'), attribute('name', hclString(group.name))];
  const body = [
    ...home,
    attribute('description', hclString(group.description)),
    attribute('matching_rule', matchingRule),
    ...(domain ? [attribute('schemas', `[${hclString(DRG_SCHEMA)}]`)] : []),
    ...(dependsOn.length > 0 ? [attribute('depends_on', `[${dependsOn.join(', ')}]`)] : []),
  ];
  return { ref: `${type}.${label}`, item: block('resource', [type, label], body) };
}

function policy(plan: PolicyPlan, label: string, dependsOn: readonly string[]): HclItem {
  return block(
    'resource',
    ['oci_identity_policy', label],
    [
      attribute('compartment_id', 'var.tenancy_ocid'),
      attribute('name', hclString(plan.name)),
      attribute('description', hclString(plan.description)),
      list('statements', plan.statements.map(hclString)),
      ...(dependsOn.length > 0 ? [attribute('depends_on', `[${dependsOn.join(', ')}]`)] : []),
    ],
  );
}

function eventsRule(rule: EventsRulePlan, label: string, functionRef: string): HclItem {
  return block(
    'resource',
    ['oci_events_rule', label],
    [
      attribute('compartment_id', hclString(rule.compartmentId)),
      attribute('display_name', hclString(rule.name)),
      attribute('description', hclString(rule.description)),
      attribute('is_enabled', 'true'),
      attribute('condition', hclString(rule.conditionJson)),
      block(
        'actions',
        [],
        [block('action', [], [attribute('action_type', '"FAAS"'), attribute('is_enabled', 'true'), attribute('function_id', functionRef)])],
      ),
    ],
  );
}

/** Stands for the schedule's OCID in the matching rule until it becomes a reference. */
const SCHEDULE_OCID_TOKEN = 'SCHEDULEOCIDTOKEN';

/**
 * The function's detached timeout. The function comes from `fn deploy`, so
 * the resource adopts it (import first) and takes the arguments that would
 * replace it from the function as it is.
 */
function detachedTimeout(schedule: ReconcileSchedulePlan, functionRef: string): HclItem[] {
  const current = (name: string) => attribute(name, `data.oci_functions_function.tagger.${name}`);
  return [
    comment([
      'The function was created by "fn deploy": import it once before the first apply,',
      '  terraform import oci_functions_function.tagger <function OCID>',
      'The arguments that would replace it are read from the function itself; only the timeout changes.',
    ]),
    block('data', ['oci_functions_function', 'tagger'], [attribute('function_id', functionRef)]),
    BLANK,
    block(
      'resource',
      ['oci_functions_function', 'tagger'],
      [
        current('application_id'),
        current('display_name'),
        current('memory_in_mbs'),
        attribute('detached_mode_timeout_in_seconds', String(schedule.detachedTimeoutSeconds)),
      ],
    ),
    BLANK,
  ];
}

/** The schedule, its dynamic group and its policy; printed commented out when not enabled. */
function scheduleItems(plan: IamPlan, schedule: ReconcileSchedulePlan, functionRef: string, labels: Set<string>): HclItem[] {
  const scheduleLabel = resourceLabel('schedule', schedule.name, labels);
  const rule = hclString(scheduleMatchingRule(SCHEDULE_OCID_TOKEN)).replace(
    SCHEDULE_OCID_TOKEN,
    `\${oci_resource_scheduler_schedule.${scheduleLabel}.id}`,
  );
  const group = dynamicGroup(schedule.group, rule, resourceLabel('dg', schedule.group.name, labels), usesDomainEndpoint(plan), []);
  const resources: HclItem[] = [
    ...detachedTimeout(schedule, functionRef),
    block(
      'resource',
      ['oci_resource_scheduler_schedule', scheduleLabel],
      [
        attribute('compartment_id', hclString(schedule.compartmentId)),
        attribute('display_name', hclString(schedule.name)),
        attribute('description', hclString(schedule.description)),
        attribute('action', hclString(SCHEDULE_ACTION)),
        attribute('recurrence_type', '"CRON"'),
        attribute('recurrence_details', hclString(schedule.cron)),
        block(
          'resources',
          [],
          [
            attribute('id', functionRef),
            block('parameters', [], [attribute('parameter_type', '"BODY"'), attribute('value', `[${hclString(schedule.bodyJson)}]`)]),
          ],
        ),
        attribute('depends_on', '[oci_functions_function.tagger]'),
      ],
    ),
    BLANK,
    comment(schedulePolicyComment()),
    group.item,
    BLANK,
    policy(schedule.policy, resourceLabel('policy', schedule.policy.name, labels), [group.ref]),
  ];
  return [
    comment(['The scheduled reconcile.', ...scheduleLines(schedule)]),
    BLANK,
    ...(schedule.enabled ? resources : [comment(renderHcl(resources))]),
    BLANK,
  ];
}

/** The whole configuration. `reconcileCommand` is shown in the closing warning. */
export function renderTerraform(plan: IamPlan, reconcileCommand: string): string {
  const domain = usesDomainEndpoint(plan);
  const labels = new Set<string>();
  const fn = functionSource(plan);
  const tags = tagResources(plan, labels);
  const items: HclItem[] = [
    comment(headerLines(plan, 'Terraform')),
    comment([
      '',
      'An existing tag namespace or key must be imported first, e.g.',
      '  terraform import oci_identity_tag_namespace.nodepool_tags <namespace OCID>',
    ]),
    comment(warningLines(plan)),
    BLANK,
    providerRequirement(),
    BLANK,
    variable('tenancy_ocid', 'OCID of the tenancy (dynamic groups and policies live there)'),
    BLANK,
    ...fn.items,
    ...(domain ? [variable('identity_domain_url', `URL of identity domain ${plan.identityDomain ?? ''}`), BLANK] : []),
    ...tags.items,
  ];
  const groupRefs: string[] = [];
  for (const group of plan.dynamicGroups) {
    const dependsOn = group.kind === 'function' ? [] : tags.keyRefs;
    const { item, ref } = dynamicGroup(group, hclString(group.matchingRule), resourceLabel('dg', group.name, labels), domain, dependsOn);
    groupRefs.push(ref);
    items.push(comment(groupComment(group)), item, BLANK);
  }
  for (const [index, planned] of plan.policies.entries()) {
    if (index === 1) items.push(comment(eventsPolicyComment()));
    const dependsOn = index === 0 ? [groupRefs[0] ?? '', 'oci_identity_tag_namespace.nodepool_tags'] : [];
    items.push(policy(planned, resourceLabel('policy', planned.name, labels), dependsOn), BLANK);
  }
  for (const rule of plan.eventsRules)
    items.push(eventsRule(rule, resourceLabel('launch', rule.compartmentId.slice(-12), labels), fn.reference), BLANK);
  if (plan.reconcileSchedule !== undefined) items.push(...scheduleItems(plan, plan.reconcileSchedule, fn.reference, labels));
  items.push(comment([...examplesLines(plan), '']), comment(restrictionLines(plan, reconcileCommand)));
  return `${renderHcl(items).join('\n')}\n`;
}
