/**
 * doctor's pool-group check: each node pool has a dynamic group whose rule
 * matches every one of its nodes once they carry the tags the function
 * writes, and that matches no node of another pool. A group that also
 * matches a same-named pool of another cluster gives both pools each
 * other's rights: the collision `iam` refuses without a cluster tag. A
 * group that tests our tag and admits nodes of two pools fails both, even
 * when each also has a group of its own; a rule that cannot be evaluated
 * (null, or a syntax error) leaves a pool without a group of its own unknown.
 */
import type { DynamicGroupInfo } from './access-model';
import { check, unknownCheck, type CheckResult, type DoctorFacts, type DoctorPool } from './doctor-model';
import type { DoctorPlan } from './doctor-plan';
import { groupLabel, parsedRule, ruleBranches, undecidedCheck } from './doctor-grant-search';
import { evaluateMatchingRule, type InstanceRuleSubject, type RuleValue } from './matching-rule';
import { isResourceActive } from '../tagging/lifecycle';
import { NAME_THE_DOMAINS, unseenDomainsReason } from './doctor-domains';

/** The instances a pool's group must admit: its nodes, correctly tagged (its own compartment stands in for a pool without nodes). */
export function taggedSubjects(pool: DoctorPool, facts: DoctorFacts): InstanceRuleSubject[] {
  const { tagNamespace, tagName, clusterTagName } = facts.settings;
  const tags = {
    [tagNamespace]: { [tagName]: pool.name, ...(clusterTagName === undefined ? {} : { [clusterTagName]: pool.clusterName }) },
  };
  const nodes = pool.nodes.length > 0 ? pool.nodes : [{ id: '', compartmentId: pool.compartmentId }];
  return nodes.map((node) => ({ kind: 'instance', id: node.id, compartmentId: node.compartmentId, definedTags: tags }));
}

/** The group's value for each subject; `'unknown'` for all when its rule cannot be evaluated. */
function values(group: DynamicGroupInfo, subjects: readonly InstanceRuleSubject[]): RuleValue[] {
  const parsed = parsedRule(group);
  return subjects.map((subject) => (parsed.ok ? evaluateMatchingRule(parsed.rule, subject) : 'unknown'));
}

/** Whether `group` admits every subject: all true, any false, otherwise unknown. */
function admitsAll(group: DynamicGroupInfo, subjects: readonly InstanceRuleSubject[]): RuleValue {
  const found = values(group, subjects);
  if (found.includes(false)) return false;
  return found.includes('unknown') ? 'unknown' : true;
}

/** Whether `group` admits any subject. */
function admitsAny(group: DynamicGroupInfo, subjects: readonly InstanceRuleSubject[]): RuleValue {
  const found = values(group, subjects);
  if (found.includes(true)) return true;
  return found.includes('unknown') ? 'unknown' : false;
}

/** Whether the group's rule tests a tag of `namespace` anywhere: a pool group, meant to tell pools apart by our tag. */
function testsTag(group: DynamicGroupInfo, namespace: string): boolean {
  const parsed = parsedRule(group);
  const wanted = namespace.toLowerCase();
  return (
    parsed.ok && ruleBranches(parsed.rule, (clause) => (clause.kind === 'tag' && clause.namespace.toLowerCase() === wanted ? 1 : 0)).has(1)
  );
}

function label(pool: DoctorPool): string {
  return `${pool.clusterName}/${pool.name}`;
}

