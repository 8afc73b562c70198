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
 *
 * The file holds one class because the steps of a run share its state (the
 * counts, the members found so far, the one call budget); the resume token,
 * the per-instance plan and the ordered batches live in their own modules.
 */
import { createLimiter, forEachConcurrently, type Limiter } from '../concurrency';
import type { Deadline } from '../deadline';
import { ClusterNotFoundError, DeadlineError, TaggerError } from '../errors';
import { listsInstance, readOkeHints } from './find-node-pool';
import { runInOrder, type Stop } from './run-in-order';
import { isInstanceGone, isNodePoolDeleted } from './lifecycle';
import type { ClusterInfo, ComputePort, ContainerEnginePort, InstanceInfo, NodePoolInfo, NodePoolSummaryInfo } from './model';
import { planInstance, type InstancePlan, type PlannedAction, type ReconcileAction } from './plan';
import { decodeResumeToken, encodeResumeToken, requestFingerprint, type ReconcileStage, type ResumeState } from './resume-token';
import { decideTags, removeOurTags, setDesiredTags, type DesiredTags, type TagKeys } from './tags';
import { writeDefinedTags } from './write-tags';

export interface ReconcileProgress {
  readonly stage: ReconcileStage;
  readonly done: number;
  readonly total: number;
  /** Where a later run would carry on if this one ended now: the token a stop after this batch would give. */
  readonly resume: string;
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
  /** Checked where the deadline is: once true, the run starts no more work and stops as the deadline would stop it. */
  readonly stopRequested?: () => boolean;
  readonly onAction?: (action: PlannedAction) => void;
  readonly onProgress?: (progress: ReconcileProgress) => void;
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
  /** False when the deadline (or a stop request) stopped the run; `resume` then continues it. */
  readonly complete: boolean;
  readonly resume?: string;
}

/** Failures kept in a summary; the count covers all of them. */
const MAX_REPORTED_FAILURES = 20;

/** Runs a reconcile. Never writes in a dry run; prunes only with `prune`. */
export function reconcile(
  compute: ComputePort,
  containerEngine: ContainerEnginePort,
  options: ReconcileOptions,
): Promise<ReconcileSummary> {
  return new Reconciliation(compute, containerEngine, options).run();
}

/** One run's state and its steps. */
class Reconciliation {
  private readonly fingerprint: string;
  private readonly resume: ResumeState | undefined;
  private readonly counts: Record<ReconcileAction, number> = { tag: 0, fix: 0, prune: 0, ok: 0 };
  private readonly failures: { resourceId: string; error: string }[] = [];
  private applied = 0;
  private failed = 0;
  private unseenNodes = 0;
  private progressed = false;
  /** Every call after the listing shares one budget of `concurrency` calls in flight. */
  private readonly limitCalls: Limiter;
  private readonly clusterScope: ReadonlySet<string> | undefined;
  private readonly clusters = new Map<string, Promise<ClusterInfo | undefined>>();
  /** Instance OCID → the pool that lists it, for the pools read so far. */
  private readonly members = new Map<string, NodePoolInfo>();
  private pools: NodePoolSummaryInfo[] = [];
  private readonly instances = new Map<string, InstanceInfo>();

  constructor(
    private readonly compute: ComputePort,
    private readonly containerEngine: ContainerEnginePort,
    private readonly options: ReconcileOptions,
  ) {
    this.fingerprint = requestFingerprint(options);
    this.resume = options.resume === undefined ? undefined : decodeResumeToken(options.resume, this.fingerprint);
    this.limitCalls = createLimiter(options.concurrency);
    this.clusterScope = options.clusterIds && options.clusterIds.length > 0 ? new Set(options.clusterIds) : undefined;
  }

  async run(): Promise<ReconcileSummary> {
    await this.readScope();
    // Stage 1: pool by pool, in OCID order, plan and apply for the pool's members.
    const poolsAfter = this.resume?.stage === 'pools' ? this.resume.after : undefined;
    const todoPools = this.resume?.stage === 'prune' ? [] : this.pools.filter((pool) => poolsAfter === undefined || pool.id > poolsAfter);
    const poolStop = await this.runUnits(todoPools, poolsAfter, (pool) => this.reconcilePool(pool), 'pools');
    if (poolStop) return this.finish(this.stateAt('pools', poolStop));
    return this.pruneStage(todoPools, poolsAfter);
  }

