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
import { tagInstance, type TagInstanceResult } from './tagging/tag-instance';

/** Who runs a reconcile: the function must answer over the FDK before its deadline, the CLI only prints. */
export type ReconcileRunner = 'function' | 'cli';

/** Reconcile's defaults by runner: calls in flight, and time kept back from the deadline to stop cleanly and answer. */
export const RECONCILE_DEFAULTS: Readonly<Record<ReconcileRunner, { readonly concurrency: number; readonly reserveMs: number }>> =
  Object.freeze({
    function: Object.freeze({ concurrency: 8, reserveMs: 3000 }),
    cli: Object.freeze({ concurrency: 8, reserveMs: 500 }),
  });

/** Tags one instance as the configuration says (the launch-event use case). */
export function tagInstanceWith(config: TaggerConfig, ports: Ports, scope: CallScope, instanceId: string): Promise<TagInstanceResult> {
  return tagInstance(
    {
      compute: ports.compute,
      containerEngine: ports.containerEngine,
      keys: config,
      dryRun: config.dryRun,
      extraCompartmentIds: config.compartmentIds,
      membershipWaitMs: config.membershipWaitSeconds * 1000,
      deadline: scope.deadline,
      sleep: scope.sleep,
    },
    instanceId,
  );
}

/** What one reconcile run asks for; unset fields take {@link RECONCILE_DEFAULTS} for the runner. */
export interface ReconcileRun {
  readonly runner: ReconcileRunner;
  readonly compartmentIds: readonly string[];
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
    compartmentIds: run.compartmentIds,
    ...(run.clusterIds === undefined ? {} : { clusterIds: run.clusterIds }),
    keys: config,
    apply: run.apply && !config.dryRun,
    prune: run.prune,
    concurrency: run.concurrency ?? defaults.concurrency,
    deadline: scope.deadline,
    reserveMs: defaults.reserveMs,
    resume: run.resume,
    ...(run.stopRequested === undefined ? {} : { stopRequested: run.stopRequested }),
    ...(run.onAction === undefined ? {} : { onAction: run.onAction }),
    ...(run.onProgress === undefined ? {} : { onProgress: run.onProgress }),
  });
}
