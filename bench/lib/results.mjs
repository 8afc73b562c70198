// The results object the sections fill: the machine and bundle sizes first,
// the ratios against the targets last, and where the JSON is written.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { RESULTS, ROOT } from './paths.mjs';
import { num } from './stats.mjs';
import { LATENCY_MS } from './world.mjs';

/** The results of a run before any section: `{ machine, sizes }`. */
export function createResults(ctx) {
  return {
    machine: {
      date: new Date().toISOString(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryMiB: Math.round(totalmem() / 1048576),
      node: process.version,
      node22: ctx.node22Version ?? 'unmeasured',
      mode: ctx.options.mode,
      latencyMsPerCall: LATENCY_MS,
    },
    sizes: fileSizes(),
  };
}

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

/** Writes the results as JSON to --json (relative to the working directory) or bench/results/<mode>-latest.json; returns the path. */
export function writeResults(results, options) {
  const jsonPath = options.jsonOut ? resolve(process.cwd(), options.jsonOut) : join(RESULTS, `${options.mode}-latest.json`);
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  return jsonPath;
}

/** Our figures against the baseline's and against the targets, from whichever sections ran. */
export function ratios(r) {
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
  for (const row of r.poolEvent ?? [])
    out[`poolEvent ${row.scenario}`] = {
      status: row.status,
      needed: row.needed,
      bound: row.bound,
      target: 'answered 200, calls without 429s <= bound',
      pass: row.status === 200 && row.withinBound,
    };
  for (const row of r.echoes ?? [])
    out[`echo ${row.scenario}`] = {
      callsPerEcho: row.callsPerEcho,
      writes: row.writes,
      target: `<= ${row.target}, 0 writes`,
      pass: row.callsPerEcho <= row.target && row.writes === 0,
    };
  const largest = r.fnReconcile?.rows.at(-1);
  if (largest)
    out[`fnReconcile ${largest.nodes} nodes`] = {
      peakRssMiB: largest.peakRss / 1048576,
      target: `<= ${num(largest.targetRss / 1048576, 0)} MiB, complete`,
      pass: largest.complete && largest.peakRss <= largest.targetRss,
    };
  return out;
}
