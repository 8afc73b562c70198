/**
 * The invocation handler, in three steps: parse the input into a domain value,
 * run one use case, map the outcome or error to the response. It makes no SDK
 * calls itself; ports arrive through `createPorts`.
 */
import type { TaggerConfig } from './config';
import { Deadline, type Sleep } from './deadline';
import { describeError, PoolWritesFailedError, ReconcileUnverifiedError, TaggerError } from './errors';
import { parseInvocation, type EnforcedEvent, type InvocationHeaders } from './event';
import type { Logger } from './log';
import { createCallScope, newCallStats, type CallScope, type CallStats, type RetryPolicy } from './call-scope';
import type { Ports } from './tagging/model';
import type { TagInstanceResult, TagOutcome } from './tagging/enforce-instance';
import type { PoolEnforcement } from './tagging/enforce-pool';
import { createTagHistory, type TagHistory } from './tagging/tag-history';
import { enforceClusterWith, enforceInstanceWith, enforcePoolWith, reconcileWith, type UseCaseMemory } from './use-cases';

export type Outcome = TagOutcome | 'ignored' | 'rejected' | 'reconciled';

/** What a decision says, before the invocation's costs are added: a tagging result's fields, or a summary. */
export type ResultFields = Partial<Omit<TagInstanceResult, 'outcome'>> & {
  readonly outcome: Outcome;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly dryRun?: boolean;
  readonly [extra: string]: unknown;
};

/** The JSON object every invocation answers with (failures throw instead). */
export type InvocationResult = ResultFields & {
  readonly apiCalls: number;
  readonly retries: number;
  readonly durationMs: number;
};

export interface Invocation {
  readonly body: Buffer | Uint8Array | string;
  readonly headers: InvocationHeaders;
  readonly callId?: string | undefined;
  /** The raw `Fn-Deadline` header, if any. */
  readonly deadline?: string | null | undefined;
}

export interface HandlerDeps {
  readonly config: TaggerConfig;
  readonly logger: Logger;
  /** Builds the ports for one invocation; the SDK clients behind them are shared. */
  readonly createPorts: (scope: CallScope) => Ports | Promise<Ports>;
  /** Waits between retries and membership re-checks; real waits by default. */
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly retryPolicy?: RetryPolicy;
  /** Our own recent fixes, kept for the handler's lifetime (the process, in the function). */
  readonly history?: TagHistory;
}

export type InvocationHandler = (invocation: Invocation) => Promise<InvocationResult>;

/** Prune candidates listed in a function-mode reconcile answer, at most. */
const MAX_LISTED_CANDIDATES = 100;

