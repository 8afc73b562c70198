/**
 * The IAM plan: from the node pools found in the scope to the exact dynamic
 * groups, policies and Events rules a least-privilege setup needs. Pure:
 * screening, groups and policies each have their module; this composes them
 * and checks the result. The renderers turn one plan into a bash script or
 * Terraform, and the CLI supplies the facts.
 */
import { planDynamicGroups } from './groups';
import type { IamInput, IamPlan } from './model';
import { isValidName } from './names';
import { planPolicies } from './policies';
import { screenPools } from './screen';
import { checkMatchingRule, checkPolicyStatement } from './validate';

export type { DynamicGroupKind, DynamicGroupPlan, EventsRulePlan, IamInput, IamPlan, PolicyPlan, PoolFact, SkippedPool } from './model';

/**
 * Plans the setup. Throws {@link PoolNameCollisionError} when pool names
 * collide and no cluster tag is configured, and
 * {@link UnrepresentableNameError} for names that cannot be written safely
 * (unless `skipUnsafeNames`).
 */
export function planIam(input: IamInput): IamPlan {
  if (!isValidName(input.namePrefix)) throw new Error(`name prefix ${JSON.stringify(input.namePrefix)} breaks the naming rule`);
  const screened = screenPools(input);
  const groups = planDynamicGroups(input, screened);
  const grants = planPolicies(input, screened.usable, groups);
  const plan: IamPlan = {
    tagNamespace: input.tagNamespace,
    tagNamespaceCompartmentId: input.tagNamespaceCompartmentId,
    tagKeys: [input.tagName, ...(input.clusterTagName !== undefined ? [input.clusterTagName] : [])],
    identityDomain: input.identityDomain,
    functionId: input.functionId,
    functionCompartmentId: input.functionCompartmentId,
    compartmentIds: input.compartmentIds,
    dynamicGroups: [groups.functionGroup, ...groups.poolGroups, ...groups.clusterGroups],
    policies: grants.policies,
    eventsRules: grants.eventsRules,
    examples: grants.examples,
    restrictionExamples: grants.restrictionExamples,
    warnings: [...screened.warnings, ...groups.warnings],
    skipped: screened.skipped,
  };
  assertValidPlan(plan);
  return plan;
}

/** The checker run over every rule and statement of a plan; returns all problems. */
export function checkPlan(plan: IamPlan): string[] {
  const problems: string[] = [];
  for (const group of plan.dynamicGroups) {
    if (!isValidName(group.name)) problems.push(`dynamic group name ${JSON.stringify(group.name)} breaks the naming rule`);
    problems.push(...checkMatchingRule(group.matchingRule));
  }
  for (const policy of plan.policies) {
    if (!isValidName(policy.name)) problems.push(`policy name ${JSON.stringify(policy.name)} breaks the naming rule`);
    for (const statement of policy.statements) problems.push(...checkPolicyStatement(statement));
  }
  for (const statement of [...plan.examples, ...plan.restrictionExamples]) problems.push(...checkPolicyStatement(statement));
  for (const rule of plan.eventsRules)
    if (!isValidName(rule.name)) problems.push(`events rule name ${JSON.stringify(rule.name)} breaks the naming rule`);
  return problems;
}

function assertValidPlan(plan: IamPlan): void {
  const problems = checkPlan(plan);
  if (problems.length > 0) throw new Error(`internal error: the generated IAM text is invalid:\n${problems.join('\n')}`);
}
