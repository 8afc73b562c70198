/**
 * The policy statements that concern the node: every statement in the
 * tenancy that names one of its groups, by name (with or without an identity
 * domain) or by OCID; the `any-user` and `any-group` statements that may
 * reach its instance principal (any-group covers every group and dynamic
 * group, OCI's "Subjects" page says); the statements naming dynamic groups
 * that were not read, which may be its groups too; and the statements that
 * do not parse but could concern it. The last two make the answer
 * incomplete.
 */
import { DEFAULT_DOMAIN, qualifiedGroupName } from './explain-access';
import { anyoneReach, unparsedReach, unreadSubjects, type ReadGroups } from './explain-reach';
import type { ExplainedDynamicGroup, ExplainedStatement } from './explain-types';
import { subjectMatches } from './policy-statement-evaluate';
import { compartmentPath, type TenancyIam, type TenancyStatement } from './tenancy-iam';

/** The statements found, and what they name that was not read. */
export interface StatementFindings {
  readonly statements: ExplainedStatement[];
  /** Identity domains that statements name and that were neither named with `--identity-domain-url` nor the Default domain. */
  readonly domainsNotNamed: readonly string[];
  /** Dynamic-group OCIDs that statements name and that no domain read holds. */
  readonly groupIdsNotFound: readonly string[];
}

/**
 * What was read: Default unless ListDynamicGroups failed, each named domain
 * unless its list failed, and the OCIDs of every group listed.
 */
export function readGroupsOf(iam: TenancyIam, namedDomains: readonly string[]): ReadGroups {
  const failed = (operation: string, resourceId?: string) =>
    iam.unread.some((part) => part.operation === operation && (resourceId === undefined || part.resourceId === resourceId));
  const domains = [
    ...(failed('ListDynamicGroups') ? [] : [DEFAULT_DOMAIN]),
    ...namedDomains.filter((domain) => !failed('ListDynamicResourceGroups', domain)),
  ];
  return { domains, groupIds: new Set(iam.dynamicGroups.map((group) => group.id)) };
}

function mentions(text: string, group: ExplainedDynamicGroup): boolean {
  const lower = text.toLowerCase();
  return lower.includes(group.name.toLowerCase()) || lower.includes(group.id.toLowerCase());
}

/** Adds `value` unless it is there already, without regard to case. */
function addOnce(list: string[], value: string): void {
  if (!list.some((known) => known.toLowerCase() === value.toLowerCase())) list.push(value);
}

/**
 * Every statement that concerns the node, in this order: per group of
 * `groups`, the statements that name it (and those that do not parse but
 * mention it), one entry per statement and group, in the order the
 * policies were read; then, per statement not yet listed, the `any-user` /
 * `any-group` ones that may apply, those naming groups that were not read,
 * and those that do not parse and could concern it.
 */
export function explainStatements(
  iam: TenancyIam,
  groups: readonly ExplainedDynamicGroup[],
  read: ReadGroups,
  namedDomains: readonly string[],
): StatementFindings {
  const found: ExplainedStatement[] = [];
  const listed = new Set<TenancyStatement>();
  const domainsNotNamed: string[] = [];
  const groupIdsNotFound: string[] = [];
  const noteDomain = (domain: string) => {
    if (![DEFAULT_DOMAIN, ...namedDomains].some((named) => named.toLowerCase() === domain.toLowerCase())) addOnce(domainsNotNamed, domain);
  };
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
        if (!parsed.subjects.some((subject) => subject.kind === 'dynamic-group' && subjectMatches(subject, principal))) continue;
        found.push({ ...at(statement), ...named, basis: 'names-group' });
        listed.add(statement);
      } else if (parsed.kind === 'error' && mentions(statement.text, group)) {
        found.push({
          ...at(statement),
          ...named,
          basis: 'not-parsed',
          note: `not parsed, so not known to name the group: ${parsed.message}`,
        });
        listed.add(statement);
      }
    }
  }
  for (const statement of iam.statements) {
    const { parsed } = statement;
    if (listed.has(statement)) continue;
    if (parsed.kind === 'allow') {
      const anyone = parsed.subjects.find((subject) => subject.kind === 'any-user' || subject.kind === 'any-group');
      if (anyone?.kind === 'any-user' || anyone?.kind === 'any-group') {
        const note = anyoneReach(parsed, anyone.kind);
        if (note !== undefined) found.push({ ...at(statement), dynamicGroup: null, dynamicGroupId: null, basis: 'any-principal', note });
        continue;
      }
      for (const unread of unreadSubjects(parsed.subjects, read)) {
        found.push({
          ...at(statement),
          dynamicGroup: unread.written,
          dynamicGroupId: unread.id,
          basis: 'domain-not-read',
          note: unread.note,
        });
        if (unread.domain !== undefined) noteDomain(unread.domain);
        if (unread.id !== null) addOnce(groupIdsNotFound, unread.id);
      }
    } else if (parsed.kind === 'error') {
      const reach = unparsedReach(statement.text, read);
      if (!reach.concerns) continue;
      found.push({
        ...at(statement),
        dynamicGroup: null,
        dynamicGroupId: null,
        basis: 'not-parsed',
        note: `not parsed, so what it grants is unknown: ${parsed.message}`,
      });
      reach.domainsNotRead.forEach(noteDomain);
      for (const id of reach.groupIdsNotRead) addOnce(groupIdsNotFound, id);
    }
  }
  return { statements: found, domainsNotNamed, groupIdsNotFound };
}
