/**
 * What the node can do, and why: the dynamic groups whose rules match it
 * now or would once its tags are right, and every policy statement in the
 * tenancy that names those groups, by name (with or without an identity
 * domain) or by OCID, plus the `any-user` and `any-group` statements that
 * may apply to it: those without a condition (any-group covers every group
 * and dynamic group, OCI's "Subjects" page says) and those whose conditions
 * name `request.principal…`, which are not evaluated.
 */
import type { DynamicGroupInfo } from './access-model';
import type { ExplainedDynamicGroup, ExplainedStatement, Tri } from './explain-types';
import { matchRuleText, type SubjectDefinedTags } from './matching-rule';
import type { PolicyCondition } from './policy-statement';
import { subjectMatches } from './policy-statement-evaluate';
import { compartmentPath, type TenancyIam, type TenancyStatement } from './tenancy-iam';

/** The identity domain the classic IAM API's groups belong to, as policies name it. */
export const DEFAULT_DOMAIN = 'Default';

/** The instance as a rule sees it, now and once its tags are right; `undefined` where it is unknown. */
export interface RuleSubjects {
  readonly id: string;
  readonly compartmentId: string;
  readonly now: SubjectDefinedTags;
  /** `undefined` when what the function would do is unknown. */
  readonly whenCorrect: SubjectDefinedTags | undefined;
}

const NOT_EVALUATED = 'may apply; condition not evaluated';
const UNCONDITIONED: Readonly<Record<'any-user' | 'any-group', string>> = {
  'any-user': 'applies to every principal, this node included: any-user without a condition',
  'any-group': 'applies to every group and dynamic group, so to this node whenever it matches one: any-group without a condition',
};
const GONE = new Set(['DELETED', 'DELETING']);

function ruleValue(rule: string, id: string, compartmentId: string, definedTags: SubjectDefinedTags) {
  return matchRuleText(rule, { kind: 'instance', id, compartmentId, definedTags });
}

/** One group's rule against the instance, now and when its tags are right. */
function explainGroup(group: DynamicGroupInfo, subjects: RuleSubjects | undefined, instanceReason: string): ExplainedDynamicGroup {
  const base = {
    id: group.id,
    name: group.name,
    domain: group.domain ?? DEFAULT_DOMAIN,
    matchingRule: group.matchingRule ?? null,
    lifecycleState: group.lifecycleState,
  };
  const unknown = (unknownReason: string) => ({
    ...base,
    matchesNow: 'unknown' as const,
    matchesWhenCorrect: 'unknown' as const,
    unknownReason,
  });
  if (group.matchingRule === undefined) {
    return unknown(`the identity domain ${base.domain} answered no matching rule for the group (its list and get may return null)`);
  }
  if (subjects === undefined) return unknown(instanceReason);
  const now = ruleValue(group.matchingRule, subjects.id, subjects.compartmentId, subjects.now);
  if (!now.ok) {
    const { message, offset, line, column } = now.error;
    return { ...unknown(`the rule does not parse: ${message}`), ruleError: { message, offset, line, column } };
  }
  let whenCorrect: Tri = 'unknown';
  if (subjects.whenCorrect !== undefined) {
    const later = ruleValue(group.matchingRule, subjects.id, subjects.compartmentId, subjects.whenCorrect);
    if (later.ok) whenCorrect = later.value;
  }
  const undecided = now.value === 'unknown' || whenCorrect === 'unknown';
  return {
    ...base,
    matchesNow: now.value,
    matchesWhenCorrect: whenCorrect,
    ...(undecided ? { unknownReason: unknownMatchReason(now.value, subjects.whenCorrect === undefined, instanceReason) } : {}),
  };
}

function unknownMatchReason(now: Tri, correctUnknown: boolean, instanceReason: string): string {
  if (now === 'unknown')
    return 'the rule uses a clause whose outcome OCI does not document for an instance (see the matching-rule evaluator)';
  return correctUnknown
    ? `what its tags should be is unknown: ${instanceReason}`
    : 'the rule uses a clause whose outcome OCI does not document';
}

