// Where the bench reads and writes.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(BENCH, '..');
/** Compiled helpers and variant bundles; deleted after the run unless --keep-tmp. */
export const TMP = join(BENCH, 'tmp');
export const RESULTS = join(BENCH, 'results');
// Functions run from fixed paths outside the project, as the image holds them (/function/func.js):
// no node_modules up the tree, and a stable path for Node's compile cache.
export const RUN_ROOT = '/tmp/oke-bench-run';
export const OURS = join(RUN_ROOT, 'ours', 'func.js');
export const BASELINE = join(BENCH, 'baseline', 'func.js');
export const TIMED_ENTRY = join(BENCH, 'lib', 'timed-entry.js');