  /** Lists the pools in scope (sorted by OCID; deleted pools prove nothing) and the instances that are not gone. */
  private async readScope(): Promise<void> {
    const summaries = new Map<string, NodePoolSummaryInfo>();
    for (const compartmentId of this.options.compartmentIds) {
      for (const clusterId of this.clusterScope ? [...this.clusterScope] : [undefined]) {
        for (const pool of await this.containerEngine.listNodePools(compartmentId, clusterId)) {
          if (!isNodePoolDeleted(pool.lifecycleState)) summaries.set(pool.id, pool);
        }
      }
    }
    this.pools = [...summaries.values()].sort(byId);
    for (const compartmentId of this.options.compartmentIds) {
      for (const instance of await this.compute.listInstances(compartmentId)) {
        if (!isInstanceGone(instance.lifecycleState)) this.instances.set(instance.id, instance);
      }
    }
  }

  /** Reads one pool, then plans and applies for its members. */
  private async reconcilePool(summary: NodePoolSummaryInfo): Promise<void> {
    const pool = await this.readPool(summary.id);
    if (pool === undefined) return;
    const name = await this.clusterName(pool.clusterId);
    const desired = decideTags(this.options.keys, pool.name, name);
    const plans: InstancePlan[] = [];
    for (const nodeId of pool.nodeIds) {
      const instance = this.instances.get(nodeId);
      if (instance === undefined) this.unseenNodes += 1;
      else plans.push(planInstance(instance, pool, this.options.keys, name));
    }
    await forEachConcurrently(plans, this.options.concurrency, (plan) => this.applyPlan(plan, desired));
  }

  /** GetNodePool within the call budget; records the pool's members. A deleted pool lists no members. */
  private async readPool(nodePoolId: string): Promise<NodePoolInfo | undefined> {
    const pool = await this.limitCalls(() => this.containerEngine.getNodePool(nodePoolId));
    if (pool === undefined || isNodePoolDeleted(pool.lifecycleState)) return undefined;
    for (const nodeId of pool.nodeIds) this.members.set(nodeId, pool);
    return pool;
  }

  /** The cluster's name when `cluster_tag_name` needs it (one GetCluster per cluster and run). */
  private async clusterName(clusterId: string): Promise<string | undefined> {
    if (this.options.keys.clusterTagName === undefined) return undefined;
    if (!this.clusters.has(clusterId))
      this.clusters.set(
        clusterId,
        this.limitCalls(() => this.containerEngine.getCluster(clusterId)),
      );
    const cluster = await this.clusters.get(clusterId);
    if (cluster === undefined) throw new ClusterNotFoundError(clusterId);
    return cluster.name;
  }

  /**
   * Records the plan, writing it first when the run may. A deadline error is
   * rethrown so that the unit is redone on resume; any other failure is
   * recorded and the run goes on.
   */
  private async applyPlan(plan: InstancePlan, desired: DesiredTags | undefined, inScope = true): Promise<void> {
    const { apply, prune } = this.options;
    const wanted = inScope && apply && (plan.action === 'prune' ? prune : plan.action !== 'ok');
    if (!wanted) return this.record(plan, { applied: false });
    const change = plan.action === 'prune' ? removeOurTags(this.options.keys) : setDesiredTags(desired as DesiredTags);
    try {
      const result = await this.limitCalls(() => writeDefinedTags(this.compute, plan.instanceId, change));
      this.record(plan, { applied: result.written });
    } catch (error) {
      if (error instanceof DeadlineError) throw error;
      this.fail(plan.instanceId, error);
      this.record(plan, { applied: false, error: messageOf(error) });
    }
  }

  /**
   * Stage 2: instances that are in no scanned pool. Those carrying our pool
   * key are prune candidates, confirmed first through their own oke-pool-id
   * hint, so that a node of a pool outside the scanned compartments is never
   * pruned. A resumed run has not seen every pool's members in this call, so
   * it reads the pools it skipped before judging any candidate.
   */
  private async pruneStage(todoPools: readonly NodePoolSummaryInfo[], poolsAfter: string | undefined): Promise<ReconcileSummary> {
    const resumed = this.resume !== undefined;
    let others = this.nonMembers();
    let pending = this.pruneCandidates(others);
    if (resumed && pending.length > 0) {
      const skipped = this.pools.filter((pool) => todoPools.length === 0 || pool.id <= (poolsAfter ?? ''));
      if (!(await this.readSkippedPools(skipped))) return this.finish(this.resume);
      others = this.nonMembers();
      pending = this.pruneCandidates(others);
    }
    // Non-members without our key need nothing; a resumed run cannot tell them from earlier pools' members, so only a full run lists them.
    if (!resumed) {
      const pendingIds = new Set(pending.map((instance) => instance.id));
      for (const instance of others) {
        if (!pendingIds.has(instance.id)) this.record(planInstance(instance, undefined, this.options.keys, undefined), { applied: false });
      }
    }
    const candidatesAfter = this.resume?.stage === 'prune' ? this.resume.after : undefined;
    if (candidatesAfter !== undefined) pending = pending.filter((instance) => instance.id > candidatesAfter);
    const pruneStop = await this.runUnits(pending, candidatesAfter, (instance) => this.settleCandidate(instance), 'prune');
    return this.finish(pruneStop ? this.stateAt('prune', pruneStop) : undefined);
  }

