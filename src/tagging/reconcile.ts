/**
 * Reconcile: bring every instance in some compartments in line with the node
 * pools that really contain them. Launch events cover new nodes only; this
 * backfills nodes that predate the function, catches lost events, follows
 * pool renames, and finds instances that carry a pool tag without being in
 * that pool (someone tagging their own VM into a pool's dynamic group).
 *
 * The run works pool by pool in a stable order, so that a run cut short by a
 * deadline can hand back a resume token and the next run carries on where
 * this one stopped.
 */
import type { Deadline } from '../deadline';
import { ClusterNotFoundError, DeadlineError, ResumeTokenError, TaggerError } from '../errors';
import { readOkeHints } from './find-node-pool';
import type { ClusterInfo, ComputePort, ContainerEnginePort, DefinedTags, InstanceInfo, NodePoolInfo, NodePoolSummaryInfo } from './model';
import { decideTags, hasDesiredTags, mergeDefinedTags, readTag, removeDefinedTags, type DesiredTags, type TagKeys } from './tags';
import { writeDefinedTags } from './write-tags';

export type ReconcileAction = 'tag' | 'fix' | 'prune' | 'ok';
export const RECONCILE_ACTIONS: readonly ReconcileAction[] = ['tag', 'fix', 'prune', 'ok'];

/** One instance's planned (and possibly applied) action. */
export interface PlannedAction {
  readonly instanceId: string;
  readonly instanceName?: string | undefined;
  readonly action: ReconcileAction;
  /** Our keys' current values (absent keys left out). */
  readonly from: Readonly<Record<string, unknown>>;
  /** Our keys' wanted values; empty for a prune. */
  readonly to: Readonly<Record<string, string>>;
  readonly nodePoolId?: string | undefined;
  readonly nodePoolName?: string | undefined;
  /** True once written; false in a dry run, for `ok`, and for a prune without --prune. */
  readonly applied: boolean;
  /** Why applying failed, when it did; the run goes on. */
  readonly error?: string;
}

export interface ReconcileOptions {
  readonly compartmentIds: readonly string[];
  /** Narrow the run to these clusters' node pools. */
  readonly clusterIds?: readonly string[];
  readonly keys: TagKeys;
  readonly apply: boolean;
  readonly prune: boolean;
  /** Calls in flight at once for GetNodePool and for writes. */
  readonly concurrency: number;
  readonly deadline: Deadline;
  /** Time kept back before the deadline to answer; the run stops cleanly before it. */
  readonly reserveMs: number;
  readonly resume?: string | undefined;
  readonly onAction?: (action: PlannedAction) => void;
  readonly onProgress?: (progress: { readonly stage: 'pools' | 'prune'; readonly done: number; readonly total: number }) => void;
  readonly onEtagConflict?: () => void;
}

export interface ReconcileSummary {
  readonly counts: Readonly<Record<ReconcileAction, number>>;
  readonly applied: number;
  readonly failed: number;
  /** Nodes of scanned pools whose instances are not in the scanned compartments. */
  readonly unseenNodes: number;
  /** The first failures (pools or instances that could not be handled), with the error naming what failed. */
  readonly failures?: readonly { readonly resourceId: string; readonly error: string }[];
  readonly pools: number;
  readonly instances: number;
  /** False when the deadline stopped the run; `resume` then continues it. */
  readonly complete: boolean;
  readonly resume?: string;
}

interface ResumeState {
  readonly v: 1;
  /** Fingerprint of the request, so a token is never applied to another one. */
  readonly scope: string;
  readonly stage: 'pools' | 'prune';
  /** The last pool (stage pools) or prune candidate (stage prune) finished, in OCID order; ids, unlike positions, survive pools coming and going. */
  readonly after?: string;
}

function fingerprint(options: ReconcileOptions): string {
  const text = JSON.stringify([
    [...options.compartmentIds].sort(),
    [...(options.clusterIds ?? [])].sort(),
    options.keys.tagNamespace,
    options.keys.tagName,
    options.keys.clusterTagName ?? '',
    options.apply,
    options.prune,
  ]);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return hash.toString(36);
}

function encodeResume(state: ResumeState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeResume(token: string, scope: string): ResumeState {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new ResumeTokenError('not a token this tool issued');
  }
  const candidate = state as Partial<ResumeState> | null;
  if (
    !candidate ||
    candidate.v !== 1 ||
    (candidate.stage !== 'pools' && candidate.stage !== 'prune') ||
    (candidate.after !== undefined && typeof candidate.after !== 'string')
  ) {
    throw new ResumeTokenError('not a token this tool issued');
  }
  if (candidate.scope !== scope)
    throw new ResumeTokenError('issued for another request (other compartments, clusters, tag keys, apply or prune)');
  return candidate as ResumeState;
}

