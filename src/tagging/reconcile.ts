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
import { TaggerError } from '../errors';
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
  /** Stage pools: index of the next pool in OCID order (our writes never change that list). */
  readonly next: number;
  /** Stage prune: the last candidate handled; candidates are taken in OCID order, and a prune removes its instance from them. */
  readonly after?: string;
}

/** A resume token that does not fit the request. */
export class ResumeTokenError extends TaggerError {
  /** A bad token is the caller's mistake: the invocation answers `rejected`. */
  override readonly failsInvocation = false;

  constructor(message: string) {
    super(`resume token: ${message}`);
    this.name = 'ResumeTokenError';
  }
}

function fingerprint(options: ReconcileOptions): string {
  const text = JSON.stringify([[...options.compartmentIds].sort(), [...(options.clusterIds ?? [])].sort(), options.keys.tagNamespace, options.keys.tagName, options.keys.clusterTagName ?? '']);
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
    !Number.isInteger(candidate.next) ||
    (candidate.next as number) < 0 ||
    (candidate.after !== undefined && typeof candidate.after !== 'string')
  ) {
    throw new ResumeTokenError('not a token this tool issued');
  }
  if (candidate.scope !== scope) throw new ResumeTokenError('issued for other compartments, clusters or tag keys');
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
export function planInstance(instance: InstanceInfo, pool: NodePoolInfo | undefined, keys: TagKeys, clusterName: string | undefined): Omit<PlannedAction, 'applied'> {
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

async function forEachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** Runs a reconcile. Never writes in a dry run; prunes only with `prune`. */
export async function reconcile(compute: ComputePort, containerEngine: ContainerEnginePort, options: ReconcileOptions): Promise<ReconcileSummary> {
  const scope = fingerprint(options);
  const resume = options.resume === undefined ? undefined : decodeResume(options.resume, scope);
  const counts: Record<ReconcileAction, number> = { tag: 0, fix: 0, prune: 0, ok: 0 };
  let applied = 0;
  let failed = 0;
  let unseenNodes = 0;
  const outOfTime = () => options.deadline.remainingMs() < options.reserveMs;

  const summaries = new Map<string, NodePoolSummaryInfo>();
  for (const compartmentId of options.compartmentIds) {
    const filters = options.clusterIds && options.clusterIds.length > 0 ? options.clusterIds : [undefined];
    for (const clusterId of filters) {
      for (const pool of await containerEngine.listNodePools(compartmentId, clusterId)) summaries.set(pool.id, pool);
    }
  }
  const pools = [...summaries.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const instances = new Map<string, InstanceInfo>();
  for (const compartmentId of options.compartmentIds) {
    for (const instance of await compute.listInstances(compartmentId)) {
      if (instance.lifecycleState !== 'TERMINATED' && instance.lifecycleState !== 'TERMINATING') instances.set(instance.id, instance);
    }
  }

  const clusterNames = new Map<string, Promise<ClusterInfo | undefined>>();
  const clusterName = async (clusterId: string): Promise<string | undefined> => {
    if (options.keys.clusterTagName === undefined) return undefined;
    if (!clusterNames.has(clusterId)) clusterNames.set(clusterId, containerEngine.getCluster(clusterId));
    return (await clusterNames.get(clusterId))?.name;
  };

  const record = (plan: Omit<PlannedAction, 'applied'>, result: { applied: boolean; error?: string }) => {
    counts[plan.action] += 1;
    if (result.applied) applied += 1;
    if (result.error !== undefined) failed += 1;
    options.onAction?.({ ...plan, ...result });
  };

  const writeOptions = options.onEtagConflict ? { onEtagConflict: options.onEtagConflict } : {};
  const applyPlan = async (plan: Omit<PlannedAction, 'applied'>, desired: DesiredTags | undefined): Promise<void> => {
    const wanted = plan.action === 'prune' ? options.apply && options.prune : options.apply && plan.action !== 'ok';
    if (!wanted) return record(plan, { applied: false });
    try {
      const change =
        plan.action === 'prune'
          ? (current: DefinedTags) =>
              Object.keys(ourValues(current, options.keys)).length === 0
                ? undefined
                : removeDefinedTags(current, options.keys.tagNamespace, [options.keys.tagName, ...(options.keys.clusterTagName ? [options.keys.clusterTagName] : [])])
          : (current: DefinedTags) => (hasDesiredTags(current, desired as DesiredTags) ? undefined : mergeDefinedTags(current, desired as DesiredTags));
      const result = await writeDefinedTags(compute, plan.instanceId, change, writeOptions);
      record(plan, { applied: result.written });
    } catch (error) {
      record(plan, { applied: false, error: error instanceof Error ? error.message : String(error) });
    }
  };

  // Stage 1: pool by pool, plan and apply for the pool's members.
  const members = new Map<string, NodePoolInfo>();
  const startPool = resume?.stage === 'pools' ? resume.next : resume?.stage === 'prune' ? pools.length : 0;
  for (let index = startPool; index < pools.length; index += options.concurrency) {
    if (outOfTime()) return finish(false, { v: 1, scope, stage: 'pools', next: index });
    const batch = pools.slice(index, index + options.concurrency);
    const read = await Promise.all(batch.map((summary) => containerEngine.getNodePool(summary.id)));
    const work: { plan: Omit<PlannedAction, 'applied'>; desired: DesiredTags | undefined }[] = [];
    for (const pool of read) {
      if (pool === undefined) continue;
      const name = await clusterName(pool.clusterId);
      for (const nodeId of pool.nodeIds) {
        members.set(nodeId, pool);
        const instance = instances.get(nodeId);
        if (instance === undefined) {
          unseenNodes += 1;
          continue;
        }
        const plan = planInstance(instance, pool, options.keys, name);
        work.push({ plan, desired: plan.action === 'ok' ? undefined : decideTags(options.keys, pool.name, name) });
      }
    }
    await forEachLimited(work, options.concurrency, ({ plan, desired }) => applyPlan(plan, desired));
    options.onProgress?.({ stage: 'pools', done: Math.min(index + options.concurrency, pools.length), total: pools.length });
  }

  // Stage 2: instances that are in no scanned pool. Those carrying our pool key
  // are prune candidates, confirmed first through their own oke-pool-id hint,
  // so that a node of a pool outside the scanned compartments is never pruned.
  // A resumed run has not seen every pool's members in this call, so it reads
  // the pools it skipped before judging any candidate.
  const resumeAfter = resume?.stage === 'prune' ? resume.after : undefined;
  const nonMembers = () => [...instances.values()].filter((instance) => !members.has(instance.id)).sort((x, y) => (x.id < y.id ? -1 : 1));
  const prunable = (list: InstanceInfo[]) => list.filter((instance) => planInstance(instance, undefined, options.keys, undefined).action === 'prune');
  let others = nonMembers();
  let pending = prunable(others);
  if (startPool > 0 && pending.length > 0) {
    for (let index = 0; index < Math.min(startPool, pools.length); index += options.concurrency) {
      if (outOfTime()) return finish(false, resume ?? { v: 1, scope, stage: 'pools', next: 0 });
      const read = await Promise.all(pools.slice(index, index + options.concurrency).map((summary) => containerEngine.getNodePool(summary.id)));
      for (const pool of read) for (const nodeId of pool?.nodeIds ?? []) if (pool) members.set(nodeId, pool);
    }
    others = nonMembers();
    pending = prunable(others);
  }
  // Non-members without our key need nothing; a resumed run cannot tell them from earlier pools' members, so only a full run lists them.
  if (startPool === 0 && resumeAfter === undefined) {
    const pendingIds = new Set(pending.map((instance) => instance.id));
    for (const instance of others) if (!pendingIds.has(instance.id)) record(planInstance(instance, undefined, options.keys, undefined), { applied: false });
  }
  if (resumeAfter !== undefined) pending = pending.filter((instance) => instance.id > resumeAfter);
  for (let index = 0; index < pending.length; index += options.concurrency) {
    if (outOfTime()) return finish(false, { v: 1, scope, stage: 'prune', next: 0, ...(index > 0 ? { after: (pending[index - 1] as InstanceInfo).id } : resumeAfter ? { after: resumeAfter } : {}) });
    await forEachLimited(pending.slice(index, index + options.concurrency), options.concurrency, async (instance) => {
      const hint = readOkeHints(instance.metadata).nodePoolId;
      const hinted = hint === undefined ? undefined : await containerEngine.getNodePool(hint);
      if (hinted?.nodeIds.includes(instance.id)) {
        const name = await clusterName(hinted.clusterId);
        const plan = planInstance(instance, hinted, options.keys, name);
        return applyPlan(plan, plan.action === 'ok' ? undefined : decideTags(options.keys, hinted.name, name));
      }
      return applyPlan(planInstance(instance, undefined, options.keys, undefined), undefined);
    });
    options.onProgress?.({ stage: 'prune', done: Math.min(index + options.concurrency, pending.length), total: pending.length });
  }
  return finish(true, undefined);

  function finish(complete: boolean, next: ResumeState | undefined): ReconcileSummary {
    return {
      counts,
      applied,
      failed,
      unseenNodes,
      pools: pools.length,
      instances: instances.size,
      complete,
      ...(next ? { resume: encodeResume(next) } : {}),
    };
  }
}
