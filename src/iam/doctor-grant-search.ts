/**
 * Questions for the policy evaluator, built from the statements `iam`
 * prints, and the search for a statement of the tenancy that answers one.
 * A statement `iam` prints ("Allow <subject> to use instances in compartment
 * id X where request.permission = 'INSTANCE_UPDATE'") becomes the question
 * "may this principal use instances for INSTANCE_UPDATE in X?", asked of
 * every statement read, three-valued.
 */
import type { DynamicGroupInfo } from './access-model';
import type { RuleValue } from './matching-rule';
import {
  evaluateGrant,
  isSameOrAncestor,
  resolveLocation,
  type Answer,
  type CompartmentTree,
  type GrantQuestion,
  type Principal,
} from './policy-statement-evaluate';
import { parsePolicyStatement, type AllowStatement, type PolicySubject } from './policy-statement';
import { compartmentPath, type TenancyIam, type TenancyStatement, type UnreadPart } from './tenancy-iam';

/** A question without its principal: what `iam` grants, wherever it grants it. */
export type Access = Omit<GrantQuestion, 'principal'>;

/** A principal that may stand for the subject asked about, and whether it surely does. */
export interface CandidatePrincipal {
  readonly principal: Principal;
  /** `true`, or `'unknown'` when the group's rule may match (the grant is then only possible). */
  readonly match: RuleValue;
}

/** The access a planned statement grants, or undefined when it is not an `Allow` statement. */
export function accessOf(text: string, tenancyIam: TenancyIam): (Access & { readonly statement: AllowStatement }) | undefined {
  const parsed = parsePolicyStatement(text);
  if (parsed.kind !== 'allow') return undefined;
  const { tree } = tenancyIam;
  const compartmentId = resolveLocation(parsed.location, tree.tenancyId, tree) ?? tree.tenancyId;
  const condition = parsed.condition?.parsed;
  const compared = condition?.kind === 'compare' && condition.operator === '=' ? condition : undefined;
  return {
    statement: parsed,
    verb: parsed.verb,
    resourceType: parsed.resourceType,
    compartmentId,
    ...(compared?.variable === 'request.permission' ? { permission: compared.value.text } : {}),
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
      if (result.answer !== false && possible === undefined) {
        const reason = result.answer === true ? `its subject ${candidate.principal.name} may not match` : result.reason;
        possible = { answer: 'unknown', statement: source, reason };
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
