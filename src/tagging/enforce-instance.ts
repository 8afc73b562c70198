/**
 * The use case behind an instance event (`launchinstance.end` and
 * `updateinstance`): decide the instance's membership by the one rule, then
 * make our keys say so, changing nothing else. A member gets its pool's
 * name; a proven non-member loses our keys; anything unknown is a failure
 * that names the read, and nothing is written.
 */
import type { Deadline, Sleep } from '../deadline';
import { ClusterNotFoundError, MembershipUnknownError } from '../errors';
import { isInstanceGone } from './lifecycle';
import { findMembership, PoolReads, readOkeHints } from './membership';
import type { ClusterInfo, ComputePort, ContainerEnginePort, InstanceSnapshot, NodePoolInfo } from './model';
import type { TagHistory } from './tag-history';
import { decideTags, hasDesiredTags, ourTagValues, removeOurTags, setDesiredTags, type TagKeys } from './tags';
import { writeDefinedTags } from './write-tags';

export type TagOutcome =
  'tagged' | 'unchanged' | 'would-tag' | 'not-in-node-pool' | 'not-yet-listed' | 'gone' | 'removed' | 'would-remove' | 'reported';

/** What happened to an instance's membership that an operator must hear of, besides the decision line. */
export interface Alert {
  readonly level: 'warn' | 'error';
  readonly msg: 'impostor reported' | 'tag contested';
}

export interface TagInstanceResult {
  readonly outcome: TagOutcome;
  readonly instanceId: string;
  /** The instance's display name, for people reading results and logs. */
  readonly instanceName?: string;
  readonly nodePoolId?: string;
  readonly nodePoolName?: string;
  readonly clusterId?: string;
  readonly clusterName?: string;
  /** Our keys and the values that were (or would be) set. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Our keys' values before the change, where there were any. */
  readonly previousTags?: Readonly<Record<string, unknown>>;
  /** Our keys that were (or would be) removed from a proven non-member. */
  readonly removedTags?: readonly string[];
  readonly reason?: string;
  readonly foundVia?: 'hint' | 'scan';
  readonly searchedCompartments?: readonly string[];
  readonly alert?: Alert;
}

/** Which event asks: a launch waits for a new node to be listed; an update does not. */
export type InstanceTrigger = 'launch' | 'update';

export interface EnforceInstanceDeps {
  readonly compute: ComputePort;
  readonly containerEngine: ContainerEnginePort;
  readonly keys: TagKeys;
  readonly dryRun: boolean;
  readonly extraCompartmentIds: readonly string[];
  readonly membershipWaitMs: number;
  /** How long a new OKE-looking instance is never proven a non-member. */
  readonly graceMs: number;
  /** `report`: a proven non-member carrying our keys is reported, not changed. */
  readonly impostorAction: 'remove' | 'report';
  readonly history: TagHistory;
  readonly deadline: Deadline;
  readonly sleep: Sleep;
  readonly now: () => number;
}

export { MAX_TAG_WRITES } from './write-tags';
/** GetNodePool calls in flight at once during a scan. */
export const SCAN_CONCURRENCY = 4;
/** Time kept back after the pool search for GetCluster and the write. */
const SEARCH_RESERVE_MS = 1500;

/**
 * Enforces one instance's pool tags. Costs one GetInstance for an instance
 * that is gone or has neither OKE metadata nor our keys; GetInstance and
 * GetNodePool for a node whose hint is right and whose tags are right; and
 * at most one UpdateInstance more when they are not.
 */
