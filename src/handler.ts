/**
 * The invocation handler, in three steps: parse the input into a domain value,
 * run one use case, map the outcome or error to the response. It makes no SDK
 * calls itself; ports arrive through `createPorts`.
 */
import type { TaggerConfig } from './config';
import { Deadline, type Sleep } from './deadline';
import { describeError, TaggerError } from './errors';
import { parseInvocation, type InvocationHeaders } from './event';
import type { Logger } from './log';
import { createCallScope, newCallStats, type CallScope, type CallStats, type RetryPolicy } from './call-scope';
import type { Ports } from './tagging/model';
import type { TagInstanceResult, TagOutcome } from './tagging/tag-instance';
import { reconcileWith, tagInstanceWith } from './use-cases';

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
}

export type InvocationHandler = (invocation: Invocation) => Promise<InvocationResult>;

/** Creates the handler over its dependencies. */
export function createHandler(deps: HandlerDeps): InvocationHandler {
  const now = deps.now ?? Date.now;
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
      createCallScope({ deadline, logger: log, stats, policy: deps.retryPolicy, sleep: deps.sleep, random: deps.random });

    if (input.kind === 'reconcile') {
      if (!deps.config.allowReconcile) {
        return finish({ outcome: 'rejected', reason: 'reconcile requests are turned off (config allow_reconcile=false)' });
      }
      const scope = scopeFor(logger);
      try {
        const summary = await reconcileWith(deps.config, await deps.createPorts(scope), scope, {
          runner: 'function',
          compartmentIds: input.compartmentIds,
          apply: input.apply,
          prune: input.prune,
          resume: input.resume,
        });
        const dryRun = !input.apply || deps.config.dryRun;
        return finish({
          outcome: 'reconciled',
          ...summary,
          compartmentIds: input.compartmentIds,
          prune: input.prune,
          etagConflicts: stats.etagConflicts,
          dryRun,
        });
      } catch (error) {
        if (error instanceof TaggerError && !error.failsInvocation) return finish({ outcome: 'rejected', reason: error.message });
        throw failure(logger, error, { stats, started, now });
      }
    }

    const eventLogger = logger.child({ eventId: input.eventId, instanceId: input.instanceId, eventCompartmentId: input.compartmentId });
    try {
      const scope = scopeFor(eventLogger);
      const result = await tagInstanceWith(deps.config, await deps.createPorts(scope), scope, input.instanceId);
      return finish({ ...result, eventId: input.eventId, ...(deps.config.dryRun ? { dryRun: true } : {}) }, eventLogger);
    } catch (error) {
      throw failure(eventLogger, error, { stats, started, now });
    }
  };
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