/** Our keys' current values on an instance. */
function ourValues(tags: DefinedTags, keys: TagKeys): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of [keys.tagName, ...(keys.clusterTagName ? [keys.clusterTagName] : [])]) {
    const value = readTag(tags, keys.tagNamespace, key);
    if (value !== undefined) values[key] = value;
  }
  return values;
}

/**
 * The pure plan for one instance: `pool` is the pool that lists it, if any.
 * A member gets `ok`, `tag` (none of our keys yet) or `fix` (a stale value);
 * a non-member carrying our pool key is a `prune` candidate.
 */
export function planInstance(
  instance: InstanceInfo,
  pool: NodePoolInfo | undefined,
  keys: TagKeys,
  clusterName: string | undefined,
): Omit<PlannedAction, 'applied'> {
  const from = ourValues(instance.definedTags, keys);
  const base = { instanceId: instance.id, instanceName: instance.displayName, from };
  if (pool === undefined) {
    const carries = readTag(instance.definedTags, keys.tagNamespace, keys.tagName) !== undefined;
    return { ...base, action: carries ? 'prune' : 'ok', to: {} };
  }
  const desired = decideTags(keys, pool.name, clusterName);
  const member = { ...base, nodePoolId: pool.id, nodePoolName: pool.name, to: desired.values };
  if (hasDesiredTags(instance.definedTags, desired)) return { ...member, action: 'ok' };
  return { ...member, action: Object.keys(from).length === 0 ? 'tag' : 'fix' };
}

/**
 * Runs `work` over `items` with at most `concurrency` in flight. Every item
 * is settled before the first error, if any, is rethrown, so no write is
 * still running when the caller moves on.
 */
async function forEachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        firstError ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (firstError) throw firstError.error;
}

/** A counting semaphore: at most `slots` calls of `run` in flight at once. */
function limiter(slots: number): <T>(task: () => Promise<T>) => Promise<T> {
  let free = Math.max(1, slots);
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}

/** Failures kept in a summary; the count covers all of them. */
const MAX_REPORTED_FAILURES = 20;

