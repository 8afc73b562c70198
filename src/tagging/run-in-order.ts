/**
 * Runs units of work in a stable order, a batch at a time, so that a run the
 * deadline stops can say exactly where to resume: after the last unit before
 * the first one that did not finish. Nothing unfinished is ever skipped.
 */
import { DeadlineError } from '../errors';

/** Where the deadline stopped: the unit to resume after (undefined when none was finished). */
export interface Stop {
  readonly after: string | undefined;
}

export interface RunInOrderOptions<T> {
  /** The unit an earlier run finished last, if any. */
  readonly after: string | undefined;
  /** Units run at once, in one batch. */
  readonly concurrency: number;
  /** Checked before each batch; once true, the run stops there. */
  readonly outOfTime: () => boolean;
  readonly unit: (item: T) => Promise<void>;
  /** A unit failed for a reason other than the deadline; the run goes on. */
  readonly onFailure: (item: T, error: unknown) => void;
  /** A batch finished; `done` units of this run are finished, the last of them `lastDone`. */
  readonly onBatch: (done: number, lastDone: string) => void;
}

/**
 * Runs `units` in order, `concurrency` at a time. A unit cut off by a
 * {@link DeadlineError} stops the run; the answer is where to resume.
 * Returns undefined when every unit ran.
 */
export async function runInOrder<T extends { id: string }>(units: readonly T[], options: RunInOrderOptions<T>): Promise<Stop | undefined> {
  const { concurrency } = options;
  let lastDone = options.after;
  for (let index = 0; index < units.length; index += concurrency) {
    if (options.outOfTime()) return { after: lastDone };
    const batch = units.slice(index, index + concurrency);
    const finished = await Promise.all(batch.map((item) => runUnit(item, options)));
    const firstUnfinished = finished.indexOf(false);
    if (firstUnfinished >= 0) return { after: firstUnfinished === 0 ? lastDone : (batch[firstUnfinished - 1] as T).id };
    const last = (batch[batch.length - 1] as T).id;
    lastDone = last;
    options.onBatch(Math.min(index + concurrency, units.length), last);
  }
  return undefined;
}

/** Runs one unit; false when the deadline cut it off (it is redone on resume), true otherwise. */
async function runUnit<T>(item: T, options: RunInOrderOptions<T>): Promise<boolean> {
  try {
    await options.unit(item);
    return true;
  } catch (error) {
    if (error instanceof DeadlineError) return false;
    options.onFailure(item, error);
    return true;
  }
}
