/**
 * The order of a reconcile run's pools: OCID order, rotated so that a
 * scheduled run without a resume token starts where the hour says. R
 * successive hourly runs that each finish only N/R pools then still cover
 * every pool once per cycle, and a resume token keeps the rotation.
 */

/**
 * Where a fresh run starts: the pool at index (hours since the epoch ×
 * ceil(N/R)) mod N of `sorted`; undefined (the first pool) without a rotation.
 */
export function rotationStart(
  sorted: readonly { id: string }[],
  rotation: { readonly runsPerCycle: number } | undefined,
  now: number,
): string | undefined {
  if (rotation === undefined || sorted.length === 0) return undefined;
  const step = Math.ceil(sorted.length / Math.max(1, rotation.runsPerCycle));
  const start = (Math.floor(now / 3_600_000) * step) % sorted.length;
  return start === 0 ? undefined : sorted[start]?.id;
}

/** The pools in OCID order starting at `from` and wrapping around; OCID order when `from` is unset. */
export function rotate<T extends { id: string }>(sorted: readonly T[], from: string | undefined): T[] {
  if (from === undefined) return [...sorted];
  const start = sorted.findIndex((pool) => pool.id >= from);
  return start <= 0 ? [...sorted] : [...sorted.slice(start), ...sorted.slice(0, start)];
}

/** The index in `ordered` (rotated at `from`) of the first pool after `after`; ids, unlike positions, survive pools coming and going. */
export function positionAfter(ordered: readonly { id: string }[], after: string | undefined, from: string | undefined): number {
  if (after === undefined) return 0;
  const key = (id: string) => (from !== undefined && id < from ? `1${id}` : `0${id}`);
  const index = ordered.findIndex((pool) => key(pool.id) > key(after));
  return index < 0 ? ordered.length : index;
}
