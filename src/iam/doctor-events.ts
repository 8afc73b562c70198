/**
 * doctor's Events checks. A rule applies to events of its compartment and
 * its child compartments. For each compartment holding the pools'
 * instances, an enabled rule there or in an ancestor must match
 * `launchinstance.end` and `updateinstance` for that compartment and target
 * the function (any enabled FAAS action on it); for each compartment holding
 * pools, the same for `updatenodepool.end` (and `updatecluster.end` with a
 * cluster tag). A rule whose actions or compartment chain could not be read
 * leaves the answer unknown. Two rules delivering one event make the
 * function run twice: a warning. And the policy that lets the Events service
 * invoke the function must exist.
 */
import {
  INSTANCE_EVENT_TYPES,
  LAUNCH_EVENT_TYPE,
  UPDATE_CLUSTER_EVENT_TYPE,
  UPDATE_INSTANCE_EVENT_TYPE,
  UPDATE_NODE_POOL_EVENT_TYPE,
} from '../event/event-types';
import { isResourceActive, isResourceGone } from '../tagging/lifecycle';
import type { EventRuleInfo } from './access-model';
import { check, unknownCheck, type CheckResult, type CheckStatus, type DoctorFacts } from './doctor-model';
import type { DoctorPlan } from './doctor-plan';
import { accessOf, describeStatement, findGrant, unreadPoliciesFor } from './doctor-grant-search';
import { conditionMatches } from './events-condition';
import { isSameOrAncestor } from './policy-statement-evaluate';
import { createRuleFix, enableFix } from './doctor-events-fixes';
import { compartmentPath, type UnreadPart } from './tenancy-iam';

/**
 * How one rule stands to one event: it delivers it; it would but is
 * disabled; it may (its condition filters on what is not evaluated); it
 * cannot be told because a read failed (its actions, or the compartment
 * chain that says whether it applies); or it does not.
 */
export type Delivery =
  | { readonly kind: 'delivers' | 'disabled' | 'no' }
  | { readonly kind: 'maybe'; readonly reason: string }
  | { readonly kind: 'unread'; readonly unread: readonly UnreadPart[] };

/** The failed reads that leave the compartments above `compartmentId` unknown; one is made up when the tree was read but lacks it. */
function chainUnread(facts: DoctorFacts, compartmentId: string): UnreadPart[] {
  const parts = facts.iam.unread.filter((part) => part.operation === 'ListCompartments');
  if (parts.length > 0) return parts;
  return [
    {
      operation: 'ListCompartments',
      resourceId: facts.iam.tree.tenancyId,
      reason: `compartment ${compartmentId} is not in the compartment tree read`,
    },
  ];
}

function actionsUnread(facts: DoctorFacts, rule: EventRuleInfo): UnreadPart[] {
  const parts = facts.rules.unread.filter((part) => part.operation === 'GetRule' && part.resourceId === rule.id);
  return parts.length > 0 ? parts : [{ operation: 'GetRule', resourceId: rule.id, reason: 'its actions were not read' }];
}

/** Whether `rule` delivers events of `eventType` in `compartmentId` to the function. Any enabled FAAS action on the function will do. */
export function ruleDelivery(
  rule: EventRuleInfo,
  functionId: string,
  eventType: string,
  compartmentId: string,
  facts: DoctorFacts,
): Delivery {
  if (isResourceGone(rule.lifecycleState)) return { kind: 'no' };
  const applies = isSameOrAncestor(rule.compartmentId, compartmentId, facts.iam.tree);
  const condition = conditionMatches(rule.condition, eventType, compartmentId);
  if (applies === false || condition.answer === false) return { kind: 'no' };
  const live = rule.isEnabled && isResourceActive(rule.lifecycleState);
  // A disabled rule delivers nothing, whatever its actions: one whose actions could not be read is no candidate.
  if (rule.actions === undefined) return live ? { kind: 'unread', unread: actionsUnread(facts, rule) } : { kind: 'no' };
  const targeting = rule.actions.filter((action) => action.actionType === 'FAAS' && action.functionId === functionId);
  if (targeting.length === 0) return { kind: 'no' };
  const delivering = live && targeting.some((action) => action.isEnabled !== false);
  if (applies === 'unknown') return delivering ? { kind: 'unread', unread: chainUnread(facts, compartmentId) } : { kind: 'no' };
  if (condition.answer === 'unknown') return delivering ? { kind: 'maybe', reason: condition.reason } : { kind: 'no' };
  return { kind: delivering ? 'delivers' : 'disabled' };
}

