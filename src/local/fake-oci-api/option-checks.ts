/** Checks of the numbers given in options and faults, so a typo fails at once rather than misbehaving later. */

/** `value` when it is an integer of at least 1; a RangeError naming `name` otherwise. */
export function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** `value` when it is a finite number of at least 0; a RangeError naming `name` otherwise. */
export function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}

/** `value` when it is one of `allowed`; a RangeError naming `name` otherwise. */
export function oneOf<T extends string>(value: T, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value)) throw new RangeError(`${name} must be one of ${allowed.join(', ')}, got ${String(value)}`);
  return value;
}
