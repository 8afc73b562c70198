'use strict';
// Investigation wrapper: `node timed-entry.js <bundle>` loads the bundle and
// reports, on stderr, how long Node took to get here (bootstrap) and how long
// loading the bundle took (compile + top-level evaluation). On SIGTERM it
// flushes Node's compile cache (when enabled) and exits, so a cache can be
// populated for the next start.
const clock = require('node:perf_hooks').performance;
const path = require('node:path');
const nodeModule = require('node:module');

const bootstrapMs = clock.now();
const bundle = path.resolve(process.argv[2]);
process.on('SIGTERM', () => {
  if (typeof nodeModule.flushCompileCache === 'function') nodeModule.flushCompileCache();
  process.exit(0);
});
const report = (loadMs) => process.stderr.write(`BENCH-TIMING ${JSON.stringify({ bootstrapMs, loadMs })}\n`);
if (bundle.endsWith('.mjs')) {
  const { pathToFileURL } = require('node:url');
  import(pathToFileURL(bundle).href).then(() => report(clock.now() - bootstrapMs));
} else {
  require(bundle);
  report(clock.now() - bootstrapMs);
}