const SHORT: Readonly<Record<string, string>> = {
  [LAUNCH_EVENT_TYPE]: 'launchinstance.end',
  [UPDATE_INSTANCE_EVENT_TYPE]: 'updateinstance',
  [UPDATE_NODE_POOL_EVENT_TYPE]: 'updatenodepool.end',
  [UPDATE_CLUSTER_EVENT_TYPE]: 'updatecluster.end',
};

const short = (eventType: string) => SHORT[eventType] ?? eventType;
const ORDER: readonly CheckStatus[] = ['ok', 'warn', 'unknown', 'fail'];

interface TypeAnswer {
  readonly status: CheckStatus;
  readonly text: string;
  readonly fix: string;
  /** For `unknown`: the reads whose failure leaves it open. */
  readonly unread: readonly UnreadPart[];
}

interface RulesFor {
  readonly delivers: readonly EventRuleInfo[];
  readonly disabled: readonly EventRuleInfo[];
  readonly maybe: readonly { readonly rule: EventRuleInfo; readonly reason: string }[];
  /** Failed reads that could hide a rule delivering the event: of the rules' actions, the compartment chain, the rule lists. */
  readonly unread: readonly UnreadPart[];
}

/**
 * The one "relevant unread" filter: besides the rules read, a rule could
 * hide in a compartment whose rules could not be listed, when that
 * compartment is (or may be) `compartmentId` or an ancestor, or among the
 * ancestors not even known because the compartments could not be listed.
 */
function unlistedRules(facts: DoctorFacts, compartmentId: string): UnreadPart[] {
  const lists = facts.rules.unread.filter(
    (part) => part.operation === 'ListRules' && isSameOrAncestor(part.resourceId, compartmentId, facts.iam.tree) !== false,
  );
  const chain = compartmentId === facts.iam.tree.tenancyId ? [] : facts.iam.unread.filter((part) => part.operation === 'ListCompartments');
  return [...lists, ...chain];
}

function uniqueParts(parts: readonly UnreadPart[]): UnreadPart[] {
  const seen = new Map<string, UnreadPart>();
  for (const part of parts) if (!seen.has(`${part.operation} ${part.resourceId}`)) seen.set(`${part.operation} ${part.resourceId}`, part);
  return [...seen.values()];
}

function rulesFor(facts: DoctorFacts, functionId: string, eventType: string, compartmentId: string): RulesFor {
  const delivers: EventRuleInfo[] = [];
  const disabled: EventRuleInfo[] = [];
  const maybe: { rule: EventRuleInfo; reason: string }[] = [];
  const unread: UnreadPart[] = [];
  for (const rule of facts.rules.items) {
    const delivery = ruleDelivery(rule, functionId, eventType, compartmentId, facts);
    if (delivery.kind === 'delivers') delivers.push(rule);
    else if (delivery.kind === 'disabled') disabled.push(rule);
    else if (delivery.kind === 'maybe') maybe.push({ rule, reason: delivery.reason });
    else if (delivery.kind === 'unread') unread.push(...delivery.unread);
  }
  return { delivers, disabled, maybe, unread: uniqueParts([...unread, ...unlistedRules(facts, compartmentId)]) };
}

function answerFor(facts: DoctorFacts, functionId: string, eventType: string, compartmentId: string, types: readonly string[]): TypeAnswer {
  const { delivers, disabled, maybe, unread } = rulesFor(facts, functionId, eventType, compartmentId);
  const name = short(eventType);
  if (delivers.length > 0)
    return { status: 'ok', text: `${name} by rule ${delivers.map((rule) => rule.displayName).join(', ')}`, fix: '', unread: [] };
  if (unread.length > 0) return { status: 'unknown', text: `${name}: some rules could not be read`, fix: '', unread };
  if (maybe.length > 0)
    return {
      status: 'warn',
      text: `${name} may be delivered by ${maybe.map(({ rule, reason }) => `rule ${rule.displayName} (${reason})`).join(', ')}`,
      fix: 'check the rule by hand, or use the condition iam prints',
      unread: [],
    };
  if (disabled[0] !== undefined)
    return {
      status: 'fail',
      text: `${name} only by rule ${disabled[0].displayName}, which is disabled`,
      fix: enableFix(disabled[0], functionId),
      unread: [],
    };
  return {
    status: 'fail',
    text: `no enabled rule delivers ${name} to the function`,
    fix: createRuleFix(compartmentId, types, functionId),
    unread: [],
  };
}

