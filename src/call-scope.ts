/**
 * The call scope: what one invocation or CLI run needs to make OCI calls
 * (its deadline, its counters, its logger, the retry policy, a clock for
 * waits and jitter). Every composition root builds it through
 * {@link createCallScope}, so the defaults live in one place.
 */
import { realSleep, type Deadline, type Sleep } from './deadline';
import type { Logger } from './log';

export interface RetryPolicy {
  /** Attempts per operation, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Longest a single HTTP attempt may take before it is aborted. */
  readonly attemptTimeoutMs: number;
  /** Time kept back before the deadline to answer the invocation. */
  readonly reserveMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 100,
  maxDelayMs: 4000,
  attemptTimeoutMs: 10_000,
  reserveMs: 300,
});

/** Counts of what one invocation or run cost. */
export interface CallStats {
  /** HTTP requests sent to OCI, retries included. */
  apiCalls: number;
  /** Of those, how many were retries. */
  retries: number;
  /** UpdateInstance answers of 412 (a stale ETag); each one is followed by a re-read unless the writer gives up. */
  etagConflicts: number;
}

export function newCallStats(): CallStats {
  return { apiCalls: 0, retries: 0, etagConflicts: 0 };
}

/** What an adapter needs to make calls for one invocation. */
export interface CallScope {
  readonly deadline: Deadline;
  readonly stats: CallStats;
  readonly logger: Logger;
  readonly policy: RetryPolicy;
  readonly sleep: Sleep;
  readonly random: () => number;
  /** The wall clock (epoch ms), injected so that tests can move time. */
  readonly now: () => number;
}

export interface CallScopeSettings {
  readonly deadline: Deadline;
  readonly logger: Logger;
  /** Counters to add to; fresh ones by default. */
  readonly stats?: CallStats | undefined;
  readonly policy?: RetryPolicy | undefined;
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
  readonly now?: (() => number) | undefined;
}

/** A scope for one invocation or run; unset fields take the defaults (the shared policy, real waits, Math.random). */
export function createCallScope(settings: CallScopeSettings): CallScope {
  return {
    deadline: settings.deadline,
    stats: settings.stats ?? newCallStats(),
    logger: settings.logger,
    policy: settings.policy ?? DEFAULT_RETRY_POLICY,
    sleep: settings.sleep ?? realSleep,
    random: settings.random ?? Math.random,
    now: settings.now ?? Date.now,
  };
}
