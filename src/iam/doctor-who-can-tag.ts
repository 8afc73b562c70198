/**
 * doctor's "who else can tag" checks (warnings). Whoever may use our tag
 * namespace can write a pool's tag onto an instance of their own and so
 * move it into that pool's dynamic group. Any statement granting `use` or
 * `manage` on `tag-namespaces` (or a family covering it, `all-resources`)
 * to anyone but the function is a warning, unless its condition excludes
 * our namespace; the Administrators group is listed as information only.
 * The function is only a group whose rule surely matches it and pins it by
 * OCID; a grant to a group whose rule cannot be evaluated, a statement that
 * does not parse, or a failed read makes the answer unknown.
 * And a dynamic group that matches our tag without an
 * `instance.compartment.id` or `instance.id` constraint admits tagged VMs
 * of any compartment.
 */
import type { DynamicGroupInfo } from './access-model';
import { check, unknownCheck, type CheckResult, type DoctorFacts } from './doctor-model';
import { ownFunctionGroups } from './doctor-rights';
import {
  describeStatement,
  describeUnparsed,
  groupLabel,
  groupPrincipal,
  parsedRule,
  ruleBranches,
  undecidedCheck,
} from './doctor-grant-search';
import type { RuleNode } from './matching-rule';
import { subjectMatches, type Principal } from './policy-statement-evaluate';
import { findTagNamespaceGrants, findUnparsedStatements } from './policy-statement-tag-grants';
import type { PolicySubject } from './policy-statement';
import { isDefaultDomain } from './identity-domain';

const ADMINISTRATORS = 'administrators';

/** Whether `subject` names this dynamic group itself (any-user and any-group name more than the function). */
function namesPrincipal(subject: PolicySubject, principal: Principal): boolean {
  return subject.kind === 'dynamic-group' && subjectMatches(subject, principal);
}

/** The groups a subject names whose rule cannot be evaluated, with why. */
function undecidedGroups(subject: PolicySubject, groups: readonly DynamicGroupInfo[]): string[] {
  if (subject.kind !== 'dynamic-group') return [];
  return groups.flatMap((group) => {
    if (!namesPrincipal(subject, groupPrincipal(group))) return [];
    const parsed = parsedRule(group);
    return parsed.ok ? [] : [parsed.why];
  });
}

function isAdministrators(subject: PolicySubject): boolean {
  return (
    subject.kind === 'group' && subject.by === 'name' && subject.name.toLowerCase() === ADMINISTRATORS && isDefaultDomain(subject.domain)
  );
}

function grantsCheck(facts: DoctorFacts): CheckResult {
  const id = 'who-can-tag.policies';
  const title = 'who else may use the tag namespace';
  const namespace = facts.tags.ok ? facts.tags.value.namespace : undefined;
  const fn = facts.fn.ok ? facts.fn.value : undefined;
  const ours = fn === undefined ? [] : ownFunctionGroups(facts, fn).map((candidate) => candidate.principal);
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
  const unread = [
    ...facts.iam.unread.filter((part) => part.operation === 'ListPolicies' || part.operation === 'ListCompartments'),
    ...(facts.tags.ok ? (facts.tags.value.keys.ok ? [] : [facts.tags.value.keys.unread]) : [facts.tags.unread]),
    // Without the function, its own group is not known, so its grants cannot be told from others'.
    ...(facts.fn.ok ? [] : [facts.fn.unread]),
  ];
  const undecidedBy = new Map(
    warned.map((grant) => [grant, grant.subjects.flatMap((subject) => undecidedGroups(subject, facts.iam.dynamicGroups))] as const),
  );
  const undecided = [
    ...[...undecidedBy].flatMap(([grant, whys]) =>
      whys.map((why) => `${describeStatement(grant.source, facts.iam.tree)} grants to a group whose members are not known: ${why}`),
    ),
    ...findUnparsedStatements(located).map((source) => describeUnparsed(source, facts.iam.tree)),
  ];
  const describe = (grant: (typeof warned)[number]) =>
    `${describeStatement(grant.source, facts.iam.tree)}${grant.grants === 'unknown' ? ` may (${grant.reason})` : ''}`;
  const lines = warned.map(describe);
  // In an unknown answer, the statements already named for their undecided groups are not listed twice.
  const decided = warned.filter((grant) => (undecidedBy.get(grant) ?? []).length === 0).map(describe);
  const seen =
    decided.length > 0 ? `; besides, ${decided.length} statement(s) let others tag a VM into a pool's group: ${decided.join('; ')}` : '';
  if (undecided.length > 0)
    return undecidedCheck(
      id,
      title,
      undecided,
      unread,
      'check by hand what those statements and groups grant, and fix them',
      `${seen}${info}`,
    );
  if (warned.length > 0 && unread.length === 0)
    return check(
      id,
      title,
      'warn',
      `${warned.length} statement(s) let others tag a VM into a pool's group: ${lines.join('; ')}${info}`,
      `limit them: add "where target.tag-namespace.name != '${facts.settings.tagNamespace}'", or grant tag-namespaces only to whom you trust`,
    );
  if (unread.length > 0)
    return unknownCheck(
      id,
      title,
      unread,
      `${warned.length > 0 ? `${lines.join('; ')} let others tag, and` : 'no statement read lets others use it, but'} some policies or the namespace could not be read${info}`,
    );
  return check(id, title, 'ok', `only the function's group may use ${facts.settings.tagNamespace}${info}`);
}