/** Runs a reconcile. Never writes in a dry run; prunes only with `prune`. */
export async function reconcile(
  compute: ComputePort,
  containerEngine: ContainerEnginePort,
  options: ReconcileOptions,
): Promise<ReconcileSummary> {
  const scope = fingerprint(options);
  const resume = options.resume === undefined ? undefined : decodeResume(options.resume, scope);
  const resumed = resume !== undefined;
  const counts: Record<ReconcileAction, number> = { tag: 0, fix: 0, prune: 0, ok: 0 };
  const failures: { resourceId: string; error: string }[] = [];
  let applied = 0;
  let failed = 0;
  let unseenNodes = 0;
  let progressed = false;
  const outOfTime = () => options.deadline.remainingMs() < options.reserveMs;
  // Every call after the listing shares one budget of `concurrency` calls in flight.
  const limitCalls = limiter(options.concurrency);
  const clusterScope = options.clusterIds && options.clusterIds.length > 0 ? new Set(options.clusterIds) : undefined;

  const summaries = new Map<string, NodePoolSummaryInfo>();
  for (const compartmentId of options.compartmentIds) {
    for (const clusterId of clusterScope ? [...clusterScope] : [undefined]) {
      for (const pool of await containerEngine.listNodePools(compartmentId, clusterId)) summaries.set(pool.id, pool);
    }
  }
  const pools = [...summaries.values()].sort(byId);

  const instances = new Map<string, InstanceInfo>();
  for (const compartmentId of options.compartmentIds) {
    for (const instance of await compute.listInstances(compartmentId)) {
      if (instance.lifecycleState !== 'TERMINATED' && instance.lifecycleState !== 'TERMINATING') instances.set(instance.id, instance);
    }
  }

  const clusters = new Map<string, Promise<ClusterInfo | undefined>>();
  const clusterName = async (clusterId: string): Promise<string | undefined> => {
    if (options.keys.clusterTagName === undefined) return undefined;
    if (!clusters.has(clusterId))
      clusters.set(
        clusterId,
        limitCalls(() => containerEngine.getCluster(clusterId)),
      );
    const cluster = await clusters.get(clusterId);
    if (cluster === undefined) throw new ClusterNotFoundError(clusterId);
    return cluster.name;
  };

  const fail = (resourceId: string, error: unknown) => {
    failed += 1;
    if (failures.length < MAX_REPORTED_FAILURES)
      failures.push({ resourceId, error: error instanceof Error ? error.message : String(error) });
  };
  const record = (plan: Omit<PlannedAction, 'applied'>, result: { applied: boolean; error?: string }) => {
    counts[plan.action] += 1;
    progressed = true;
    if (result.applied) applied += 1;
    options.onAction?.({ ...plan, ...result });
  };

  const writeOptions = options.onEtagConflict ? { onEtagConflict: options.onEtagConflict } : {};
  const ourKeys = [options.keys.tagName, ...(options.keys.clusterTagName ? [options.keys.clusterTagName] : [])];
  /** Records the plan, writing it first when the run may. A deadline error is rethrown so the unit is redone on resume. */
  const applyPlan = async (plan: Omit<PlannedAction, 'applied'>, desired: DesiredTags | undefined, inScope = true): Promise<void> => {
    const wanted = inScope && (plan.action === 'prune' ? options.apply && options.prune : options.apply && plan.action !== 'ok');
    if (!wanted) return record(plan, { applied: false });
    const change =
      plan.action === 'prune'
        ? (current: DefinedTags) =>
            Object.keys(ourValues(current, options.keys)).length === 0
              ? undefined
              : removeDefinedTags(current, options.keys.tagNamespace, ourKeys)
        : (current: DefinedTags) =>
            hasDesiredTags(current, desired as DesiredTags) ? undefined : mergeDefinedTags(current, desired as DesiredTags);
    try {
      const result = await limitCalls(() => writeDefinedTags(compute, plan.instanceId, change, writeOptions));
      record(plan, { applied: result.written });
    } catch (error) {
      if (error instanceof DeadlineError) throw error;
      fail(plan.instanceId, error);
      record(plan, { applied: false, error: error instanceof Error ? error.message : String(error) });
    }
  };

  /** Plans and applies for one pool's members. */
  const reconcilePool = async (summary: NodePoolSummaryInfo, members: Map<string, NodePoolInfo>): Promise<void> => {
    const pool = await limitCalls(() => containerEngine.getNodePool(summary.id));
    if (pool === undefined) return;
    for (const nodeId of pool.nodeIds) members.set(nodeId, pool);
    const name = await clusterName(pool.clusterId);
    const desired = decideTags(options.keys, pool.name, name);
    const work: Omit<PlannedAction, 'applied'>[] = [];
    for (const nodeId of pool.nodeIds) {
      const instance = instances.get(nodeId);
      if (instance === undefined) unseenNodes += 1;
      else work.push(planInstance(instance, pool, options.keys, name));
    }
    await forEachLimited(work, options.concurrency, (plan) => applyPlan(plan, plan.action === 'ok' ? undefined : desired));
  };

  /**
   * Runs units in order, `concurrency` at a time. Returns the id to resume
   * after when the deadline stops it: the last unit before the first one that
   * did not finish, so nothing unfinished is skipped.
   */
  const runUnits = async <T extends { id: string }>(
    units: readonly T[],
    after: string | undefined,
    unit: (item: T) => Promise<void>,
    onBatch: (done: number) => void,
  ): Promise<{ stoppedAfter: string | undefined } | undefined> => {
    let lastDone = after;
    for (let index = 0; index < units.length; index += options.concurrency) {
      if (outOfTime()) return { stoppedAfter: lastDone };
      const batch = units.slice(index, index + options.concurrency);
      const outcomes = await Promise.all(
        batch.map(async (item) => {
          try {
            await unit(item);
            return 'done';
          } catch (error) {
            if (error instanceof DeadlineError) return 'deadline';
            fail(item.id, error);
            return 'done';
          }
        }),
      );
      const firstUnfinished = outcomes.indexOf('deadline');
      if (firstUnfinished >= 0) return { stoppedAfter: firstUnfinished === 0 ? lastDone : (batch[firstUnfinished - 1] as T).id };
      lastDone = (batch[batch.length - 1] as T).id;
      progressed = true;
      onBatch(Math.min(index + options.concurrency, units.length));
    }
    return undefined;
  };

  // Stage 1: pool by pool, in OCID order, plan and apply for the pool's members.
  const members = new Map<string, NodePoolInfo>();
  const poolsAfter = resume?.stage === 'pools' ? resume.after : undefined;
  const todoPools = resume?.stage === 'prune' ? [] : pools.filter((pool) => poolsAfter === undefined || pool.id > poolsAfter);
  const stopped = await runUnits(
    todoPools,
    poolsAfter,
    (pool) => reconcilePool(pool, members),
    (done) => options.onProgress?.({ stage: 'pools', done, total: todoPools.length }),
  );
  if (stopped) return finish({ v: 1, scope, stage: 'pools', ...(stopped.stoppedAfter ? { after: stopped.stoppedAfter } : {}) });

  // Stage 2: instances that are in no scanned pool. Those carrying our pool key
  // are prune candidates, confirmed first through their own oke-pool-id hint,
  // so that a node of a pool outside the scanned compartments is never pruned.
  // A resumed run has not seen every pool's members in this call, so it reads
  // the pools it skipped before judging any candidate.
  const nonMembers = () => [...instances.values()].filter((instance) => !members.has(instance.id)).sort(byId);
  const prunable = (list: InstanceInfo[]) =>
    list.filter((instance) => planInstance(instance, undefined, options.keys, undefined).action === 'prune');
  let others = nonMembers();
  let pending = prunable(others);
  if (resumed && pending.length > 0) {
    const skipped = pools.filter((pool) => todoPools.length === 0 || pool.id <= (poolsAfter ?? ''));
    for (let index = 0; index < skipped.length; index += options.concurrency) {
      if (outOfTime()) return finish(resume);
      try {
        const read = await Promise.all(
          skipped.slice(index, index + options.concurrency).map((summary) => containerEngine.getNodePool(summary.id)),
        );
        for (const pool of read) for (const nodeId of pool?.nodeIds ?? []) if (pool) members.set(nodeId, pool);
      } catch (error) {
        if (error instanceof DeadlineError) return finish(resume);
        throw error;
      }
    }
    others = nonMembers();
    pending = prunable(others);
  }
  // Non-members without our key need nothing; a resumed run cannot tell them from earlier pools' members, so only a full run lists them.
  if (!resumed) {
    const pendingIds = new Set(pending.map((instance) => instance.id));
    for (const instance of others)
      if (!pendingIds.has(instance.id)) record(planInstance(instance, undefined, options.keys, undefined), { applied: false });
  }
  const candidatesAfter = resume?.stage === 'prune' ? resume.after : undefined;
  if (candidatesAfter !== undefined) pending = pending.filter((instance) => instance.id > candidatesAfter);
  const prunedStop = await runUnits(
    pending,
    candidatesAfter,
    async (instance) => {
      const hint = readOkeHints(instance.metadata).nodePoolId;
      const hinted = hint === undefined ? undefined : await limitCalls(() => containerEngine.getNodePool(hint));
      if (hinted?.nodeIds.includes(instance.id)) {
        // A node of a pool outside the scanned compartments: never pruned, and only written when its cluster is in scope.
        const inScope = clusterScope === undefined || clusterScope.has(hinted.clusterId);
        const name = inScope ? await clusterName(hinted.clusterId) : undefined;
        const plan = inScope
          ? planInstance(instance, hinted, options.keys, name)
          : { ...planInstance(instance, hinted, { ...options.keys, clusterTagName: undefined }, undefined), action: 'ok' as const };
        return applyPlan(plan, plan.action === 'ok' ? undefined : decideTags(options.keys, hinted.name, name), inScope);
      }
      return applyPlan(planInstance(instance, undefined, options.keys, undefined), undefined);
    },
    (done) => options.onProgress?.({ stage: 'prune', done, total: pending.length }),
  );
  if (prunedStop) return finish({ v: 1, scope, stage: 'prune', ...(prunedStop.stoppedAfter ? { after: prunedStop.stoppedAfter } : {}) });
  return finish(undefined);

  function finish(next: ResumeState | undefined): ReconcileSummary {
    if (next !== undefined && !progressed) {
      throw new TaggerError(
        `reconcile made no progress before the deadline: listing the node pools and instances of ${options.compartmentIds.length} compartment(s)${resumed ? ' and re-reading the pools of earlier runs' : ''} leaves too little time; raise the timeout or split compartmentIds`,
      );
    }
    return {
      counts,
      applied,
      failed,
      ...(failures.length > 0 ? { failures } : {}),
      unseenNodes,
      pools: pools.length,
      instances: instances.size,
      complete: next === undefined,
      ...(next ? { resume: encodeResume(next) } : {}),
    };
  }
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
