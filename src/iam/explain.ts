/**
 * `explain INSTANCE_OCID`: why one node can do what it can. In order: the
 * instance and its verified pool and cluster (membership decided by the
 * function's own rule); our tags expected against actual and what the
 * function would do now; the dynamic groups that match it now or would
 * once its tags are right; the policy statements anywhere in the tenancy
 * that name those groups or may otherwise reach it (any-user and any-group,
 * groups of identity domains not read, statements that do not parse).
 * Read-only; every failed read is kept and makes the answers built on it
 * unknown.
 */
import type { CallScope } from '../call-scope';
import type { TaggerConfig } from '../config';
import { describeError } from '../errors';
import { readOkeHints } from '../tagging/membership';
import type { DefinedTags, InstanceInfo } from '../tagging/model';
import { mergeDefinedTags, ourTagKeys, ourTagValues, removeDefinedTags } from '../tagging/tags';
import type { AccessPorts } from './access-model';
import { explainDynamicGroups, type RuleSubjects } from './explain-access';
import { explainStatements, readGroupsOf, type StatementFindings } from './explain-statements';
import { decideAsTheFunction, type Decision } from './explain-decision';
import type { ExplainedCluster, ExplainedInstance, ExplainedNodePool, ExplainResult } from './explain-types';
import { compartmentPath, readTenancyIam, type TenancyIam, type UnreadPart } from './tenancy-iam';

export type * from './explain-types';

export interface ExplainSettings {
  /** The function's configuration: tag keys, `compartment_id`, `impostor_action`, `membership_grace_minutes`. */
  readonly config: TaggerConfig;
  readonly scope: CallScope;
  readonly onProgress?: (message: string) => void;
}

/** What is never seen without `--identity-domain-url`. */
export const OTHER_DOMAINS_NOT_SEEN =
  'dynamic groups of identity domains other than Default (the classic IAM API lists only Default): ' +
  'name each domain with --identity-domain-url URL';

/**
 * Explains one instance's access. Calls: the function's own membership
 * reads for an `updateinstance` event (GetInstance, GetNodePool of its
 * hint, and when the hint does not hold, GetCluster, ListNodePools pages and
 * GetNodePool per pool of the searched compartments), one GetCluster when
 * the decision did not read the pool's cluster, the pages of ListCompartments
 * over the tenancy's subtree, the pages of ListPolicies for the tenancy and
 * each live compartment, and the pages of ListDynamicGroups (and of each
 * named identity domain's list). The ports' own set-up may cost more (the
 * identity-domain adapter finds the named domains with ListDomains).
 */
export async function explainInstance(ports: AccessPorts, instanceId: string, settings: ExplainSettings): Promise<ExplainResult> {
  const progress = settings.onProgress ?? (() => {});
  const { config } = settings;
  progress('deciding membership as the function does');
  const decision = await decideAsTheFunction(config, ports, settings.scope, instanceId);
  const unread: UnreadPart[] = [];
  const cluster = await clusterOf(ports, decision, unread);
  const iam = await readTenancyIam(ports, progress);
  unread.push(...iam.unread);

  const instance = decision.reads.snapshot?.instance;
  const subjects = instance === undefined ? undefined : ruleSubjects(instance, decision, config);
  const instanceReason = instance === undefined ? 'the instance could not be read (the member reason says why)' : decision.memberReason;
  const dynamicGroups = explainDynamicGroups(iam, subjects, instanceReason);
  const namedDomains = ports.identityDomains.map((domain) => domain.domain);
  const findings = explainStatements(iam, dynamicGroups, readGroupsOf(iam, namedDomains), namedDomains);
  const { statements } = findings;
  const nodePool = nodePoolOf(decision, iam);
  const notSeen = [...(namedDomains.length === 0 ? [OTHER_DOMAINS_NOT_SEEN] : []), ...notSeenGroups(findings)];
  const decided =
    decision.member !== 'unknown' &&
    decision.action !== 'unknown' &&
    nodePool !== 'unknown' &&
    cluster !== 'unknown' &&
    dynamicGroups.every((group) => group.matchesNow !== 'unknown' && group.matchesWhenCorrect !== 'unknown') &&
    statements.every((statement) => statement.basis !== 'not-parsed' && statement.basis !== 'domain-not-read');
  return deepFreeze({
    instance: instance === undefined ? 'unknown' : describeInstance(instance, iam),
    nodePool,
    cluster: cluster === 'unknown' || cluster === null ? cluster : { ...cluster, compartmentPath: pathOf(cluster.compartmentId, iam) },
    member: decision.member,
    memberReason: decision.memberReason,
    tagNamespace: config.tagNamespace,
    expectedTags: decision.expectedTags,
    actualTags: instance === undefined ? 'unknown' : ourTagValues(instance.definedTags, config),
    action: decision.action,
    actionReason: decision.actionReason,
    dynamicGroups,
    statements,
    unread,
    notSeen,
    complete: decided && unread.length === 0,
  });
}

