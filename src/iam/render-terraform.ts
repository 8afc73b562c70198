/**
 * Renders a plan as Terraform for the OCI provider: the provider
 * requirement, the tag namespace and keys, dynamic groups, policies, Events
 * rules and the scheduled reconcile (the function's detached timeout, the
 * schedule, its dynamic group and policy). Resource labels derive from the generated names, so adding
 * a pool adds resources without renaming existing ones. One builder per
 * resource type; the layout is {@link renderHcl}'s.
 */
import { attribute, BLANK, block, comment, object, renderHcl, type HclItem } from './hcl';
import type { EventsRulePlan, IamPlan } from './model';
import { hclString } from './quote';
import { usesDomainEndpoint } from './render-cli';
import { eventsPolicyComment, examplesLines, groupComment, headerLines, restrictionLines, warningLines } from './render-common';
import { scheduleItems } from './render-terraform-schedule';
import { dynamicGroup, policy, resourceLabel } from './terraform-resources';

/** The provider release whose schemas the output was checked against (test/fixtures/terraform-oci-schema.json). */
const OCI_PROVIDER_VERSION = '8.28';

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
    // Every policy but the Events one (index 1) names the function's group and the tag namespace.
    const dependsOn = index === 1 ? [] : [groupRefs[0] ?? '', 'oci_identity_tag_namespace.nodepool_tags'];
    items.push(policy(planned, resourceLabel('policy', planned.name, labels), dependsOn), BLANK);
  }
  for (const rule of plan.eventsRules)
    items.push(eventsRule(rule, resourceLabel('launch', rule.compartmentId.slice(-12), labels), fn.reference), BLANK);
  if (plan.reconcileSchedule !== undefined) items.push(...scheduleItems(plan, plan.reconcileSchedule, fn.reference, labels));
  items.push(comment([...examplesLines(plan), '']), comment(restrictionLines(plan, reconcileCommand)));
  return `${renderHcl(items).join('\n')}\n`;
}
