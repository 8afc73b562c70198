/**
 * Bounded concurrency, written once: every worker pool in the project (the
 * launch path's pool scan, reconcile, snapshot, iam discovery) runs through
 * {@link forEachConcurrently}, and reconcile's shared call budget is a
 * {@link createLimiter}.
 */

export interface ForEachOptions {
  /** Checked before each item is started; once true, no further item starts. */
  readonly stop?: () => boolean;
}

/**
 * Runs `work` over `items` in order with at most `concurrency` in flight.
 * After the first failure no further item is started; the items already in
 * flight are awaited, so no call is still running when this returns, and the
 * first failure is then rethrown.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
  options: ForEachOptions = {},
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length && !(options.stop?.() ?? false)) {
      const index = next;
      next += 1;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(concurrency), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.error;
}

/** Runs a task within a limiter's budget. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** A counting semaphore: at most `slots` tasks run at once; the others wait in order. */
export function createLimiter(slots: number): Limiter {
  let free = Math.max(1, Math.floor(slots));
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}