  /** Reads the pools an earlier run finished, for their members. False when the deadline stopped it. */
  private async readSkippedPools(skipped: readonly NodePoolSummaryInfo[]): Promise<boolean> {
    for (let index = 0; index < skipped.length; index += this.options.concurrency) {
      if (this.outOfTime()) return false;
      try {
        await Promise.all(skipped.slice(index, index + this.options.concurrency).map((summary) => this.readPool(summary.id)));
      } catch (error) {
        if (error instanceof DeadlineError) return false;
        throw error;
      }
    }
    return true;
  }

  /** A prune candidate: a member of its hinted pool (outside the scan) is planned as a member; any other is pruned. */
  private async settleCandidate(instance: InstanceInfo): Promise<void> {
    const hint = readOkeHints(instance.metadata).nodePoolId;
    const hinted = hint === undefined ? undefined : await this.limitCalls(() => this.containerEngine.getNodePool(hint));
    if (hinted !== undefined && listsInstance(hinted, instance.id)) {
      // A node of a pool outside the scanned compartments: never pruned, and only written when its cluster is in scope.
      const inScope = this.clusterScope === undefined || this.clusterScope.has(hinted.clusterId);
      if (!inScope) {
        const plan = planInstance(instance, hinted, { ...this.options.keys, clusterTagName: undefined }, undefined);
        return this.applyPlan({ ...plan, action: 'ok' }, undefined, false);
      }
      const name = await this.clusterName(hinted.clusterId);
      return this.applyPlan(planInstance(instance, hinted, this.options.keys, name), decideTags(this.options.keys, hinted.name, name));
    }
    return this.applyPlan(planInstance(instance, undefined, this.options.keys, undefined), undefined);
  }

  private nonMembers(): InstanceInfo[] {
    return [...this.instances.values()].filter((instance) => !this.members.has(instance.id)).sort(byId);
  }

  private pruneCandidates(instances: readonly InstanceInfo[]): InstanceInfo[] {
    return instances.filter((instance) => planInstance(instance, undefined, this.options.keys, undefined).action === 'prune');
  }

  /** Runs one stage's units in order; a deadline stop says where to resume. */
  private async runUnits<T extends { id: string }>(
    units: readonly T[],
    after: string | undefined,
    unit: (item: T) => Promise<void>,
    stage: ReconcileStage,
  ): Promise<Stop | undefined> {
    return runInOrder(units, {
      after,
      concurrency: this.options.concurrency,
      outOfTime: () => this.outOfTime(),
      unit,
      onFailure: (item, error) => this.fail(item.id, error),
      onBatch: (done, lastDone) => {
        this.progressed = true;
        this.options.onProgress?.({
          stage,
          done,
          total: units.length,
          resume: encodeResumeToken(this.stateAt(stage, { after: lastDone })),
        });
      },
    });
  }

  private outOfTime(): boolean {
    return this.options.stopRequested?.() === true || this.options.deadline.remainingMs() < this.options.reserveMs;
  }

  private stateAt(stage: ReconcileStage, stop: Stop): ResumeState {
    return { v: 1, scope: this.fingerprint, stage, ...(stop.after === undefined ? {} : { after: stop.after }) };
  }

  private fail(resourceId: string, error: unknown): void {
    this.failed += 1;
    if (this.failures.length < MAX_REPORTED_FAILURES) this.failures.push({ resourceId, error: messageOf(error) });
  }

  private record(plan: InstancePlan, result: { applied: boolean; error?: string }): void {
    this.counts[plan.action] += 1;
    this.progressed = true;
    if (result.applied) this.applied += 1;
    this.options.onAction?.({ ...plan, ...result });
  }

  /** The summary; `next` is where a later run resumes, when the deadline stopped this one. */
  private finish(next: ResumeState | undefined): ReconcileSummary {
    // A stop request is the caller's choice, not a timeout too short to ever finish, so it may stop before any progress.
    if (next !== undefined && !this.progressed && this.options.stopRequested?.() !== true) {
      const rereads = this.resume !== undefined ? ' and re-reading the pools of earlier runs' : '';
      throw new TaggerError(
        `reconcile made no progress before the deadline: listing the node pools and instances of ${this.options.compartmentIds.length} compartment(s)${rereads} leaves too little time; raise the timeout or split compartmentIds`,
      );
    }
    return {
      counts: this.counts,
      applied: this.applied,
      failed: this.failed,
      ...(this.failures.length > 0 ? { failures: this.failures } : {}),
      unseenNodes: this.unseenNodes,
      pools: this.pools.length,
      instances: this.instances.size,
      complete: next === undefined,
      ...(next ? { resume: encodeResumeToken(next) } : {}),
    };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
