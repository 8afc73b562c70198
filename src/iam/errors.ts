/**
 * Errors of the IAM generator. Both are expected outcomes of bad input (a
 * tenancy whose names the generator cannot express safely), never bugs, so
 * their messages say exactly which pool is at fault and how to fix it.
 */
import { TaggerError } from '../errors';

/** One node pool the generator cannot handle, and why. */
export interface PoolProblem {
  readonly poolId: string;
  readonly poolName: string;
  readonly clusterName: string;
  readonly problem: string;
}

/**
 * Node pool names collide within the scope and no cluster tag is configured
 * to tell the pools apart. The fix is a flag, so the CLI treats it as bad
 * usage (exit 2).
 */
export class PoolNameCollisionError extends TaggerError {
  constructor(
    readonly collisions: readonly (readonly PoolProblem[])[],
    message: string,
  ) {
    super(message);
    this.name = 'PoolNameCollisionError';
  }
}

/**
 * A pool or cluster name cannot be written safely into a matching rule or a
 * policy statement (a quote, a backslash, a control character, over 256
 * characters), or two pools cannot be told apart by any tag. Exit 1.
 */
export class UnrepresentableNameError extends TaggerError {
  constructor(
    readonly problems: readonly PoolProblem[],
    message: string,
  ) {
    super(message);
    this.name = 'UnrepresentableNameError';
  }
}

/**
 * The scheduled reconcile cannot be set up as asked: a cron expression that
 * cannot be read or never runs, or a detached timeout that is not shorter
 * than the schedule's interval. The fix is a flag, so the CLI treats it as
 * bad usage (exit 2).
 */
export class ScheduleSettingsError extends TaggerError {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleSettingsError';
  }
}
