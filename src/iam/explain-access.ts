/**
 * The dynamic groups that concern the node: those whose rules match it now
 * or would once its tags are right, or cannot be decided. The statements
 * that name them are found in `explain-statements.ts`.
 */
import type { DynamicGroupInfo } from './access-model';
import type { ExplainedDynamicGroup, Tri } from './explain-types';
import { matchRuleText, type SubjectDefinedTags } from './matching-rule';
import type { TenancyIam } from './tenancy-iam';
import { DEFAULT_DOMAIN, isDefaultDomain } from './identity-domain';
import { isResourceGone } from '../tagging/lifecycle';

export { DEFAULT_DOMAIN } from './identity-domain';

/** The instance as a rule sees it, now and once its tags are right; `undefined` where it is unknown. */
export interface RuleSubjects {
  readonly id: string;
  readonly compartmentId: string;
  readonly now: SubjectDefinedTags;
  /** `undefined` when what the function would do is unknown. */
  readonly whenCorrect: SubjectDefinedTags | undefined;
}

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
    .filter((group) => !isResourceGone(group.lifecycleState))
    .map((group) => explainGroup(group, subjects, instanceReason))
    .filter((group) => group.matchesNow !== false || group.matchesWhenCorrect !== false);
}

/** The group as policy subjects write it: `name` in the Default domain, `Domain/name` elsewhere. */
export function qualifiedGroupName(group: Pick<ExplainedDynamicGroup, 'domain' | 'name'>): string {
  return isDefaultDomain(group.domain) ? group.name : `${group.domain}/${group.name}`;
}
