/**
 * The Terraform builders that several parts of the configuration share: a
 * stable label per generated name, a dynamic group (classic or in an
 * identity domain) and a policy.
 */
import { attribute, block, list, type HclItem } from './hcl';
import type { DynamicGroupPlan, PolicyPlan } from './model';
import { shortHash } from './names';
import { hclString } from './quote';

const DRG_SCHEMA = 'urn:ietf:params:scim:schemas:oracle:idcs:DynamicResourceGroup';

/** A stable Terraform label for a name: `[A-Za-z0-9_]`, unique among `taken`. */
export function resourceLabel(prefix: string, name: string, taken: Set<string>): string {
  let label = `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`.toLowerCase();
  if (taken.has(label)) label = `${label}_${shortHash(name)}`;
  taken.add(label);
  return label;
}

/** A dynamic group; `matchingRule` is an HCL expression, so that a rule may refer to another resource. */
export function dynamicGroup(
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

/** A policy attached to the tenancy. */
export function policy(plan: PolicyPlan, label: string, dependsOn: readonly string[]): HclItem {
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