export async function enforceInstance(deps: EnforceInstanceDeps, instanceId: string, trigger: InstanceTrigger): Promise<TagInstanceResult> {
  const snapshot = await deps.compute.getInstance(instanceId);
  const { instance } = snapshot;
  const named = { instanceId, ...(instance.displayName === undefined ? {} : { instanceName: instance.displayName }) };
  if (isInstanceGone(instance.lifecycleState)) {
    return { outcome: 'gone', ...named, reason: `the instance is ${instance.lifecycleState ?? ''}: it gets no tag` };
  }
  const carried = ourTagValues(instance.definedTags, deps.keys);
  const carries = Object.keys(carried).length > 0;
  if (!readOkeHints(instance.metadata).hasOkeMetadata && !carries) {
    return {
      outcome: 'not-in-node-pool',
      ...named,
      reason: 'the instance has no OKE metadata (oke-pool-id, oke-cluster-id) and none of our keys, so it is not a managed OKE node',
      searchedCompartments: [],
    };
  }

  const search = await findMembership(instance, new PoolReads(deps.containerEngine), {
    compartmentIds: [instance.compartmentId, ...deps.extraCompartmentIds],
    membershipWaitMs: trigger === 'launch' ? deps.membershipWaitMs : 0,
    graceMs: deps.graceMs,
    scanConcurrency: SCAN_CONCURRENCY,
    deadline: deps.deadline,
    sleep: deps.sleep,
    reserveMs: SEARCH_RESERVE_MS,
    now: deps.now,
  });
  switch (search.verdict) {
    case 'member':
      return tagMember(deps, snapshot, search.pool, search.via, search.clusters, named);
    case 'non-member':
      if (!carries)
        return { outcome: 'not-in-node-pool', ...named, reason: search.reason, searchedCompartments: search.searchedCompartments };
      return removeFromNonMember(deps, snapshot, carried, {
        ...named,
        reason: search.reason,
        searchedCompartments: search.searchedCompartments,
      });
    case 'unknown':
      if (search.notYetListed)
        return { outcome: 'not-yet-listed', ...named, reason: search.reason, searchedCompartments: search.searchedCompartments };
      throw new MembershipUnknownError(instanceId, search.reason);
  }
}

async function tagMember(
  deps: EnforceInstanceDeps,
  snapshot: InstanceSnapshot,
  pool: NodePoolInfo,
  via: 'hint' | 'scan',
  clusters: ReadonlyMap<string, ClusterInfo>,
  named: { instanceId: string; instanceName?: string },
): Promise<TagInstanceResult> {
  let cluster: ClusterInfo | undefined;
  if (deps.keys.clusterTagName !== undefined) {
    cluster = clusters.get(pool.clusterId) ?? (await deps.containerEngine.getCluster(pool.clusterId));
    if (cluster === undefined) throw new ClusterNotFoundError(pool.clusterId);
  }
  const desired = decideTags(deps.keys, pool.name, cluster?.name);
  const found = {
    ...named,
    nodePoolId: pool.id,
    nodePoolName: pool.name,
    clusterId: pool.clusterId,
    ...(cluster ? { clusterName: cluster.name } : {}),
    tags: desired.values,
    foundVia: via,
  };
  const { instance } = snapshot;
  if (hasDesiredTags(instance.definedTags, desired)) return { outcome: 'unchanged', ...found };
  const previousTags = ourTagValues(instance.definedTags, deps.keys);
  if (deps.history.fixedRecently(instance.id, deps.now())) {
    return {
      outcome: 'reported',
      ...found,
      previousTags,
      reason: 'another writer changed our keys again shortly after this function set them; not rewritten, so the two never fight',
      alert: { level: 'error', msg: 'tag contested' },
    };
  }
  if (deps.dryRun) return { outcome: 'would-tag', ...found, previousTags };
  const write = await writeDefinedTags(deps.compute, instance.id, setDesiredTags(desired), { snapshot });
  if (!write.written) return { outcome: 'unchanged', ...found };
  deps.history.recordFix(instance.id, deps.now());
  return { outcome: 'tagged', ...found, previousTags: ourTagValues(write.snapshot.instance.definedTags, deps.keys) };
}

async function removeFromNonMember(
  deps: EnforceInstanceDeps,
  snapshot: InstanceSnapshot,
  carried: Readonly<Record<string, unknown>>,
  context: { instanceId: string; instanceName?: string; reason: string; searchedCompartments: readonly string[] },
): Promise<TagInstanceResult> {
  const removedTags = Object.keys(carried);
  const base = { ...context, previousTags: carried, removedTags };
  if (deps.impostorAction === 'report') return { outcome: 'reported', ...base, alert: { level: 'warn', msg: 'impostor reported' } };
  if (deps.dryRun) return { outcome: 'would-remove', ...base };
  const write = await writeDefinedTags(deps.compute, context.instanceId, removeOurTags(deps.keys), { snapshot });
  if (!write.written) return { outcome: 'not-in-node-pool', ...context };
  return { outcome: 'removed', ...base, previousTags: ourTagValues(write.snapshot.instance.definedTags, deps.keys) };
}
