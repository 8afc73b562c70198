/**
 * doctor's Events checks. A rule applies to events of its compartment and
 * its child compartments. For each compartment holding the pools'
 * instances, an enabled rule there or in an ancestor must match
 * `launchinstance.end` and `updateinstance` for that compartment and target
 * the function; for each compartment holding pools, the same for
 * `updatenodepool.end` (and `updatecluster.end` with a cluster tag). Two
 * rules delivering one event make the function run twice: a warning. And
 * the policy that lets the Events service invoke the function must exist.
 */
import {
  INSTANCE_EVENT_TYPES,
  LAUNCH_EVENT_TYPE,
  UPDATE_CLUSTER_EVENT_TYPE,
  UPDATE_INSTANCE_EVENT_TYPE,
  UPDATE_NODE_POOL_EVENT_TYPE,
} from '../event/event-types';
import type { EventRuleInfo } from './access-model';
import { check, unknownCheck, type CheckResult, type CheckStatus, type DoctorFacts } from './doctor-model';
import type { DoctorPlan } from './doctor-plan';
import { accessOf, describeStatement, findGrant, unreadPoliciesFor } from './doctor-grant-search';
import { conditionMatches } from './events-condition';
import { isSameOrAncestor, type Answer } from './policy-statement-evaluate';
import { shellCommand } from './quote';
import { compartmentPath } from './tenancy-iam';

type Delivery = 'delivers' | 'disabled' | 'maybe' | 'no';

function and(answers: readonly Answer[]): Answer {
  if (answers.includes(false)) return false;
  return answers.includes('unknown') ? 'unknown' : true;
}

/** Whether `rule` delivers events of `eventType` in `compartmentId` to the function. */
export function ruleDelivery(
  rule: EventRuleInfo,
  functionId: string,
  eventType: string,
  compartmentId: string,
  facts: DoctorFacts,
): Delivery {
  if (rule.lifecycleState === 'DELETED' || rule.lifecycleState === 'DELETING') return 'no';
  const applies = isSameOrAncestor(rule.compartmentId, compartmentId, facts.iam.tree);
  const condition = conditionMatches(rule.condition, eventType, compartmentId).answer;
  const action = rule.actions?.find((candidate) => candidate.actionType === 'FAAS' && candidate.functionId === functionId);
  const targets: Answer = rule.actions === undefined ? 'unknown' : action !== undefined;
  const matches = and([applies, condition, targets]);
  if (matches === false) return 'no';
  if (matches === 'unknown') return 'maybe';
  const enabled = rule.isEnabled && (rule.lifecycleState ?? 'ACTIVE') === 'ACTIVE' && action?.isEnabled !== false;
  return enabled ? 'delivers' : 'disabled';
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
}

/**
 * The command that makes a rule that targets the function deliver again:
 * `--is-enabled true` for a disabled rule and, when its action for the
 * function is disabled, `--actions` with that action enabled. `--actions`
 * replaces every action and makes the CLI prompt unless `--force` is given
 * (events_cli.py, update_rule), so it is printed only when every action is
 * a FAAS action, the one kind whose fields doctor reads in full.
 */
function enableFix(rule: EventRuleInfo, functionId: string): string {
  const actions = rule.actions ?? [];
  const ours = actions.find((action) => action.actionType === 'FAAS' && action.functionId === functionId);
  const actionDisabled = ours?.isEnabled === false;
  const words = ['oci', 'events', 'rule', 'update', '--rule-id', rule.id];
  // A rule that is enabled with its action enabled but not ACTIVE is re-enabled too.
  if (!rule.isEnabled || !actionDisabled) words.push('--is-enabled', 'true');
  if (actionDisabled) {
    if (!actions.every((action) => action.actionType === 'FAAS' && action.functionId !== undefined))
      return `enable the action of rule ${rule.displayName} that invokes the function (its other actions have fields doctor does not read, so edit the actions by hand)`;
    const enabled = actions.map((action) => ({
      actionType: 'FAAS',
      functionId: action.functionId,
      isEnabled: action === ours ? true : action.isEnabled,
    }));
    words.push('--actions', JSON.stringify({ actions: enabled }), '--force');
  }
  return shellCommand(words);
}

