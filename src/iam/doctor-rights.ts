/**
 * doctor's checks of the function's rights: a dynamic group matches the
 * function, and the policies grant that group each permission `iam` plans
 * (read cluster-family where the pools are, read and update instances where
 * their nodes are, use the tag namespace), asked of the policy evaluator.
 * A statement whose condition is not evaluated only may grant: a warning.
 * A group whose rule cannot be evaluated (null, or a syntax error), or a
 * statement that does not parse and may name the group, makes the answer
 * unknown.
 */
import type { FunctionInfo } from './access-model';
import { check, unknownCheck, type CheckResult, type DoctorFacts } from './doctor-model';
import type { DoctorPlan } from './doctor-plan';
import {
  accessOf,
  describeStatement,
  describeUnparsed,
  findGrant,
  groupLabel,
  groupPrincipal,
  parsedRule,
  ruleBranches,
  undecidedCheck,
  unparsedNaming,
  unreadPoliciesFor,
  type CandidatePrincipal,
} from './doctor-grant-search';
import { evaluateMatchingRule, type RuleNode } from './matching-rule';
import { dynamicGroupSubject } from './policies';
import { shellCommand } from './quote';
import { compartmentPath } from './tenancy-iam';
import { isResourceActive } from '../tagging/lifecycle';
import { NAME_THE_DOMAINS, unseenDomainsReason } from './doctor-domains';

const GROUP_TITLE = "the function's dynamic group";

/** The dynamic groups whose rules match (or may match) the function; a rule that cannot be evaluated may. */
export function functionGroups(facts: DoctorFacts, fn: FunctionInfo): CandidatePrincipal[] {
  const subject = {
    kind: 'resource' as const,
    resourceType: 'fnfunc',
    id: fn.id,
    compartmentId: fn.compartmentId,
    ...(fn.definedTags === undefined ? {} : { definedTags: fn.definedTags }),
  };
  return facts.iam.dynamicGroups.flatMap((group) => {
    if (!isResourceActive(group.lifecycleState)) return [];
    const parsed = parsedRule(group);
    if (!parsed.ok) return [{ principal: groupPrincipal(group), match: 'unknown' as const, undecided: parsed.why }];
    const match = evaluateMatchingRule(parsed.rule, subject);
    return match === false ? [] : [{ principal: groupPrincipal(group), match }];
  });
}

const PINNED = 1;

/** Whether every branch of the rule requires `resource.id = '<id>'`, so the rule admits that resource and nothing else. */
function pinsResource(rule: RuleNode, id: string): boolean {
  const branches = ruleBranches(rule, (clause) =>
    clause.kind === 'variable' &&
    clause.variable === 'resource.id' &&
    clause.comparison.operator === '=' &&
    clause.comparison.value.toLowerCase() === id.toLowerCase()
      ? PINNED
      : 0,
  );
  return [...branches].every((flags) => (flags & PINNED) !== 0);
}

/**
 * The groups that are the function and nothing else: their rule surely
 * matches it and pins it by OCID. A group that only may match, or matches
 * other functions or instances too, is another principal.
 */
export function ownFunctionGroups(facts: DoctorFacts, fn: FunctionInfo): CandidatePrincipal[] {
  return functionGroups(facts, fn).filter((candidate) => {
    if (candidate.match !== true || candidate.principal.kind !== 'dynamic-group') return false;
    const { id } = candidate.principal;
    const group = facts.iam.dynamicGroups.find((found) => found.id === id);
    const parsed = group === undefined ? undefined : parsedRule(group);
    return parsed?.ok === true && pinsResource(parsed.rule, fn.id);
  });
}

function groupNames(candidates: readonly CandidatePrincipal[]): string {
  return candidates
    .map(({ principal }) => groupLabel({ name: principal.name, domain: 'domain' in principal ? principal.domain : undefined }))
    .join(', ');
}

