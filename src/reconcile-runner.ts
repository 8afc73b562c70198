/**
 * Function mode of reconcile: a scheduled invocation whose body is
 * `{"action":"reconcile",…}` runs the same reconcile as the CLI, within the
 * invocation's deadline, and answers a summary with a resume token when the
 * deadline cut it short.
 */
import type { TaggerConfig } from './config';
import type { ReconcileRunner } from './handler';

/** Time kept back from the deadline to stop cleanly and answer. */
export const RECONCILE_RESERVE_MS = 3000;
export const RECONCILE_CONCURRENCY = 8;

/** Builds the handler's reconcile runner over the function's configuration. */
export function createReconcileRunner(config: TaggerConfig): ReconcileRunner {
  return async (request, scope, ports) => {
    const { reconcile } = await import('./tagging/reconcile');
    const summary = await reconcile(ports.compute, ports.containerEngine, {
      compartmentIds: request.compartmentIds,
      keys: config,
      apply: request.apply,
      prune: request.prune,
      concurrency: RECONCILE_CONCURRENCY,
      deadline: scope.deadline,
      reserveMs: RECONCILE_RESERVE_MS,
      resume: request.resume,
      onEtagConflict: () => {
        scope.stats.etagConflicts += 1;
      },
    });
    return { ...summary, compartmentIds: request.compartmentIds, prune: request.prune, etagConflicts: scope.stats.etagConflicts };
  };
}
