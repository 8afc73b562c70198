// Small statistics and formatting helpers for the bench.

/** The value at quantile q (0..1) by nearest rank; undefined for no values. */
export function quantile(values, q) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values) => quantile(values, 0.5);
export const p95 = (values) => quantile(values, 0.95);

export function mean(values) {
  const finite = values.filter((value) => Number.isFinite(value));
  return finite.length === 0 ? undefined : finite.reduce((sum, value) => sum + value, 0) / finite.length;
}

/** Milliseconds, with precision that suits the magnitude. */
export function ms(value) {
  if (value === undefined || value === null || !Number.isFinite(value)) return '–';
  if (value >= 10000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  return `${value.toFixed(1)} ms`;
}

export function mib(bytes) {
  return bytes === undefined || !Number.isFinite(bytes) ? '–' : `${(bytes / 1048576).toFixed(1)} MiB`;
}

export function kib(bytes) {
  return bytes === undefined || !Number.isFinite(bytes) ? '–' : `${(bytes / 1024).toFixed(0)} KiB`;
}

export function num(value, digits = 1) {
  return value === undefined || value === null || !Number.isFinite(value) ? '–' : value.toFixed(digits).replace(/\.0+$/, '');
}

/** A plain-text table; `rows` are arrays of cells, the first row is the header. */
export function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column] ?? '').length)));
  const line = (row) =>
    row
      .map((cell, column) => String(cell ?? '').padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Deterministic pseudo-random numbers (mulberry32), so runs pick the same pools. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