/** The group check and one check per planned statement of the function's policy. */
export function checkRights(facts: DoctorFacts, plan: DoctorPlan): CheckResult[] {
  const read = facts.fn;
  if (!read.ok) return [unknownCheck('rights.group', GROUP_TITLE, [read.unread])];
  const fn = read.value;
  if (fn === undefined)
    return [
      check('rights.group', GROUP_TITLE, 'fail', 'the function was not found, so no group can match it', 'deploy the function first'),
    ];
  const candidates = functionGroups(facts, fn);
  const sure = candidates.filter((candidate) => candidate.match === true);
  const unreadGroups = facts.iam.unread.filter((part) => part.operation.startsWith('ListDynamic'));
  // --compartment-id would default to the config file's tenancy (identity_cli_extended.py); other auth methods have none.
  const createGroup = shellCommand([
    'oci',
    'iam',
    'dynamic-group',
    'create',
    '--compartment-id',
    facts.iam.tree.tenancyId,
    '--name',
    plan.functionGroup.name,
    '--description',
    'oke-nodepool-tagger function',
    '--matching-rule',
    plan.functionGroup.matchingRule,
  ]);
  let group: CheckResult;
  const undecided = candidates.flatMap((candidate) => (candidate.undecided === undefined ? [] : [candidate.undecided]));
  if (sure.length > 0) group = check('rights.group', GROUP_TITLE, 'ok', `dynamic group(s) ${groupNames(sure)} match the function`);
  else if (undecided.length > 0)
    group = undecidedCheck('rights.group', GROUP_TITLE, undecided, [], 'fix the rule so that it parses, or check it by hand');
  else if (candidates.length > 0)
    group = check(
      'rights.group',
      GROUP_TITLE,
      'warn',
      `dynamic group(s) ${groupNames(candidates)} may match the function (their rules cannot be decided here)`,
      createGroup,
    );
  else if (unreadGroups.length > 0) group = unknownCheck('rights.group', GROUP_TITLE, unreadGroups);
  else if (unseenDomainsReason(facts) !== undefined)
    group = check(
      'rights.group',
      GROUP_TITLE,
      'unknown',
      `no dynamic group read matches the function ${fn.id}, and ${unseenDomainsReason(facts)}`,
      NAME_THE_DOMAINS,
    );
  else group = check('rights.group', GROUP_TITLE, 'fail', `no dynamic group matches the function ${fn.id}`, createGroup);
  if (candidates.length === 0 && unreadGroups.length > 0)
    return [
      group,
      unknownCheck('rights.permissions', "the function's permissions", unreadGroups, 'not checked: the dynamic groups could not be read'),
    ];
  if (candidates.length === 0)
    return [
      group,
      // Without a group there is no principal to check; the group's own line says whether that is a failure or not known.
      check(
        'rights.permissions',
        "the function's permissions",
        group.status === 'unknown' ? 'unknown' : 'fail',
        `not checked: no dynamic group ${group.status === 'unknown' ? 'read ' : ''}matches the function`,
        group.status === 'unknown' ? group.fix : 'create the group first',
      ),
    ];
  const subject = sure[0] ?? candidates[0];
  const subjectText =
    subject === undefined || subject.principal.kind === 'service'
      ? `dynamic-group ${plan.functionGroup.name}`
      : dynamicGroupSubject(subject.principal.name, subject.principal.domain);
  return [group, ...plan.functionStatements.flatMap((text, index) => permissionCheck(facts, candidates, text, index, subjectText))];
}

function permissionCheck(
  facts: DoctorFacts,
  candidates: readonly CandidatePrincipal[],
  planned: string,
  index: number,
  subjectText: string,
): CheckResult[] {
  const access = accessOf(planned, facts.iam);
  if (access === undefined) return [];
  const statement = planned.replace(/^Allow \S+ \S+(?: '[^']*'\/'[^']*')? to /, `Allow ${subjectText} to `);
  const where = compartmentPath(access.compartmentId, facts.iam.tree);
  const what = [
    access.verb,
    access.resourceType,
    access.permission ?? '',
    access.tagNamespace === undefined ? '' : `namespace ${access.tagNamespace}`,
  ]
    .filter((part) => part !== '')
    .join(' ');
  const id = `rights.${index + 1}`;
  const title = `${what} in ${where}`;
  const finding = findGrant(facts.iam, candidates, access);
  if (finding.answer === true && finding.statement !== undefined)
    return [check(id, title, 'ok', `granted by ${describeStatement(finding.statement, facts.iam.tree)}`)];
  const unparsed = unparsedNaming(facts.iam, candidates).map((source) => describeUnparsed(source, facts.iam.tree));
  const undecided = finding.answer === 'unknown' ? finding.candidate?.undecided : undefined;
  if (unparsed.length > 0 || (undecided !== undefined && finding.statement !== undefined)) {
    const may =
      finding.statement === undefined
        ? []
        : [`may be granted by ${describeStatement(finding.statement, facts.iam.tree)}, but ${finding.reason}`];
    return [undecidedCheck(id, title, [...may, ...unparsed], [], `to be sure, write the statement iam prints: ${statement}`)];
  }
  const unread = unreadPoliciesFor(facts.iam, access.compartmentId);
  // A read that failed leaves the answer open whatever the statements read say: unknown, naming the read.
  if (finding.answer === 'unknown' && finding.statement !== undefined && unread.length > 0)
    return [
      unknownCheck(
        id,
        title,
        unread,
        `may be granted by ${describeStatement(finding.statement, facts.iam.tree)}, but ${finding.reason}; and it could not read`,
      ),
    ];
  if (finding.answer === 'unknown' && finding.statement !== undefined && finding.partial === true)
    return [
      check(
        id,
        title,
        'unknown',
        `may be granted by ${describeStatement(finding.statement, facts.iam.tree)}, but ${finding.reason}`,
        `to be sure, add the statement iam prints: ${statement}`,
      ),
    ];
  if (finding.answer === 'unknown' && finding.statement !== undefined)
    return [
      check(
        id,
        title,
        'warn',
        `may be granted by ${describeStatement(finding.statement, facts.iam.tree)}, but ${finding.reason}`,
        `to be sure, add the statement iam prints: ${statement}`,
      ),
    ];
  if (unread.length > 0) return [unknownCheck(id, title, unread, 'no statement read grants it, and some policies could not be read')];
  return [check(id, title, 'fail', "no statement grants it to the function's group", `add to a policy: ${statement}`)];
}