/**
 * The groups that concern the instance: every group whose rule matches it
 * now, would match once its tags are right, or cannot be decided. Groups
 * that match neither way are left out.
 */
export function explainDynamicGroups(iam: TenancyIam, subjects: RuleSubjects | undefined, instanceReason: string): ExplainedDynamicGroup[] {
  return iam.dynamicGroups
    .filter((group) => !GONE.has(group.lifecycleState ?? ''))
    .map((group) => explainGroup(group, subjects, instanceReason))
    .filter((group) => group.matchesNow !== false || group.matchesWhenCorrect !== false);
}

/** The group as policy subjects write it: `name` in the Default domain, `Domain/name` elsewhere. */
export function qualifiedGroupName(group: Pick<ExplainedDynamicGroup, 'domain' | 'name'>): string {
  return group.domain.toLowerCase() === DEFAULT_DOMAIN.toLowerCase() ? group.name : `${group.domain}/${group.name}`;
}

function namesPrincipalVariable(condition: PolicyCondition): boolean {
  if (condition.kind === 'compare') return condition.variable.toLowerCase().startsWith('request.principal');
  return condition.conditions.some(namesPrincipalVariable);
}

function hasPrincipalCondition(statement: TenancyStatement): boolean {
  if (statement.parsed.kind !== 'allow' || statement.parsed.condition === undefined) return false;
  const { parsed, text } = statement.parsed.condition;
  return parsed === undefined ? /request\.principal/i.test(text) : namesPrincipalVariable(parsed);
}

function mentions(text: string, group: ExplainedDynamicGroup): boolean {
  const lower = text.toLowerCase();
  return lower.includes(group.name.toLowerCase()) || lower.includes(group.id.toLowerCase());
}

/**
 * Every statement that names one of `groups`, one entry per statement and
 * group, in the order the policies were read; then the `any-user` and
 * `any-group` statements that may apply. A statement the parser
 * cannot read is listed when its text mentions a group's name or OCID, so
 * that it is never silently left out.
 */
export function explainStatements(iam: TenancyIam, groups: readonly ExplainedDynamicGroup[]): ExplainedStatement[] {
  const found: ExplainedStatement[] = [];
  const at = (statement: TenancyStatement) => ({
    policyId: statement.policy.id,
    policyName: statement.policy.name,
    compartmentId: statement.policy.compartmentId,
    compartmentPath: compartmentPath(statement.policy.compartmentId, iam.tree),
    statement: statement.text,
  });
  for (const group of groups) {
    const principal = { kind: 'dynamic-group' as const, id: group.id, name: group.name, domain: group.domain };
    const named = { dynamicGroup: qualifiedGroupName(group), dynamicGroupId: group.id };
    for (const statement of iam.statements) {
      const { parsed } = statement;
      if (parsed.kind === 'allow') {
        const names = parsed.subjects.some((subject) => subject.kind === 'dynamic-group' && subjectMatches(subject, principal));
        if (names) found.push({ ...at(statement), ...named, basis: 'names-group' });
      } else if (parsed.kind === 'error' && mentions(statement.text, group)) {
        found.push({
          ...at(statement),
          ...named,
          basis: 'not-parsed',
          note: `not parsed, so not known to name the group: ${parsed.message}`,
        });
      }
    }
  }
  for (const statement of iam.statements) {
    const { parsed } = statement;
    if (parsed.kind !== 'allow') continue;
    const anyone = parsed.subjects.find((subject) => subject.kind === 'any-user' || subject.kind === 'any-group');
    if (anyone === undefined || (anyone.kind !== 'any-user' && anyone.kind !== 'any-group')) continue;
    const note = parsed.condition === undefined ? UNCONDITIONED[anyone.kind] : hasPrincipalCondition(statement) ? NOT_EVALUATED : undefined;
    if (note !== undefined) found.push({ ...at(statement), dynamicGroup: null, dynamicGroupId: null, basis: 'any-principal', note });
  }
  return found;
}
