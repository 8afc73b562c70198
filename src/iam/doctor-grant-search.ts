/**
 * Questions for the policy evaluator, built from the statements `iam`
 * prints, and the search for a statement of the tenancy that answers one.
 * A statement `iam` prints ("Allow <subject> to use instances in compartment
 * id X where request.permission = 'INSTANCE_UPDATE'") becomes the question
 * "may this principal use instances for INSTANCE_UPDATE in X?", asked of
 * every statement read, three-valued.
 */
import type { DynamicGroupInfo } from './access-model';
import { check, readGrantFor, type CheckResult } from './doctor-model';
import { parseMatchingRule, type RuleNode, type RuleValue } from './matching-rule';
import {
  evaluateGrant,
  isSameOrAncestor,
  resolveLocation,
  type Answer,
  type CompartmentTree,
  type GrantQuestion,
  type Principal,
} from './policy-statement-evaluate';
import { conditionNames, statementScope } from './policy-statement-scope';
import { parsePolicyStatement, type AllowStatement, type PolicySubject, type Verb } from './policy-statement';
import { compartmentPath, type TenancyIam, type TenancyStatement, type UnreadPart } from './tenancy-iam';

/**
 * A question without its principal: what `iam` grants, wherever it grants
 * it. `needs` lists the permissions the function's calls need when they are
 * known: each is then asked on its own, since a grant of part of the verb
 * that holds them is enough.
 */
export type Access = Omit<GrantQuestion, 'principal'> & { readonly needs?: readonly NeededPermission[] };

/** A permission a call needs, and the lowest verb that includes it. */
export interface NeededPermission {
  readonly permission: string;
  readonly verb: Verb;
}

/**
 * The permissions the function's own calls need, where Oracle's policy
 * reference names them: ListInstances (INSTANCE_INSPECT) and GetInstance
 * (INSTANCE_READ) for `read instances`, and applying a defined tag
 * (TAG_NAMESPACE_USE) for `use tag-namespaces`.
 */
const NEEDED_PERMISSIONS: Readonly<Record<string, readonly NeededPermission[]>> = {
  'read instances': [
    { permission: 'INSTANCE_INSPECT', verb: 'inspect' },
    { permission: 'INSTANCE_READ', verb: 'read' },
  ],
  'use tag-namespaces': [{ permission: 'TAG_NAMESPACE_USE', verb: 'use' }],
};

/** A principal that may stand for the subject asked about, and whether it surely does. */
export interface CandidatePrincipal {
  readonly principal: Principal;
  /** `true`, or `'unknown'` when the group's rule may match (the grant is then only possible). */
  readonly match: RuleValue;
  /** Why the group's rule could not be evaluated at all (null, or a syntax error); the answers built on it are then unknown. */
  readonly undecided?: string;
}

/** A group's rule, or why it cannot be evaluated: the API answered null, or the text does not parse (with the position). */
export function parsedRule(
  group: DynamicGroupInfo,
): { readonly ok: true; readonly rule: RuleNode } | { readonly ok: false; readonly why: string } {
  const name = groupLabel(group);
  if (group.matchingRule === undefined) return { ok: false, why: `the matching rule of dynamic group ${name} came back null` };
  const parsed = parseMatchingRule(group.matchingRule);
  if (parsed.ok) return { ok: true, rule: parsed.rule };
  return { ok: false, why: `the matching rule of dynamic group ${name} (${group.matchingRule}) does not parse: ${parsed.error.message}` };
}

/** How a group is named in a report line: `'domain'/'name'` outside the Default domain. */
export function groupLabel(group: { readonly name: string; readonly domain?: string | undefined }): string {
  return group.domain === undefined ? group.name : `'${group.domain}'/'${group.name}'`;
}

/**
 * The flags of each conjunctive branch of a rule (its Any {…} alternatives
 * multiplied out), each clause contributing `flagsOf(clause)`; the flags are
 * bits, so the set stays small whatever the rule's size.
 */
export function ruleBranches(node: RuleNode, flagsOf: (clause: Exclude<RuleNode, { kind: 'group' }>) => number): Set<number> {
  if (node.kind !== 'group') return new Set([flagsOf(node)]);
  const parts = node.clauses.map((clause) => ruleBranches(clause, flagsOf));
  if (node.quantifier === 'any') return new Set(parts.flatMap((part) => [...part]));
  return parts.reduce((acc, part) => new Set([...acc].flatMap((a) => [...part].map((b) => a | b))), new Set([0]));
}