/** One check per node pool. */
export function checkPoolGroups(facts: DoctorFacts, plan: DoctorPlan): CheckResult[] {
  const read = facts.pools;
  if (!read.ok) return [unknownCheck('pools.groups', "the node pools' groups", [read.unread])];
  const pools = read.value;
  if (pools.length === 0)
    return [
      check(
        'pools.groups',
        "the node pools' groups",
        'warn',
        `no node pool found in ${facts.settings.compartmentIds.join(', ')}`,
        'name the compartments that hold the pools with --compartment',
      ),
    ];
  const groups = facts.iam.dynamicGroups.filter((group) => isResourceActive(group.lifecycleState));
  const subjects = new Map(pools.map((pool) => [pool.id, taggedSubjects(pool, facts)]));
  const unreadGroups = facts.iam.unread.filter((part) => part.operation.startsWith('ListDynamic'));
  return pools.map((pool) => {
    const id = `pools.group.${pool.id}`;
    const title = `group of pool ${label(pool)}`;
    const own = subjects.get(pool.id) ?? [];
    const admitting = groups.map((group) => ({ group, admits: admitsAll(group, own) })).filter(({ admits }) => admits !== false);
    const others = pools.filter((other) => other.id !== pool.id);
    const alsoAdmits = (group: DynamicGroupInfo) => others.filter((other) => admitsAny(group, subjects.get(other.id) ?? []) !== false);
    const rule = plan.poolGroupRules.get(pool.id);
    const fix =
      rule === undefined ? 'run oke-nodepool-tagger iam and apply the pool groups it prints' : `a group with the rule iam plans: ${rule}`;
    const mixing = groups.flatMap((group) => {
      if (!testsTag(group, facts.settings.tagNamespace) || admitsAny(group, own) !== true) return [];
      const sharers = others.filter((other) => admitsAny(group, subjects.get(other.id) ?? []) === true);
      return sharers.length > 0 ? [{ group, sharers }] : [];
    });
    const [mixed] = mixing;
    if (mixed !== undefined)
      return check(
        id,
        title,
        'fail',
        `dynamic group ${groupLabel(mixed.group)} also matches the nodes of ${mixed.sharers.map((other) => `pool ${label(other)}`).join(', ')}: the pools share one group`,
        mixed.sharers.some((other) => other.clusterId !== pool.clusterId)
          ? `add the cluster tag to the rule (--cluster-tag-name, and cluster_tag_name in the function's config); ${fix}`
          : `give each pool a group of its own that matches only its name; ${fix}`,
      );
    const exclusive = admitting.find(({ group, admits }) => admits === true && alsoAdmits(group).length === 0);
    if (exclusive !== undefined)
      return check(
        id,
        title,
        'ok',
        `dynamic group ${exclusive.group.name} matches its ${pool.nodes.length} node(s), once tagged, and no other pool's`,
      );
    const shared = admitting.find(({ admits }) => admits === true);
    if (shared !== undefined) {
      const sharers = alsoAdmits(shared.group).filter(
        (other) => other.clusterId !== pool.clusterId || other.name.toLowerCase() === pool.name.toLowerCase(),
      );
      if (sharers.length > 0)
        return check(
          id,
          title,
          'fail',
          `dynamic group ${shared.group.name} also matches the nodes of ${sharers.map((other) => `pool ${label(other)}`).join(', ')}: the pools share one group`,
          `add the cluster tag to the rule (--cluster-tag-name, and cluster_tag_name in the function's config); ${fix}`,
        );
      return check(
        id,
        title,
        'warn',
        `only group(s) matching several pools of the cluster match it (${shared.group.name}); no group of its own`,
        fix,
      );
    }
    const undecided = admitting.flatMap(({ group }) => {
      const parsed = parsedRule(group);
      return parsed.ok ? [] : [parsed.why];
    });
    if (undecided.length > 0) return undecidedCheck(id, title, undecided, unreadGroups, fix);
    const possible = admitting.find(({ admits }) => admits === 'unknown');
    if (possible !== undefined)
      return check(id, title, 'warn', `dynamic group ${possible.group.name} may match its nodes (its rule cannot be decided here)`, fix);
    if (unreadGroups.length > 0) return unknownCheck(id, title, unreadGroups);
    const unseen = unseenDomainsReason(facts);
    if (unseen !== undefined)
      return check(id, title, 'unknown', `no dynamic group read matches its nodes, and ${unseen}`, NAME_THE_DOMAINS);
    return check(
      id,
      title,
      'fail',
      `no dynamic group matches its nodes once they carry ${facts.settings.tagNamespace}.${facts.settings.tagName} = '${pool.name}'`,
      fix,
    );
  });
}