/** Bit 1: the branch tests our namespace's tag; bit 2: it pins the instance's compartment or OCID. */
const TAG = 1;
const CONSTRAINED = 2;

function clauseFlags(clause: Exclude<RuleNode, { kind: 'group' }>, namespace: string): number {
  if (clause.kind === 'tag') return clause.namespace.toLowerCase() === namespace ? TAG : 0;
  // resource.type = 'instance' admits every instance of the tenancy, so only a compartment or an OCID constrains.
  const constrains =
    clause.kind === 'variable' &&
    clause.comparison.operator === '=' &&
    (clause.variable === 'instance.compartment.id' || clause.variable === 'instance.id');
  return constrains ? CONSTRAINED : 0;
}

/**
 * Whether a rule can admit an instance by our tag alone, with no compartment
 * or instance constraint on that branch; `'unknown'` when it does not parse.
 */
export function admitsTagAnywhere(rule: string, namespace: string): boolean | 'unknown' {
  const parsed = parsedRule({ id: '', name: '', compartmentId: '', matchingRule: rule });
  if (!parsed.ok) return 'unknown';
  return ruleBranches(parsed.rule, (clause) => clauseFlags(clause, namespace.toLowerCase())).has(TAG);
}

function rulesCheck(facts: DoctorFacts): CheckResult {
  const id = 'who-can-tag.rules';
  const title = 'groups matching the tag anywhere';
  const namespace = facts.settings.tagNamespace.toLowerCase();
  const loose: DynamicGroupInfo[] = [];
  const undecided: string[] = [];
  for (const group of facts.iam.dynamicGroups) {
    const parsed = parsedRule(group);
    if (!parsed.ok) undecided.push(parsed.why);
    else if (ruleBranches(parsed.rule, (clause) => clauseFlags(clause, namespace)).has(TAG)) loose.push(group);
  }
  const found = `${loose.map((group) => `${groupLabel(group)}: ${group.matchingRule ?? ''}`).join('; ')}: admits tagged VMs of any compartment`;
  const unread = facts.iam.unread.filter((part) => part.operation.startsWith('ListDynamic'));
  if (undecided.length > 0)
    return undecidedCheck(
      id,
      title,
      undecided,
      unread,
      'fix the rule so that it parses (or read it in the Console), then run doctor again',
      loose.length > 0 ? `; besides, ${found}` : '',
    );
  if (loose.length > 0)
    return check(id, title, 'warn', found, "add instance.compartment.id = '<the nodes' compartment>' to each All {…} (iam's rules do)");
  if (unread.length > 0) return unknownCheck(id, title, unread);
  return check(id, title, 'ok', `every group testing ${facts.settings.tagNamespace} also constrains the compartment or instance`);
}

/** The two who-can-tag checks. */
export function checkWhoCanTag(facts: DoctorFacts): CheckResult[] {
  return [grantsCheck(facts), rulesCheck(facts)];
}
