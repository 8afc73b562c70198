/**
 * What this function process remembers of its own fixes, so that it never
 * fights another writer: a member whose value is found wrong again within
 * {@link CONTEST_WINDOW_MS} of our own fix is reported, not rewritten. The
 * memory lives as long as the process (a warm function instance) and holds
 * at most {@link MAX_REMEMBERED_FIXES} instances, oldest forgotten first, so
 * a contest costs at most one rewrite per window per function instance.
 */

/** How long after our own fix a wrong value again counts as a contest. */
export const CONTEST_WINDOW_MS = 10 * 60 * 1000;
/** Instances remembered at most. */
export const MAX_REMEMBERED_FIXES = 10_000;

export interface TagHistory {
  /** Notes that we just set the instance's tags. */
  recordFix(instanceId: string, at: number): void;
  /** True when we set the instance's tags within the window before `now`. */
  fixedRecently(instanceId: string, now: number): boolean;
}

/** An in-memory history bounded in size and time. */
export function createTagHistory(windowMs = CONTEST_WINDOW_MS, capacity = MAX_REMEMBERED_FIXES): TagHistory {
  const fixes = new Map<string, number>();
  return {
    recordFix(instanceId, at) {
      fixes.delete(instanceId);
      fixes.set(instanceId, at);
      while (fixes.size > capacity) {
        const oldest = fixes.keys().next();
        if (oldest.done === true) break;
        fixes.delete(oldest.value);
      }
    },
    fixedRecently(instanceId, now) {
      const at = fixes.get(instanceId);
      return at !== undefined && now - at < windowMs;
    },
  };
}
