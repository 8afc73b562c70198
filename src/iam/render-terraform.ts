/**
 * Renders a plan as Terraform for the OCI provider: the tag namespace and
 * keys, dynamic groups, policies and Events rules. Resource labels derive
 * from the generated names, so adding a pool adds resources without
 * renaming existing ones.
 */
import type { IamPlan } from './model';
import { shortHash } from './names';
import { hclString } from './quote';
import { usesDomainEndpoint } from './render-cli';
import { eventsPolicyComment, examplesLines, groupComment, headerLines, restrictionLines, warningLines } from './render-common';

/** A stable Terraform label for a name: `[A-Za-z0-9_]`, unique among `taken`. */
function resourceLabel(prefix: string, name: string, taken: Set<string>): string {
  let label = `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`.toLowerCase();
  if (taken.has(label)) label = `${label}_${shortHash(name)}`;
  taken.add(label);
  return label;
}

function comments(lines: readonly string[], indent = ''): string[] {
  return lines.map((line) => (line === '' ? `${indent}#` : `${indent}# ${line}`));
}

/** The whole configuration. `reconcileCommand` is shown in the closing warning. */
export function renderTerraform(plan: IamPlan, reconcileCommand: string): string {
  const out: string[] = [...comments(headerLines(plan, 'Terraform'))];
  out.push(
    '#',
    '# An existing tag namespace or key must be imported first, e.g.',
    '#   terraform import oci_identity_tag_namespace.nodepool_tags <namespace OCID>',
  );
  out.push(...comments(warningLines(plan)), '');

  out.push(
    'variable "tenancy_ocid" {',
    '  type        = string',
    '  description = "OCID of the tenancy (dynamic groups and policies live there)"',
    '}',
    '',
  );
  out.push('variable "function_id" {', '  type        = string', '  description = "OCID of the deployed oke-nodepool-tagger function"');
  if (plan.functionId !== undefined) out.push(`  default     = ${hclString(plan.functionId)}`);
  out.push('}', '');
  const domain = usesDomainEndpoint(plan);
  if (domain)
    out.push(
      'variable "identity_domain_url" {',
      '  type        = string',
      `  description = ${hclString(`URL of identity domain ${plan.identityDomain ?? ''}`)}`,
      '}',
      '',
    );

  const labels = new Set<string>();
  out.push('resource "oci_identity_tag_namespace" "nodepool_tags" {');
  out.push(
    `  compartment_id = ${plan.tagNamespaceCompartmentId === undefined ? 'var.tenancy_ocid' : hclString(plan.tagNamespaceCompartmentId)}`,
  );
  out.push(
    `  name           = ${hclString(plan.tagNamespace)}`,
    `  description    = ${hclString('Tags written by oke-nodepool-tagger; dynamic groups match on them')}`,
    '}',
    '',
  );
  const keyLabels: string[] = [];
  for (const [index, key] of plan.tagKeys.entries()) {
    const label = resourceLabel('key', key, labels);
    keyLabels.push(`oci_identity_tag.${label}`);
    out.push(`resource "oci_identity_tag" "${label}" {`, '  tag_namespace_id = oci_identity_tag_namespace.nodepool_tags.id');
    out.push(
      `  name             = ${hclString(key)}`,
      `  description      = ${hclString(index === 0 ? "The node pool's name (written by oke-nodepool-tagger)" : "The cluster's name (written by oke-nodepool-tagger)")}`,
      '}',
      '',
    );
  }

  const groupRefs: string[] = [];
  for (const group of plan.dynamicGroups) {
    const label = resourceLabel('dg', group.name, labels);
    out.push(...comments(groupComment(group)));
    if (domain) {
      groupRefs.push(`oci_identity_domains_dynamic_resource_group.${label}`);
      out.push(`resource "oci_identity_domains_dynamic_resource_group" "${label}" {`, '  idcs_endpoint = var.identity_domain_url');
      out.push(
        `  display_name  = ${hclString(group.name)}`,
        `  description   = ${hclString(group.description)}`,
        `  matching_rule = ${hclString(group.matchingRule)}`,
      );
      out.push('  schemas       = ["urn:ietf:params:scim:schemas:oracle:idcs:DynamicResourceGroup"]');
    } else {
      groupRefs.push(`oci_identity_dynamic_group.${label}`);
      out.push(`resource "oci_identity_dynamic_group" "${label}" {`, '  compartment_id = var.tenancy_ocid');
      out.push(
        `  name           = ${hclString(group.name)}`,
        `  description    = ${hclString(group.description)}`,
        `  matching_rule  = ${hclString(group.matchingRule)}`,
      );
    }
    if (group.kind !== 'function') out.push(`  depends_on = [${keyLabels.join(', ')}]`);
    out.push('}', '');
  }

  for (const [index, policy] of plan.policies.entries()) {
    if (index === 1) out.push(...comments(eventsPolicyComment()));
    const label = resourceLabel('policy', policy.name, labels);
    out.push(`resource "oci_identity_policy" "${label}" {`, '  compartment_id = var.tenancy_ocid');
    out.push(`  name           = ${hclString(policy.name)}`, `  description    = ${hclString(policy.description)}`, '  statements = [');
    for (const statement of policy.statements) out.push(`    ${hclString(statement)},`);
    out.push('  ]');
    if (index === 0) out.push(`  depends_on = [${[groupRefs[0] ?? '', 'oci_identity_tag_namespace.nodepool_tags'].join(', ')}]`);
    out.push('}', '');
  }

  for (const rule of plan.eventsRules) {
    const label = resourceLabel('launch', rule.compartmentId.slice(-12), labels);
    out.push(`resource "oci_events_rule" "${label}" {`, `  compartment_id = ${hclString(rule.compartmentId)}`);
    out.push(
      `  display_name   = ${hclString(rule.name)}`,
      `  description    = ${hclString(rule.description)}`,
      '  is_enabled     = true',
      `  condition      = ${hclString(rule.conditionJson)}`,
    );
    out.push(
      '  actions {',
      '    actions {',
      '      action_type = "FAAS"',
      '      is_enabled  = true',
      '      function_id = var.function_id',
      '    }',
      '  }',
      '}',
      '',
    );
  }

  out.push(...comments(examplesLines(plan)), '#');
  out.push(...comments(restrictionLines(plan, reconcileCommand)));
  return `${out.join('\n')}\n`;
}
