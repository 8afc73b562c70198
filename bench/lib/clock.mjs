// The run's clock: elapsed time in every log line, and the hard cap on the whole run.
import { performance } from 'node:perf_hooks';

/** Hard cap on the whole run; every section also bounds its own loops. */
const RUN_LIMIT_MS = 30 * 60 * 1000;
const runStarted = performance.now();

/** Seconds since the bench started. */
export const elapsedS = () => (performance.now() - runStarted) / 1000;

/** Milliseconds left before the run's cap. */
export const timeLeft = () => RUN_LIMIT_MS - (performance.now() - runStarted);

/** Writes one progress line to stderr, stamped with the elapsed time. */
export const log = (message) => process.stderr.write(`[bench ${elapsedS().toFixed(0).padStart(4)} s] ${message}\n`);
