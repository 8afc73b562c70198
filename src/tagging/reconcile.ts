/**
 * Reconcile: bring every instance in some compartments in line with the node
 * pools that really contain them. Events cover changes as they happen; this
 * backfills nodes that predate the function, catches lost events, follows
 * pool renames, and finds instances that carry our keys without being in a
 * pool (someone tagging their own VM into a pool's dynamic group).
 *
 * Only a proven non-member (the rule in membership.ts) loses our keys; an
 * instance whose membership cannot be decided is counted as unknown, never
 * pruned. The run works pool by pool in a stable order, so that a run cut
 * short by a deadline can hand back a resume token.
 *
 * The file holds one class because the steps of a run share its state (the
 * counts, the members found so far, the one call budget); the membership
 * rule, the resume token, the per-instance plan and the ordered batches
 * live in their own modules.
 */
import { createLimiter, forEachConcurrently, type Limiter } from '../concurrency';
import { ClusterNotFoundError, DeadlineError, TaggerError } from '../errors';
import { isInstanceGone, isNodePoolDeleted } from './lifecycle';
import { findMembership, incompleteReason, PoolReads, readOkeHints } from './membership';
import type { ComputePort, ContainerEnginePort, InstanceInfo, NodePoolInfo, NodePoolSummaryInfo } from './model';
import { planInstance, type InstancePlan, type ReconcileAction } from './plan';
import { decodeResumeToken, encodeResumeToken, requestFingerprint, type ReconcileStage, type ResumeState } from './resume-token';
import { positionAfter, rotate, rotationStart } from './rotation';
import { runInOrder, type Stop } from './run-in-order';
import type { ReconcileOptions, ReconcileSummary } from './reconcile-types';
import { decideTags, removeOurTags, setDesiredTags, slimForPlanning, type DesiredTags } from './tags';
import { writeDefinedTags } from './write-tags';

export type { ReconcileOptions, ReconcileProgress, ReconcileSummary } from './reconcile-types';

/** Failures kept in a summary; the count covers all of them. */
const MAX_REPORTED_FAILURES = 20;

