/**
 * Kleene's three-valued logic, the one definition every check of this
 * project combines its answers with: `'unknown'` stands for a value that
 * could not be read or decided, so AND is false as soon as one part is
 * false and OR true as soon as one part is true, and otherwise `'unknown'`
 * wins over the remaining value.
 */

/** `true`, `false`, or `'unknown'` when the value cannot be decided. */
export type ThreeValued = boolean | 'unknown';

/** Kleene AND: `false` if any value is, else `'unknown'` if any value is, else `true` (also for no values). */
export function and(values: readonly ThreeValued[]): ThreeValued {
  if (values.includes(false)) return false;
  return values.includes('unknown') ? 'unknown' : true;
}

/** Kleene OR: `true` if any value is, else `'unknown'` if any value is, else `false` (also for no values). */
export function or(values: readonly ThreeValued[]): ThreeValued {
  if (values.includes(true)) return true;
  return values.includes('unknown') ? 'unknown' : false;
}

/** Kleene NOT: `'unknown'` stays `'unknown'`. */
export function not(value: ThreeValued): ThreeValued {
  return value === 'unknown' ? 'unknown' : !value;
}
