/**
 * doctor's "who else can tag" checks (warnings). Whoever may use our tag
 * namespace can write a pool's tag onto an instance of their own and so
 * move it into that pool's dynamic group. Any statement granting `use` or
 * `manage` on `tag-namespaces` (or a family covering it, `all-resources`)
 * to anyone but the function is a warning, unless its condition excludes
 * our namespace; the Administrators group is listed as information only.
 * And a dynamic group that matches our tag without an
 * `instance.compartment.id` or `instance.id` constraint admits tagged VMs
 * of any compartment.
 */
import { check, unknownCheck, type CheckResult, type DoctorFacts } from './doctor-model';
import { functionGroups } from './doctor-rights';
import { parseMatchingRule, type RuleNode } from './matching-rule';
import type { Principal } from './policy-statement-evaluate';
import { findTagNamespaceGrants } from './policy-statement-tag-grants';
import type { PolicySubject } from './policy-statement';
import { describeStatement } from './doctor-grant-search';

const ADMINISTRATORS = 'administrators';

function namesPrincipal(subject: PolicySubject, principal: Principal): boolean {
  if (subject.kind !== 'dynamic-group' || principal.kind !== 'dynamic-group') return false;
  if (subject.by === 'id') return subject.id === principal.id;
  const domain = (value: string | undefined) => (value ?? 'default').toLowerCase();
  return subject.name.toLowerCase() === principal.name.toLowerCase() && domain(subject.domain) === domain(principal.domain);
}

function isAdministrators(subject: PolicySubject): boolean {
  return (
    subject.kind === 'group' &&
    subject.by === 'name' &&
    subject.name.toLowerCase() === ADMINISTRATORS &&
    (subject.domain ?? 'default').toLowerCase() === 'default'
  );
}

function grantsCheck(facts: DoctorFacts): CheckResult {
  const id = 'who-can-tag.policies';
  const title = 'who else may use the tag namespace';
  const namespace = facts.tags.ok ? facts.tags.value.namespace : undefined;
  const fn = facts.fn.ok ? facts.fn.value : undefined;
  const ours = fn === undefined ? [] : functionGroups(facts, fn).map((candidate) => candidate.principal);
  const located = facts.iam.statements.map((statement) => ({
    ...statement,
    statement: statement.parsed,
    policyCompartmentId: statement.policy.compartmentId,
  }));
  const grants = findTagNamespaceGrants(
    located,
    { name: facts.settings.tagNamespace, compartmentId: namespace?.compartmentId ?? facts.iam.tree.tenancyId },
    facts.iam.tree,
  );
  const others = grants.filter((grant) => !grant.subjects.every((subject) => ours.some((principal) => namesPrincipal(subject, principal))));
  const admins = others.filter((grant) => grant.subjects.every(isAdministrators));
  const warned = others.filter((grant) => !grant.subjects.every(isAdministrators));
  const info =
    admins.length > 0
      ? ` (for information: the Administrators group may, through ${admins.map((grant) => `policy ${grant.source.policy.name}`).join(', ')})`
      : '';
  const unread = facts.iam.unread.filter((part) => part.operation === 'ListPolicies' || part.operation === 'ListCompartments');
  if (warned.length > 0) {
    const lines = warned.map(
      (grant) => `${describeStatement(grant.source, facts.iam.tree)}${grant.grants === 'unknown' ? ` may (${grant.reason})` : ''}`,
    );
    return check(
      id,
      title,
      'warn',
      `${warned.length} statement(s) let others tag a VM into a pool's group: ${lines.join('; ')}${info}`,
      `limit them: add "where target.tag-namespace.name != '${facts.settings.tagNamespace}'", or grant tag-namespaces only to whom you trust`,
    );
  }
  if (unread.length > 0)
    return unknownCheck(id, title, unread, `no statement read lets others use it${info}, but some policies could not be read`);
  return check(id, title, 'ok', `only the function's group may use ${facts.settings.tagNamespace}${info}`);
}

/** Bit 1: the branch tests our namespace's tag; bit 2: it constrains the instance's compartment or OCID (or the resource type). */
const TAG = 1;
const CONSTRAINED = 2;

function branches(node: RuleNode, namespace: string): Set<number> {
  switch (node.kind) {
    case 'tag':
      return new Set([node.namespace.toLowerCase() === namespace ? TAG : 0]);
    case 'variable': {
      const constrains =
        node.comparison.operator === '=' &&
        (node.variable === 'instance.compartment.id' || node.variable === 'instance.id' || node.variable === 'resource.type');
      return new Set([constrains ? CONSTRAINED : 0]);
    }
    case 'unknown':
      return new Set([0]);
    case 'group': {
      const parts = node.clauses.map((clause) => branches(clause, namespace));
      if (node.quantifier === 'any') return new Set(parts.flatMap((part) => [...part]));
      return parts.reduce((acc, part) => new Set([...acc].flatMap((a) => [...part].map((b) => a | b))), new Set([0]));
    }
  }
}

/** Whether a rule can admit an instance by our tag alone, with no compartment or instance constraint on that branch. */
export function admitsTagAnywhere(rule: string, namespace: string): boolean {
  const parsed = parseMatchingRule(rule);
  if (!parsed.ok) return false;
  return branches(parsed.rule, namespace.toLowerCase()).has(TAG);
}

function rulesCheck(facts: DoctorFacts): CheckResult {
  const id = 'who-can-tag.rules';
  const title = 'groups matching the tag anywhere';
  const loose = facts.iam.dynamicGroups.filter(
    (group) => group.matchingRule !== undefined && admitsTagAnywhere(group.matchingRule, facts.settings.tagNamespace),
  );
  if (loose.length > 0)
    return check(
      id,
      title,
      'warn',
      `${loose.map((group) => `${group.name}: ${group.matchingRule ?? ''}`).join('; ')}: admits tagged VMs of any compartment`,
      "add instance.compartment.id = '<the nodes' compartment>' to each All {…} (iam's rules do)",
    );
  const unread = facts.iam.unread.filter((part) => part.operation.startsWith('ListDynamic'));
  if (unread.length > 0) return unknownCheck(id, title, unread);
  return check(id, title, 'ok', `every group testing ${facts.settings.tagNamespace} also constrains the compartment or instance`);
}

/** The two who-can-tag checks. */
export function checkWhoCanTag(facts: DoctorFacts): CheckResult[] {
  return [grantsCheck(facts), rulesCheck(facts)];
}