/**
 * A check that could not be answered: the things that could not be
 * evaluated (a rule, a statement) and the reads that failed, with the read
 * grants those need.
 */
export function undecidedCheck(
  id: string,
  title: string,
  reasons: readonly string[],
  unread: readonly UnreadPart[],
  fix: string,
  also = '',
): CheckResult {
  const reads = unread.map((part) => `${part.operation} ${part.resourceId} (${part.reason})`);
  const grants = [...new Set(unread.map(readGrantFor))];
  const shown = [...reasons, ...(reads.length > 0 ? [`could not read: ${reads.join(', ')}`] : [])];
  const fixes = [...(reasons.length > 0 ? [fix] : []), ...(grants.length > 0 ? [`grant the reader ${grants.join('; ')}`] : [])];
  const result = check(id, title, 'unknown', `${shown.join('; ')}${also}`, fixes.join('; '));
  return grants.length > 0 ? { ...result, grant: grants.join('; ') } : result;
}

/** How a statement that does not parse is named: where it is, its text and the parse error. */
export function describeUnparsed(statement: TenancyStatement, tree: CompartmentTree): string {
  const problem = statement.parsed.kind === 'error' ? statement.parsed.message : 'it does not parse';
  return `${describeStatement(statement, tree)} does not parse (${problem}), so what it grants is not known`;
}

/**
 * The statements that do not parse and whose subject text may name one of
 * `candidates` (by name or OCID) or everyone (any-user, any-group): they may
 * grant what was asked.
 */
export function unparsedNaming(tenancyIam: TenancyIam, candidates: readonly CandidatePrincipal[]): TenancyStatement[] {
  const names = candidates
    .flatMap(({ principal }) => [principal.name, ...('id' in principal ? [principal.id] : [])])
    .map((name) => name.toLowerCase());
  return tenancyIam.statements.filter((statement) => {
    if (statement.parsed.kind !== 'error') return false;
    const subject = (statement.text.toLowerCase().split(/\sto\s/u)[0] ?? '').trim();
    return /any-user|any-group/u.test(subject) || names.some((name) => subject.includes(name));
  });
}

/** The access a planned statement grants, or undefined when it is not an `Allow` statement. */
export function accessOf(text: string, tenancyIam: TenancyIam): (Access & { readonly statement: AllowStatement }) | undefined {
  const parsed = parsePolicyStatement(text);
  if (parsed.kind !== 'allow') return undefined;
  const { tree } = tenancyIam;
  const compartmentId = resolveLocation(parsed.location, tree.tenancyId, tree) ?? tree.tenancyId;
  const condition = parsed.condition?.parsed;
  const compared = condition?.kind === 'compare' && condition.operator === '=' ? condition : undefined;
  const needs = NEEDED_PERMISSIONS[`${parsed.verb} ${parsed.resourceType}`];
  return {
    statement: parsed,
    verb: parsed.verb,
    resourceType: parsed.resourceType,
    compartmentId,
    ...(compared?.variable === 'request.permission' ? { permission: compared.value.text } : {}),
    ...(compared?.variable !== 'request.permission' && needs !== undefined ? { needs } : {}),
    ...(compared?.variable === 'target.tag-namespace.name' ? { tagNamespace: compared.value.text } : {}),
  };
}

/** A dynamic group as a policy principal. */
export function groupPrincipal(group: DynamicGroupInfo): Principal {
  return { kind: 'dynamic-group', id: group.id, name: group.name, ...(group.domain === undefined ? {} : { domain: group.domain }) };
}

/** The answer for one access, with the statement that decides it. */
export interface GrantFinding {
  readonly answer: Answer;
  readonly statement?: TenancyStatement;
  readonly reason: string;
  /** The candidate the statement grants to. */
  readonly candidate?: CandidatePrincipal;
  /** Set when the statement grants part of the verb asked about: the answer is then unknown, never a warning. */
  readonly partial?: boolean;
}

function mayName(subjects: readonly PolicySubject[], principal: Principal): boolean {
  return subjects.some(
    (subject) =>
      subject.kind === principal.kind || subject.kind === 'any-user' || (subject.kind === 'any-group' && principal.kind !== 'service'),
  );
}