/** The identity domains and group OCIDs that statements name but that were not read, as "Could not be seen" says them. */
function notSeenGroups(findings: StatementFindings): string[] {
  return [
    ...findings.domainsNotNamed.map(
      (domain) =>
        `identity domain ${domain}: statements name its dynamic groups, which were not read (name it with --identity-domain-url URL)`,
    ),
    ...findings.groupIdsNotFound.map((id) => `dynamic group ${id}: a statement names it by OCID, and no domain read holds it`),
  ];
}

function describeInstance(instance: InstanceInfo, iam: TenancyIam): ExplainedInstance {
  const hints = readOkeHints(instance.metadata);
  return {
    id: instance.id,
    displayName: instance.displayName,
    compartmentId: instance.compartmentId,
    compartmentPath: compartmentPath(instance.compartmentId, iam.tree),
    lifecycleState: instance.lifecycleState,
    timeCreated: instance.timeCreated,
    okeHints: { nodePoolId: hints.nodePoolId, clusterId: hints.clusterId, hasOkeMetadata: hints.hasOkeMetadata },
  };
}

function pathOf(compartmentId: string | undefined, iam: TenancyIam): string | undefined {
  return compartmentId === undefined ? undefined : compartmentPath(compartmentId, iam.tree);
}

function nodePoolOf(decision: Decision, iam: TenancyIam): ExplainedNodePool | null | 'unknown' {
  if (decision.member === 'unknown') return 'unknown';
  const { result } = decision;
  if (decision.member === false || result?.nodePoolId === undefined) return null;
  const pool = decision.reads.pools.get(result.nodePoolId);
  return {
    id: result.nodePoolId,
    name: result.nodePoolName ?? pool?.name ?? '',
    compartmentId: pool?.compartmentId,
    compartmentPath: pathOf(pool?.compartmentId, iam),
    lifecycleState: pool?.lifecycleState,
    foundVia: result.foundVia,
  };
}

/** The member's cluster: as the decision read it, or read once more when the decision did not need it. */
async function clusterOf(
  ports: AccessPorts,
  decision: Decision,
  unread: UnreadPart[],
): Promise<Omit<ExplainedCluster, 'compartmentPath'> | null | 'unknown'> {
  if (decision.member === 'unknown') return 'unknown';
  const clusterId = decision.result?.clusterId;
  if (decision.member === false || clusterId === undefined) return null;
  const known = decision.reads.clusters.get(clusterId);
  if (known !== undefined) return { id: known.id, name: known.name, compartmentId: known.compartmentId };
  try {
    const cluster = await ports.containerEngine.getCluster(clusterId);
    if (cluster !== undefined) return { id: cluster.id, name: cluster.name, compartmentId: cluster.compartmentId };
    unread.push({
      operation: 'GetCluster',
      resourceId: clusterId,
      reason: 'answered 404: missing or not readable (grant read cluster-family)',
    });
  } catch (error) {
    unread.push({ operation: 'GetCluster', resourceId: clusterId, reason: describeError(error) });
  }
  return 'unknown';
}

/** The instance's tags now, and as the function would leave them: our keys set for a member, removed for a proven non-member. */
function ruleSubjects(instance: InstanceInfo, decision: Decision, config: TaggerConfig): RuleSubjects {
  const now = instance.definedTags;
  let whenCorrect: DefinedTags | undefined;
  if (decision.member === true && decision.expectedTags !== 'unknown') {
    whenCorrect = mergeDefinedTags(now, { namespace: config.tagNamespace, values: decision.expectedTags });
  } else if (decision.member === false) {
    whenCorrect = removeDefinedTags(now, config.tagNamespace, ourTagKeys(config));
  }
  return { id: instance.id, compartmentId: instance.compartmentId, now, whenCorrect };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
