/**
 * The one way this project writes tags: read the instance, compute the new
 * defined-tag map from what is there now, and write it with `If-Match`. On
 * 412 the instance is read again and the change recomputed, a bounded number
 * of times. An instance read without an ETag is read once more; still
 * without one, nothing is written. Used by every event type and by reconcile.
 */
import { EtagMismatchError, MissingEtagError, TagConflictError } from '../errors';
import type { ComputePort, InstanceSnapshot } from './model';
import type { TagChange } from './tags';

/** Writes attempted before a run of 412s is reported as a conflict. */
export const MAX_TAG_WRITES = 4;

export interface TagWriteResult {
  /** True when UpdateInstance succeeded; false when the tags needed no change. */
  readonly written: boolean;
  /** The snapshot the last decision was made on. */
  readonly snapshot: InstanceSnapshot;
}

/**
 * Applies `change` to the instance's defined tags. `change` returns the new
 * map, or `undefined` when the current tags need no change. `snapshot` is a
 * fresh read to start from; without it the instance is read first.
 */
export async function writeDefinedTags(
  compute: ComputePort,
  instanceId: string,
  change: TagChange,
  options: { snapshot?: InstanceSnapshot } = {},
): Promise<TagWriteResult> {
  let snapshot = options.snapshot ?? (await compute.getInstance(instanceId));
  for (let write = 1; ; write += 1) {
    let next = change(snapshot.instance.definedTags);
    if (next === undefined) return { written: false, snapshot };
    // No ETag, no write: one more read, then a clear failure.
    if (snapshot.etag === undefined) {
      snapshot = await compute.getInstance(instanceId);
      if (snapshot.etag === undefined) throw new MissingEtagError(instanceId);
      next = change(snapshot.instance.definedTags);
      if (next === undefined) return { written: false, snapshot };
    }
    const etag = snapshot.etag;
    try {
      await compute.updateDefinedTags(instanceId, next, etag);
      return { written: true, snapshot };
    } catch (error) {
      if (!(error instanceof EtagMismatchError)) throw error;
      if (write >= MAX_TAG_WRITES) throw new TagConflictError(instanceId, write);
      snapshot = await compute.getInstance(instanceId);
    }
  }
}
