/**
 * The IAM plan: from the node pools found in the scope to the exact dynamic
 * groups, policies, Events rules and scheduled reconcile a least-privilege
 * setup needs. Pure: screening, groups, policies and the schedule each have
 * their module; this composes them and checks the result. The renderers turn one plan into a bash script or
 * Terraform, and the CLI supplies the facts.
 */
import { planDynamicGroups } from './groups';
import type { IamInput, IamPlan } from './model';
import { isValidName } from './names';
import { planPolicies } from './policies';
import { planReconcileSchedule, scheduleMatchingRule } from './schedule';
import { screenPools } from './screen';
import { checkMatchingRule, checkPolicyStatement } from './validate';

export type {
  DynamicGroupKind,
  DynamicGroupPlan,
  EventsRulePlan,
  IamInput,
  IamPlan,
  PolicyPlan,
  PoolFact,
  ReconcileSchedulePlan,
  SkippedPool,
} from './model';

/** Stands for the schedule's OCID when its matching rule is checked (the real one exists only once the schedule does). */
const SAMPLE_SCHEDULE_OCID = 'ocid1.resourceschedule.oc1.iad.aaaaaaaasample';

/**
 * Plans the setup. Throws {@link PoolNameCollisionError} when pool names
 * collide and no cluster tag is configured, and
 * {@link UnrepresentableNameError} for names that cannot be written safely
 * (unless `skipUnsafeNames`), and {@link ScheduleSettingsError} for a
 * schedule that cannot be set up as asked.
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
    reconcileSchedule: planReconcileSchedule(input, grants.poolCompartmentIds, grants.instanceCompartmentIds),
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
  const schedule = plan.reconcileSchedule;
  if (schedule !== undefined) {
    for (const name of [schedule.name, schedule.group.name, schedule.policy.name])
      if (!isValidName(name)) problems.push(`schedule name ${JSON.stringify(name)} breaks the naming rule`);
    problems.push(...checkMatchingRule(scheduleMatchingRule(SAMPLE_SCHEDULE_OCID)));
    for (const statement of schedule.policy.statements) problems.push(...checkPolicyStatement(statement));
  }
  return problems;
}

function assertValidPlan(plan: IamPlan): void {
  const problems = checkPlan(plan);
  if (problems.length > 0) throw new Error(`internal error: the generated IAM text is invalid:\n${problems.join('\n')}`);
}
