// Cold-start investigation: the bundle variants of bench/lib/variants.mjs
// started through bench/lib/timed-entry.js, the SDK part of the bundle timed
// step by step, an empty Node process, and the unbundled SDK's require cost.
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { log, timeLeft } from '../lib/clock.mjs';
import { startFn } from '../lib/fn.mjs';
import { fnEnv } from '../lib/functions.mjs';
import { BENCH, ROOT, RUN_ROOT, TIMED_ENTRY, TMP } from '../lib/paths.mjs';
import { median, ms } from '../lib/stats.mjs';
import { buildSdkProbes, buildVariants, SDK_PROBE_SCRIPT } from '../lib/variants.mjs';
import { launchEvent, makeWorld, newApi } from '../lib/world.mjs';

export const name = 'investigate';
export const resultKey = 'investigation';

/** `{ variants, floors, probes, sdkProbes }`: one row per variant and Node mode, per SDK probe and Node, per Node. */
export async function run(ctx) {
  log('cold-start investigation (bundle variants)');
  const { plan } = ctx;
  const variants = await buildVariants(ROOT, join(TMP, 'variants'));
  const modes = [{ label: `node20`, version: process.version, node: process.execPath }];
  if (ctx.node22) {
    modes.push({ label: 'node22', version: ctx.node22Version, node: ctx.node22 });
    modes.push({ label: 'node22+cache', version: ctx.node22Version, node: ctx.node22, cache: true });
  }
  const { world, addNode } = makeWorld(ctx, 10, { seed: 'investigate' });
  const nodes = Array.from({ length: variants.length * modes.length * (plan.variantRuns * 2 + 2) }, () => addNode(9, 'inv'));
  let nextNode = 0;
  const nextEvent = () => launchEvent(ctx, nodes[nextNode++].id);
  const api = await newApi(ctx, world);
  const rows = [];
  for (const variant of variants) rows.push(...(await timeVariant(ctx, api, variant, modes, nextEvent)));
  const plainModes = modes.filter((mode) => !mode.cache);
  const sdkProbes = [];
  for (const probe of await buildSdkProbes(ROOT, join(TMP, 'probe'))) {
    for (const mode of plainModes) sdkProbes.push(await timeSdkProbe(ctx, api, probe, mode, nodes[0].id));
  }
  await api.stop();
  const floors = plainModes.map((mode) => ({
    mode: mode.label,
    version: mode.version,
    emptyProcessMs: nodeFloor(mode.node, plan.variantRuns * 2),
  }));
  const probes = plainModes.map((mode) => ({ mode: mode.label, ...probeModules(mode.node) }));
  return { variants: rows, floors, probes, sdkProbes };
}

/** Starts one variant `plan.variantRuns` times per mode from its own run directory; one row of medians per mode. */
async function timeVariant(ctx, api, variant, modes, nextEvent) {
  // Each variant runs from a fixed directory outside the project, as /function in the image.
  const runDir = join(RUN_ROOT, 'variants', variant.name.replace(/[^A-Za-z0-9+.-]/g, '_'));
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  for (const file of variant.files) copyFileSync(join(variant.dir, file), join(runDir, file));
  const entry = join(runDir, variant.entry);
  const start = (node, env) => startFn({ node, script: TIMED_ENTRY, env: fnEnv(ctx, 'ours', api, env), cwd: runDir, scriptArgs: [entry] });
  const rows = [];
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
      const populate = await start(mode.node, env);
      if (variant.functional) await populate.call(nextEvent()).catch(() => undefined);
      await populate.stop();
    }
    const runs = [];
    for (let index = 0; index < ctx.plan.variantRuns; index += 1) {
      const fn = await start(mode.node, env);
      const record = { listenMs: fn.listenMs };
      if (variant.functional) {
        const first = await fn.call(nextEvent());
        const second = await fn.call(nextEvent());
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
    const pick = (field) => median(runs.map((entry) => entry[field]).filter((value) => value !== undefined));
    const row = {
      variant: variant.name,
      note: variant.note,
      mode: mode.label,
      nodeVersion: mode.version,
      size: variant.size,
      gzip: variant.gz,
      files: variant.files.length,
      functional: variant.functional,
      ok: variant.functional ? runs.every((entry) => entry.ok) : undefined,
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
  return rows;
}

/** Runs SDK_PROBE_SCRIPT over one SDK probe bundle in fresh processes; one row of medians. */
async function timeSdkProbe(ctx, api, probe, mode, instanceId) {
  const runs = [];
  for (let index = 0; index < ctx.plan.variantRuns * 2; index += 1) {
    const { stdout } = await promisify(execFile)(mode.node, ['-e', SDK_PROBE_SCRIPT, probe.file, api.url, instanceId], {
      cwd: RUN_ROOT,
      env: { PATH: process.env.PATH ?? '', ...ctx.credentials.resourcePrincipalEnv },
      timeout: 30_000,
    });
    runs.push(JSON.parse(stdout));
  }
  const pick = (field) => median(runs.map((entry) => entry[field]));
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
  log(
    `  first-event breakdown ${probe.name} ${mode.label}: load SDK ${ms(row.loadSdkMs)}, provider ${ms(row.authProviderMs)}, first call ${ms(row.firstCallMs)} vs ${ms(row.secondCallMs)}`,
  );
  return row;
}

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

/** Median spawn → exit of an empty Node process: the floor under every start-up time. */
function nodeFloor(node, runs) {
  const times = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    spawnSync(node, ['-e', '0'], { timeout: 10_000 });
    times.push(performance.now() - started);
  }
  return median(times);
}
