/**
 * doctor's checks of the function's rights: a dynamic group matches the
 * function, and the policies grant that group each permission `iam` plans
 * (read cluster-family where the pools are, read and update instances where
 * their nodes are, use the tag namespace), asked of the policy evaluator.
 * A statement whose condition is not evaluated only may grant: a warning.
 */
import type { FunctionInfo } from './access-model';
import { check, unknownCheck, type CheckResult, type DoctorFacts } from './doctor-model';
import type { DoctorPlan } from './doctor-plan';
import { accessOf, describeStatement, findGrant, groupPrincipal, unreadPoliciesFor, type CandidatePrincipal } from './doctor-grant-search';
import { matchRuleText } from './matching-rule';
import { dynamicGroupSubject } from './policies';
import { shellCommand } from './quote';
import { compartmentPath } from './tenancy-iam';

const GROUP_TITLE = "the function's dynamic group";

/** The dynamic groups whose rules match (or may match) the function. */
export function functionGroups(facts: DoctorFacts, fn: FunctionInfo): CandidatePrincipal[] {
  const subject = {
    kind: 'resource' as const,
    resourceType: 'fnfunc',
    id: fn.id,
    compartmentId: fn.compartmentId,
    ...(fn.definedTags === undefined ? {} : { definedTags: fn.definedTags }),
  };
  return facts.iam.dynamicGroups.flatMap((group) => {
    if (group.lifecycleState !== undefined && group.lifecycleState !== 'ACTIVE') return [];
    if (group.matchingRule === undefined) return [{ principal: groupPrincipal(group), match: 'unknown' as const }];
    const matched = matchRuleText(group.matchingRule, subject);
    const match = matched.ok ? matched.value : false;
    return match === false ? [] : [{ principal: groupPrincipal(group), match }];
  });
}

function groupNames(candidates: readonly CandidatePrincipal[]): string {
  return candidates
    .map(({ principal }) => ('domain' in principal && principal.domain ? `'${principal.domain}'/'${principal.name}'` : principal.name))
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
  if (sure.length > 0) group = check('rights.group', GROUP_TITLE, 'ok', `dynamic group(s) ${groupNames(sure)} match the function`);
  else if (candidates.length > 0)
    group = check(
      'rights.group',
      GROUP_TITLE,
      'warn',
      `dynamic group(s) ${groupNames(candidates)} may match the function (their rules cannot be decided here)`,
      createGroup,
    );
  else if (unreadGroups.length > 0) group = unknownCheck('rights.group', GROUP_TITLE, unreadGroups);
  else group = check('rights.group', GROUP_TITLE, 'fail', `no dynamic group matches the function ${fn.id}`, createGroup);
  if (candidates.length === 0 && unreadGroups.length > 0)
    return [
      group,
      unknownCheck('rights.permissions', "the function's permissions", unreadGroups, 'not checked: the dynamic groups could not be read'),
    ];
  if (candidates.length === 0)
    return [
      group,
      check(
        'rights.permissions',
        "the function's permissions",
        'fail',
        'not checked: no dynamic group matches the function',
        'create the group first',
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
  const unread = unreadPoliciesFor(facts.iam, access.compartmentId);
  if (unread.length > 0) return [unknownCheck(id, title, unread, 'no statement read grants it, and some policies could not be read')];
  return [check(id, title, 'fail', "no statement grants it to the function's group", `add to a policy: ${statement}`)];
}