/**
 * Whether any statement of the tenancy grants `access` to any of
 * `candidates`: the first statement that surely does, otherwise the first
 * that may (a condition not evaluated, a group that may match), otherwise
 * `false`.
 */
export function findGrant(tenancyIam: TenancyIam, candidates: readonly CandidatePrincipal[], access: Access): GrantFinding {
  const { needs, ...asked } = access;
  if (needs === undefined || asked.permission !== undefined) return findOneGrant(tenancyIam, candidates, asked);
  // Every needed permission must be granted, by one statement or several: the first that is not decides.
  const findings = needs.map(({ permission, verb }) => ({
    permission,
    finding: findOneGrant(tenancyIam, candidates, { ...asked, permission, verb }),
  }));
  const missing = findings.find(({ finding }) => finding.answer === false) ?? findings.find(({ finding }) => finding.answer === 'unknown');
  if (missing === undefined) return findings[0]?.finding ?? { answer: false, reason: 'no statement grants it' };
  return { ...missing.finding, reason: `${missing.permission}: ${missing.finding.reason}` };
}

/** Whether the statement's condition tests `request.permission`, which narrows it to some permissions of its verb. */
function conditionLimitsPermissions(statement: AllowStatement): boolean {
  return statement.condition?.parsed !== undefined && conditionNames(statement.condition.parsed, 'request.permission');
}

/**
 * For a question about a whole verb: whether `statement` fails it only
 * because it grants part of the verb (a permission list, a request.permission
 * condition). The function may need only that part, so such a statement
 * leaves the answer unknown, not false.
 */
function grantsPartOfVerb(statement: AllowStatement, policyCompartmentId: string, question: GrantQuestion, tree: CompartmentTree): boolean {
  if (question.permission !== undefined) return false;
  const byCondition = conditionLimitsPermissions(statement);
  if (statement.permissions === undefined && !byCondition) return false;
  // The same statement with the permission list, or the condition that narrows it, taken away.
  const whole = statementScope(statement, { condition: !byCondition });
  return evaluateGrant(whole, policyCompartmentId, question, tree).answer === true;
}

function findOneGrant(tenancyIam: TenancyIam, candidates: readonly CandidatePrincipal[], access: Access): GrantFinding {
  let possible: GrantFinding | undefined;
  for (const candidate of candidates) {
    if (candidate.match === false) continue;
    for (const source of tenancyIam.statements) {
      if (source.parsed.kind !== 'allow' || !mayName(source.parsed.subjects, candidate.principal)) continue;
      const result = evaluateGrant(
        source.parsed,
        source.policy.compartmentId,
        { ...access, principal: candidate.principal },
        tenancyIam.tree,
      );
      if (result.answer === true && candidate.match === true) return { answer: true, statement: source, reason: result.reason };
      const question = { ...access, principal: candidate.principal };
      if (possible === undefined && grantsPartOfVerb(source.parsed, source.policy.compartmentId, question, tenancyIam.tree)) {
        const reason = `it grants only some permissions of ${access.verb} ${access.resourceType}, and which of them the function needs is not known`;
        possible = { answer: 'unknown', statement: source, reason, candidate, partial: true };
        continue;
      }
      if (result.answer !== false && possible === undefined) {
        const reason =
          result.answer === true ? (candidate.undecided ?? `its subject ${candidate.principal.name} may not match`) : result.reason;
        possible = { answer: 'unknown', statement: source, reason, candidate };
      }
    }
  }
  return possible ?? { answer: false, reason: 'no statement grants it' };
}

/**
 * The failed reads that could hide a grant of access in `compartmentId`:
 * the compartment list, and the policies of that compartment or an ancestor
 * (a policy grants only in its compartment and below).
 */
export function unreadPoliciesFor(tenancyIam: TenancyIam, compartmentId: string): UnreadPart[] {
  return tenancyIam.unread.filter(
    (part) =>
      part.operation === 'ListCompartments' ||
      (part.operation === 'ListPolicies' && isSameOrAncestor(part.resourceId, compartmentId, tenancyIam.tree) !== false),
  );
}

/** How a finding's statement is named in a report line: the policy, where it is attached, the statement. */
export function describeStatement(statement: TenancyStatement, tree: CompartmentTree): string {
  return `policy ${statement.policy.name} (in ${compartmentPath(statement.policy.compartmentId, tree)}): "${statement.text}"`;
}
