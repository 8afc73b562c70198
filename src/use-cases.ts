/**
 * The one wiring of the use cases. The function's handler and every CLI
 * command reach tagging and reconcile through these two functions, so each
 * option and default is mapped from the configuration in one place and
 * `replay` runs exactly what the function runs.
 */
import type { CallScope } from './call-scope';
import type { TaggerConfig } from './config';
import type { Ports } from './tagging/model';
import type { PlannedAction } from './tagging/plan';
import type { ReconcileProgress, ReconcileSummary } from './tagging/reconcile';
import { enforceInstance, type InstanceTrigger, type TagInstanceResult } from './tagging/enforce-instance';
import { enforceCluster, enforcePool, type ClusterEnforcement, type PoolEnforcement } from './tagging/enforce-pool';
import type { TagHistory } from './tagging/tag-history';

/** Who runs a reconcile: the function must answer over the FDK before its deadline, the CLI only prints. */
export type ReconcileRunner = 'function' | 'cli';

/**
 * Reconcile's defaults by runner: calls in flight, time kept back from the
 * deadline to stop cleanly and answer, and, for the scheduled function, the
 * runs per rotation cycle (an hourly schedule covers every pool within a day
 * even when each run finishes only a 24th of them).
 */
export const RECONCILE_DEFAULTS: Readonly<
  Record<ReconcileRunner, { readonly concurrency: number; readonly reserveMs: number; readonly runsPerCycle?: number }>
> = Object.freeze({
  function: Object.freeze({ concurrency: 8, reserveMs: 3000, runsPerCycle: 24 }),
  cli: Object.freeze({ concurrency: 8, reserveMs: 500 }),
});

/** What the use cases keep across invocations of one process: our own recent fixes, so that we never fight another writer. */
export interface UseCaseMemory {
  readonly history: TagHistory;
}

/** Enforces one instance's tags as the configuration says (the instance-event use case). */
export function enforceInstanceWith(
  config: TaggerConfig,
  ports: Ports,
  scope: CallScope,
  memory: UseCaseMemory,
  instanceId: string,
  trigger: InstanceTrigger,
): Promise<TagInstanceResult> {
  return enforceInstance(
    {
      compute: ports.compute,
      containerEngine: ports.containerEngine,
      keys: config,
      dryRun: config.dryRun,
      extraCompartmentIds: config.compartmentIds,
      membershipWaitMs: config.membershipWaitSeconds * 1000,
      graceMs: config.membershipGraceMinutes * 60_000,
      impostorAction: config.impostorAction,
      history: memory.history,
      deadline: scope.deadline,
      sleep: scope.sleep,
      now: scope.now,
    },
    instanceId,
    trigger,
  );
}

/** Writes in flight for a pool event, and the time kept back to answer. */
export const POOL_EVENT_DEFAULTS = Object.freeze({ concurrency: 8, reserveMs: 3000 });

function poolDeps(config: TaggerConfig, ports: Ports, scope: CallScope) {
  return {
    compute: ports.compute,
    containerEngine: ports.containerEngine,
    keys: config,
    dryRun: config.dryRun,
    extraCompartmentIds: config.compartmentIds,
    concurrency: POOL_EVENT_DEFAULTS.concurrency,
    deadline: scope.deadline,
    reserveMs: POOL_EVENT_DEFAULTS.reserveMs,
  };
}

/** Enforces the tags of one pool's nodes (the node-pool-event use case). */
export function enforcePoolWith(config: TaggerConfig, ports: Ports, scope: CallScope, nodePoolId: string): Promise<PoolEnforcement> {
  return enforcePool(poolDeps(config, ports, scope), nodePoolId);
}

/** Enforces the tags of every pool of a cluster (the cluster-event use case, with `cluster_tag_name`). */
export function enforceClusterWith(config: TaggerConfig, ports: Ports, scope: CallScope, clusterId: string): Promise<ClusterEnforcement> {
  return enforceCluster(poolDeps(config, ports, scope), clusterId);
}

/** What one reconcile run asks for; unset fields take {@link RECONCILE_DEFAULTS} for the runner. */
export interface ReconcileRun {
  readonly runner: ReconcileRunner;
  /** Where the node pools are listed. */
  readonly poolCompartmentIds: readonly string[];
  /** Where the instances are listed. */
  readonly instanceCompartmentIds: readonly string[];
  readonly clusterIds?: readonly string[] | undefined;
  readonly apply: boolean;
  readonly prune: boolean;
  readonly resume?: string | undefined;
  readonly concurrency?: number | undefined;
  /** Once true, the run stops as at its deadline and hands back a resume token. */
  readonly stopRequested?: (() => boolean) | undefined;
  readonly onAction?: ((action: PlannedAction) => void) | undefined;
  readonly onProgress?: ((progress: ReconcileProgress) => void) | undefined;
}

/**
 * Runs a reconcile over `ports` within the scope's deadline. `dry_run` in the
 * configuration always wins over `apply`. The reconcile module is loaded on
 * first use, so a function that only tags never parses it.
 */
export async function reconcileWith(config: TaggerConfig, ports: Ports, scope: CallScope, run: ReconcileRun): Promise<ReconcileSummary> {
  const { reconcile } = await import('./tagging/reconcile');
  const defaults = RECONCILE_DEFAULTS[run.runner];
  return reconcile(ports.compute, ports.containerEngine, {
    poolCompartmentIds: run.poolCompartmentIds,
    instanceCompartmentIds: run.instanceCompartmentIds,
    ...(run.clusterIds === undefined ? {} : { clusterIds: run.clusterIds }),
    keys: config,
    apply: run.apply && !config.dryRun,
    prune: run.prune,
    concurrency: run.concurrency ?? defaults.concurrency,
    graceMs: config.membershipGraceMinutes * 60_000,
    deadline: scope.deadline,
    reserveMs: defaults.reserveMs,
    now: scope.now,
    resume: run.resume,
    ...(defaults.runsPerCycle === undefined ? {} : { rotation: { runsPerCycle: defaults.runsPerCycle } }),
    ...(run.stopRequested === undefined ? {} : { stopRequested: run.stopRequested }),
    ...(run.onAction === undefined ? {} : { onAction: run.onAction }),
    ...(run.onProgress === undefined ? {} : { onProgress: run.onProgress }),
  });
}