function compartmentCheck(facts: DoctorFacts, id: string, title: string, compartmentId: string, types: readonly string[]): CheckResult {
  const { functionId } = facts.settings;
  const answers = types.map((eventType) => answerFor(facts, functionId, eventType, compartmentId, types));
  const status = answers.reduce<CheckStatus>(
    (worst, answer) => (ORDER.indexOf(answer.status) > ORDER.indexOf(worst) ? answer.status : worst),
    'ok',
  );
  if (status === 'unknown')
    return unknownCheck(
      id,
      title,
      uniqueParts(answers.flatMap((answer) => answer.unread)),
      'no rule read delivers every event, and some rules could not be read',
    );
  const fix = answers.find((answer) => answer.status === status)?.fix ?? '';
  const found = answers.map((answer) => answer.text).join('; ');
  return check(id, title, status, status === 'ok' ? `delivered: ${found}` : found, fix);
}

function duplicatesCheck(facts: DoctorFacts, watched: readonly { compartmentId: string; types: readonly string[] }[]): CheckResult {
  const twice: string[] = [];
  for (const { compartmentId, types } of watched)
    for (const eventType of types) {
      const { delivers } = rulesFor(facts, facts.settings.functionId, eventType, compartmentId);
      if (delivers.length > 1)
        twice.push(
          `${short(eventType)} in ${compartmentPath(compartmentId, facts.iam.tree)} by ${delivers.map((rule) => rule.displayName).join(' and ')}`,
        );
    }
  const title = 'events delivered once';
  if (twice.length === 0) return check('events.duplicates', title, 'ok', 'no event reaches the function through two rules');
  return check(
    'events.duplicates',
    title,
    'warn',
    `delivered twice: ${twice.join('; ')}`,
    'delete or narrow one rule of each pair (a rule covers its child compartments too)',
  );
}

function policyCheck(facts: DoctorFacts, plan: DoctorPlan): CheckResult {
  const title = 'Events may invoke the function';
  // The statement names the function's compartment: without the function there is nothing to ask.
  if (plan.eventsStatement === undefined)
    return unknownCheck('events.policy', title, facts.fn.ok ? [] : [facts.fn.unread], "the function's compartment is not known");
  const access = accessOf(plan.eventsStatement, facts.iam);
  if (access === undefined) return check('events.policy', title, 'fail', 'internal: the planned statement does not parse');
  const finding = findGrant(facts.iam, [{ principal: { kind: 'service', name: 'cloudEvents' }, match: true }], access);
  if (finding.answer === true && finding.statement !== undefined)
    return check('events.policy', title, 'ok', `granted by ${describeStatement(finding.statement, facts.iam.tree)}`);
  // With the compartment tree unread, an undecided statement may be undecided only for want of it: a failed read, not a warning.
  const treeUnread = facts.iam.unread.filter((part) => part.operation === 'ListCompartments');
  if (finding.answer === 'unknown' && finding.statement !== undefined && treeUnread.length > 0)
    return unknownCheck(
      'events.policy',
      title,
      treeUnread,
      `${describeStatement(finding.statement, facts.iam.tree)} may grant it, but ${finding.reason}`,
    );
  if (finding.answer === 'unknown' && finding.statement !== undefined)
    return check(
      'events.policy',
      title,
      // A grant of part of functions-family may or may not hold what Events needs to invoke: not known, not a warning.
      finding.partial === true ? 'unknown' : 'warn',
      `may be granted by ${describeStatement(finding.statement, facts.iam.tree)}, but ${finding.reason}`,
      `to be sure, add: ${plan.eventsStatement}`,
    );
  const unread = unreadPoliciesFor(facts.iam, access.compartmentId);
  if (unread.length > 0)
    return unknownCheck('events.policy', title, unread, 'no statement read grants it, and some policies could not be read');
  return check(
    'events.policy',
    title,
    'fail',
    'no statement lets the Events service (cloudEvents) use functions-family there',
    `add to a policy: ${plan.eventsStatement}`,
  );
}

/** The Events checks: one per watched compartment, the duplicates, and the Events→Functions policy. */
export function checkEvents(facts: DoctorFacts, plan: DoctorPlan): CheckResult[] {
  const poolTypes = [UPDATE_NODE_POOL_EVENT_TYPE, ...(facts.settings.clusterTagName === undefined ? [] : [UPDATE_CLUSTER_EVENT_TYPE])];
  const watched = [
    ...plan.watched.instanceCompartmentIds.map((compartmentId) => ({ compartmentId, types: INSTANCE_EVENT_TYPES, kind: 'instances' })),
    ...plan.watched.poolCompartmentIds.map((compartmentId) => ({ compartmentId, types: poolTypes, kind: 'pools' })),
  ];
  return [
    ...watched.map(({ compartmentId, types, kind }) =>
      compartmentCheck(
        facts,
        `events.${kind}.${compartmentId}`,
        `${kind === 'instances' ? 'instance' : 'node pool'} events in ${compartmentPath(compartmentId, facts.iam.tree)}`,
        compartmentId,
        types,
      ),
    ),
    duplicatesCheck(facts, watched),
    policyCheck(facts, plan),
  ];
}