/** Creates the handler over its dependencies. */
export function createHandler(deps: HandlerDeps): InvocationHandler {
  const now = deps.now ?? Date.now;
  const memory: UseCaseMemory = { history: deps.history ?? createTagHistory() };
  return async (invocation) => {
    const started = now();
    const logger = deps.logger.child({ callId: invocation.callId });
    const stats: CallStats = newCallStats();
    const finish = (result: ResultFields, log: Logger = logger): InvocationResult => {
      const full = { ...result, apiCalls: stats.apiCalls, retries: stats.retries, durationMs: now() - started };
      log.log(full.outcome === 'rejected' ? 'warn' : 'info', 'decision', full);
      return full;
    };

    const input = parseInvocation(invocation.body, invocation.headers);
    if (input.kind === 'rejected')
      return finish({ outcome: 'rejected', reason: input.reason, ...(input.eventId ? { eventId: input.eventId } : {}) });
    if (input.kind === 'ignored') {
      return finish({
        outcome: 'ignored',
        reason: input.reason,
        eventType: input.eventType,
        ...(input.eventId ? { eventId: input.eventId } : {}),
      });
    }

    const deadline = Deadline.fromHeader(invocation.deadline, deps.config.timeoutSeconds, now);
    const scopeFor = (log: Logger) =>
      createCallScope({ deadline, logger: log, stats, policy: deps.retryPolicy, sleep: deps.sleep, random: deps.random, now });

    if (input.kind === 'reconcile') {
      if (!deps.config.allowReconcile) {
        return finish({ outcome: 'rejected', reason: 'reconcile requests are turned off (config allow_reconcile=false)' });
      }
      const scope = scopeFor(logger);
      try {
        // impostor_action=report: prune candidates are listed, never changed.
        const prune = input.prune && deps.config.impostorAction === 'remove';
        const candidates: string[] = [];
        const summary = await reconcileWith(deps.config, await deps.createPorts(scope), scope, {
          runner: 'function',
          poolCompartmentIds: input.poolCompartmentIds,
          instanceCompartmentIds: input.instanceCompartmentIds,
          apply: input.apply,
          prune,
          resume: input.resume,
          onAction: (action) => {
            if (action.action === 'prune' && candidates.length < MAX_LISTED_CANDIDATES) candidates.push(action.instanceId);
          },
        });
        const result = {
          ...summary,
          poolCompartmentIds: input.poolCompartmentIds,
          instanceCompartmentIds: input.instanceCompartmentIds,
          prune,
          ...(candidates.length > 0 && !(prune && input.apply && !deps.config.dryRun) ? { pruneCandidates: candidates } : {}),
          etagConflicts: stats.etagConflicts,
          dryRun: !input.apply || deps.config.dryRun,
        };
        // Anything unknown or failed fails the invocation, so that the alarm on function errors fires; a deadline stop alone does not.
        if (summary.unknown > 0 || summary.failed > 0) throw new ReconcileUnverifiedError(result);
        return finish({ outcome: 'reconciled', ...result });
      } catch (error) {
        if (error instanceof TaggerError && !error.failsInvocation) return finish({ outcome: 'rejected', reason: error.message });
        throw failure(logger, error, { stats, started, now });
      }
    }

    const eventLogger = logger.child({ eventId: input.eventId, ...resourceField(input), eventCompartmentId: input.compartmentId });
    try {
      const scope = scopeFor(eventLogger);
      const ports = await deps.createPorts(scope);
      const dryRun = deps.config.dryRun ? { dryRun: true } : {};
      switch (input.kind) {
        case 'launch':
        case 'instance-updated': {
          const trigger = input.kind === 'launch' ? 'launch' : 'update';
          const { alert, ...result } = await enforceInstanceWith(deps.config, ports, scope, memory, input.instanceId, trigger);
          if (alert)
            eventLogger.log(alert.level, alert.msg, {
              outcome: result.outcome,
              nodePoolId: result.nodePoolId,
              previousTags: result.previousTags,
            });
          return finish({ ...result, eventId: input.eventId, eventType: input.eventType, ...dryRun }, eventLogger);
        }
        case 'pool-updated': {
          const { notices, ...result } = await enforcePoolWith(deps.config, ports, scope, input.nodePoolId);
          for (const { level, msg, ...fields } of notices) eventLogger.log(level, msg, fields);
          failIfWritesFailed(input.nodePoolId, [result]);
          return finish({ ...result, eventId: input.eventId, eventType: input.eventType, ...dryRun }, eventLogger);
        }
        case 'cluster-updated': {
          if (deps.config.clusterTagName === undefined) {
            return finish({
              outcome: 'ignored',
              reason: 'cluster events matter only with cluster_tag_name',
              eventId: input.eventId,
              eventType: input.eventType,
            });
          }
          const result = await enforceClusterWith(deps.config, ports, scope, input.clusterId);
          for (const pool of result.pools) for (const { level, msg, ...fields } of pool.notices) eventLogger.log(level, msg, fields);
          failIfWritesFailed(input.clusterId, result.pools);
          const pools = result.pools.map(({ notices: _notices, ...pool }) => pool);
          return finish({ ...result, pools, eventId: input.eventId, eventType: input.eventType, ...dryRun }, eventLogger);
        }
      }
    } catch (error) {
      throw failure(eventLogger, error, { stats, started, now });
    }
  };
}

/** A pool event whose writes failed for some nodes fails the invocation, after the other nodes were written. */
function failIfWritesFailed(resourceId: string, pools: readonly Omit<PoolEnforcement, 'notices'>[]): void {
  const failed = pools.reduce((sum, pool) => sum + (pool.failed ?? 0), 0);
  if (failed === 0) return;
  const applied = pools.reduce((sum, pool) => sum + pool.applied, 0);
  const first = pools.flatMap((pool) => pool.failures ?? [])[0];
  throw new PoolWritesFailedError(resourceId, failed, applied, first === undefined ? 'unknown' : `${first.resourceId}: ${first.error}`);
}

/** The log field naming the event's resource. */
function resourceField(input: EnforcedEvent): Record<string, string> {
  switch (input.kind) {
    case 'launch':
    case 'instance-updated':
      return { instanceId: input.instanceId };
    case 'pool-updated':
      return { nodePoolId: input.nodePoolId };
    case 'cluster-updated':
      return { clusterId: input.clusterId };
  }
}

/** Logs a failed invocation and returns the error to throw (the FDK answers 502 with its message). */
function failure(logger: Logger, error: unknown, context: { stats: CallStats; started: number; now: () => number }): Error {
  logger.log('error', 'invocation failed', {
    outcome: 'error',
    error: describeError(error),
    apiCalls: context.stats.apiCalls,
    retries: context.stats.retries,
    durationMs: context.now() - context.started,
  });
  if (error instanceof TaggerError) return error;
  return new TaggerError(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