function rulesFor(facts: DoctorFacts, functionId: string, eventType: string, compartmentId: string) {
  const by = (delivery: Delivery) =>
    facts.rules.items.filter((rule) => ruleDelivery(rule, functionId, eventType, compartmentId, facts) === delivery);
  return { delivers: by('delivers'), disabled: by('disabled'), maybe: by('maybe') };
}

function answerFor(facts: DoctorFacts, functionId: string, eventType: string, compartmentId: string, types: readonly string[]): TypeAnswer {
  const { delivers, disabled, maybe } = rulesFor(facts, functionId, eventType, compartmentId);
  const name = short(eventType);
  if (delivers.length > 0) return { status: 'ok', text: `${name} by rule ${delivers.map((rule) => rule.displayName).join(', ')}`, fix: '' };
  if (maybe.length > 0)
    return {
      status: 'warn',
      text: `${name} may be delivered by rule ${maybe.map((rule) => rule.displayName).join(', ')} (its condition filters on fields not evaluated, or its actions could not be read)`,
      fix: 'check the rule by hand, or use the condition iam prints',
    };
  if (disabled[0] !== undefined)
    return {
      status: 'fail',
      text: `${name} only by rule ${disabled[0].displayName}, which is disabled`,
      fix: enableFix(disabled[0], functionId),
    };
  const relevant = facts.rules.unread.filter(
    (part) => part.operation === 'GetRule' || isSameOrAncestor(part.resourceId, compartmentId, facts.iam.tree) !== false,
  );
  if (relevant.length > 0) return { status: 'unknown', text: `${name}: some rules could not be read`, fix: '' };
  const condition = JSON.stringify({ eventType: types, data: { compartmentId: [compartmentId] } });
  return {
    status: 'fail',
    text: `no enabled rule delivers ${name} to the function`,
    fix: shellCommand([
      'oci',
      'events',
      'rule',
      'create',
      '--compartment-id',
      compartmentId,
      '--display-name',
      'oke-nodepool-tagger-launch',
      '--is-enabled',
      'true',
      '--condition',
      condition,
      '--actions',
      JSON.stringify({ actions: [{ actionType: 'FAAS', functionId, isEnabled: true }] }),
    ]),
  };
}

function compartmentCheck(facts: DoctorFacts, id: string, title: string, compartmentId: string, types: readonly string[]): CheckResult {
  const { functionId } = facts.settings;
  const answers = types.map((eventType) => answerFor(facts, functionId, eventType, compartmentId, types));
  const status = answers.reduce<CheckStatus>(
    (worst, answer) => (ORDER.indexOf(answer.status) > ORDER.indexOf(worst) ? answer.status : worst),
    'ok',
  );
  if (status === 'unknown') {
    const relevant = facts.rules.unread.filter(
      (part) => part.operation === 'GetRule' || isSameOrAncestor(part.resourceId, compartmentId, facts.iam.tree) !== false,
    );
    return unknownCheck(id, title, relevant, 'no rule read delivers every event, and some rules could not be read');
  }
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
  const access = accessOf(plan.eventsStatement, facts.iam);
  if (access === undefined) return check('events.policy', title, 'fail', 'internal: the planned statement does not parse');
  const finding = findGrant(facts.iam, [{ principal: { kind: 'service', name: 'cloudEvents' }, match: true }], access);
  if (finding.answer === true && finding.statement !== undefined)
    return check('events.policy', title, 'ok', `granted by ${describeStatement(finding.statement, facts.iam.tree)}`);
  if (finding.answer === 'unknown' && finding.statement !== undefined)
    return check(
      'events.policy',
      title,
      'warn',
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