/** Runs a reconcile. Never writes in a dry run; prunes only with `prune`, and only proven non-members. */
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
  private readonly counts: Record<ReconcileAction, number> = { tag: 0, fix: 0, prune: 0, ok: 0, unknown: 0 };
  private readonly failures: { resourceId: string; error: string }[] = [];
  private readonly warnings: string[] = [];
  private applied = 0;
  private failed = 0;
  private scopeUnknowns = 0;
  private unseenNodes = 0;
  private progressed = false;
  /** Every call after the listing shares one budget of `concurrency` calls in flight. */
  private readonly limitCalls: Limiter;
  private readonly reads: PoolReads;
  private readonly clusterScope: ReadonlySet<string> | undefined;
  /** Instance OCID → the pool that lists it, for the pools read so far. */
  private readonly members = new Map<string, NodePoolInfo>();
  private pools: NodePoolSummaryInfo[] = [];
  /** The pool the order starts at, when the run is rotated. */
  private from: string | undefined;
  private readonly instances = new Map<string, InstanceInfo>();

  constructor(
    private readonly compute: ComputePort,
    containerEngine: ContainerEnginePort,
    private readonly options: ReconcileOptions,
  ) {
    this.fingerprint = requestFingerprint(options);
    this.resume = options.resume === undefined ? undefined : decodeResumeToken(options.resume, this.fingerprint);
    this.limitCalls = createLimiter(options.concurrency);
    const limit = this.limitCalls;
    this.reads = new PoolReads({
      getNodePool: (id) => limit(() => containerEngine.getNodePool(id)),
      listNodePools: (compartmentId, clusterId) => containerEngine.listNodePools(compartmentId, clusterId),
      getCluster: (id) => limit(() => containerEngine.getCluster(id)),
    });
    this.clusterScope = options.clusterIds && options.clusterIds.length > 0 ? new Set(options.clusterIds) : undefined;
  }

  async run(): Promise<ReconcileSummary> {
    await this.readScope();
    // Stage 1: pool by pool, in OCID order from the rotation's start, plan and apply for the pool's members.
    this.from = this.resume?.from ?? rotationStart(this.pools, this.options.rotation, this.options.now());
    const ordered = rotate(this.pools, this.from);
    const poolsAfter = this.resume?.stage === 'pools' ? this.resume.after : undefined;
    const todoPools = this.resume?.stage === 'prune' ? [] : ordered.slice(positionAfter(ordered, poolsAfter, this.from));
    const poolStop = await this.runUnits(todoPools, poolsAfter, (pool) => this.reconcilePool(pool), 'pools');
    if (poolStop) return this.finish(this.stateAt('pools', poolStop));
    return this.nonMemberStage();
  }

  /**
   * Lists the pools in scope (sorted by OCID; deleted pools prove nothing) and
   * the instances that are not gone, keeping of each only what the plan needs.
   * A scope that finds no pool, or a cluster that matches none, is a warning
   * and an unknown: it is what the wrong compartments look like.
   */
  private async readScope(): Promise<void> {
    const summaries = new Map<string, NodePoolSummaryInfo>();
    for (const compartmentId of this.options.poolCompartmentIds) {
      for (const clusterId of this.clusterScope ? [...this.clusterScope] : [undefined]) {
        const list = await this.reads.listNodePools(compartmentId, clusterId);
        if (!list.ok) throw new TaggerError(list.error);
        for (const pool of list.value) if (!isNodePoolDeleted(pool.lifecycleState)) summaries.set(pool.id, pool);
      }
    }
    this.pools = [...summaries.values()].sort(byId);
    if (this.pools.length === 0)
      this.scopeWarning(`no node pool found in the pool compartments ${this.options.poolCompartmentIds.join(', ')}`);
    for (const clusterId of this.clusterScope ?? []) {
      if (!this.pools.some((pool) => pool.clusterId === clusterId))
        this.scopeWarning(`--cluster ${clusterId} matches no node pool in the pool compartments`);
    }
    for (const compartmentId of this.options.instanceCompartmentIds) {
      for (const instance of await this.compute.listInstances(compartmentId)) {
        if (!isInstanceGone(instance.lifecycleState)) this.instances.set(instance.id, slimForPlanning(instance, this.options.keys));
      }
    }
  }

  /** Reads one pool, then plans and applies for its members. */
  private async reconcilePool(summary: NodePoolSummaryInfo): Promise<void> {
    const read = await this.reads.getNodePool(summary.id);
    if (!read.ok) return this.fail(summary.id, read.error);
    const pool = read.value;
    if (pool === undefined)
      return this.fail(summary.id, `GetNodePool ${summary.id} answered 404 although ListNodePools lists it (grant read cluster-family)`);
    if (isNodePoolDeleted(pool.lifecycleState)) return;
    for (const nodeId of pool.nodeIds) this.members.set(nodeId, pool);
    const incomplete = incompleteReason(pool);
    if (incomplete !== undefined) this.warnings.push(`${incomplete}: its listed nodes are tagged, but it proves no one a non-member`);
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

  /** The cluster's name when `cluster_tag_name` needs it (one GetCluster per cluster and run). */
  private async clusterName(clusterId: string): Promise<string | undefined> {
    if (this.options.keys.clusterTagName === undefined) return undefined;
    const cluster = await this.reads.getCluster(clusterId);
    if (!cluster.ok) throw new TaggerError(cluster.error);
    if (cluster.value === undefined) throw new ClusterNotFoundError(clusterId);
    return cluster.value.name;
  }

  /**
   * Records the plan, writing it first when the run may. A deadline error is
   * rethrown so that the unit is redone on resume; any other failure is
   * recorded and the run goes on.
   */
  private async applyPlan(plan: InstancePlan, desired: DesiredTags | undefined, inScope = true): Promise<void> {
    const { apply, prune } = this.options;
    const wanted = inScope && apply && (plan.action === 'prune' ? prune : plan.action === 'tag' || plan.action === 'fix');
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
   * Stage 2: instances that no scanned pool lists. Those carrying our keys
   * are decided by the membership rule, over the pools already read. Of the
   * others, those whose oke-pool-id names a pool outside the scan are
   * unknown: the scan is missing their pool's compartment. A resumed run has
   * not read every pool in this call, so it lists only the candidates.
   */
  private async nonMemberStage(): Promise<ReconcileSummary> {
    const resumed = this.resume !== undefined;
    const others = [...this.instances.values()].filter((instance) => !this.members.has(instance.id)).sort(byId);
    let candidates = others.filter((instance) => planInstance(instance, undefined, this.options.keys, undefined).action === 'prune');
    if (!resumed) {
      const candidateIds = new Set(candidates.map((instance) => instance.id));
      let outside = 0;
      for (const instance of others) {
        if (candidateIds.has(instance.id)) continue;
        const plan = planInstance(instance, undefined, this.options.keys, undefined);
        const hint = readOkeHints(instance.metadata).nodePoolId;
        if (hint !== undefined && !this.reads.listed.has(hint)) {
          outside += 1;
          this.record(
            { ...plan, action: 'unknown', reason: `its oke-pool-id ${hint} is not in the scanned pool compartments` },
            { applied: false },
          );
        } else this.record(plan, { applied: false });
      }
      if (outside > 0)
        this.warnings.push(`${outside} instance(s) name node pools outside the scan in their oke-pool-id; add the pools' compartments`);
    }
    const candidatesAfter = this.resume?.stage === 'prune' ? this.resume.after : undefined;
    if (candidatesAfter !== undefined) candidates = candidates.filter((instance) => instance.id > candidatesAfter);
    const stop = await this.runUnits(candidates, candidatesAfter, (instance) => this.settleCandidate(instance), 'prune');
    return this.finish(stop ? this.stateAt('prune', stop) : undefined);
  }

  /** A candidate carrying our keys: a member gets its pool's tags (when its cluster is in scope), a proven non-member is pruned. */
  private async settleCandidate(instance: InstanceInfo): Promise<void> {
    const { keys } = this.options;
    if (this.pools.length === 0) {
      // A scan that found no pool at all is the wrong scope: it proves no one a non-member.
      const reason = 'no node pool was found in the pool compartments, so nothing is proven';
      return this.record({ ...planInstance(instance, undefined, keys, undefined), action: 'unknown', reason }, { applied: false });
    }
    const search = await findMembership(instance, this.reads, {
      compartmentIds: this.options.poolCompartmentIds,
      membershipWaitMs: 0,
      graceMs: this.options.graceMs,
      scanConcurrency: this.options.concurrency,
      deadline: this.options.deadline,
      sleep: async () => {},
      reserveMs: this.options.reserveMs,
      now: this.options.now,
    });
    if (search.verdict === 'unknown') {
      return this.record(
        { ...planInstance(instance, undefined, keys, undefined), action: 'unknown', reason: search.reason },
        { applied: false },
      );
    }
    if (search.verdict === 'non-member') {
      return this.applyPlan({ ...planInstance(instance, undefined, keys, undefined), reason: search.reason }, undefined);
    }
    const { pool } = search;
    // A node of a pool outside the run's clusters: never pruned, and not written.
    if (this.clusterScope !== undefined && !this.clusterScope.has(pool.clusterId)) {
      const plan = planInstance(instance, pool, { ...keys, clusterTagName: undefined }, undefined);
      return this.applyPlan({ ...plan, action: 'ok' }, undefined, false);
    }
    const name = await this.clusterName(pool.clusterId);
    return this.applyPlan(planInstance(instance, pool, keys, name), decideTags(keys, pool.name, name));
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
    return {
      v: 1,
      scope: this.fingerprint,
      stage,
      ...(stop.after === undefined ? {} : { after: stop.after }),
      ...(this.from === undefined ? {} : { from: this.from }),
    };
  }

  private scopeWarning(warning: string): void {
    this.warnings.push(warning);
    this.scopeUnknowns += 1;
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
      const compartments = new Set([...this.options.poolCompartmentIds, ...this.options.instanceCompartmentIds]).size;
      throw new TaggerError(
        `reconcile made no progress before the deadline: listing the node pools and instances of ${compartments} compartment(s)${rereads} leaves too little time; raise the timeout or split the compartments`,
      );
    }
    const unknown = this.counts.unknown + this.scopeUnknowns;
    const complete = next === undefined;
    return {
      counts: this.counts,
      applied: this.applied,
      failed: this.failed,
      unknown,
      ...(this.failures.length > 0 ? { failures: this.failures } : {}),
      ...(this.warnings.length > 0 ? { warnings: [...new Set(this.warnings)] } : {}),
      unseenNodes: this.unseenNodes,
      pools: this.pools.length,
      instances: this.instances.size,
      complete,
      verified: complete && unknown === 0 && this.failed === 0,
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
