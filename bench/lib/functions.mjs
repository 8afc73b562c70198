// Our function and the baseline as processes: their environment, start-up,
// and one event after another with the fake's call log read per event.
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { log } from './clock.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFn } from './fn.mjs';
import { BASELINE, OURS } from './paths.mjs';
import { mean, median, p95 } from './stats.mjs';
import { launchEvent } from './world.mjs';

/** Environment of a function process; `kind` is 'ours' or 'baseline'. */
export function fnEnv(ctx, kind, api, extra = {}) {
  const { h, credentials } = ctx;
  const common = { ...credentials.resourcePrincipalEnv, compute_endpoint: api.url, containerengine_endpoint: api.url };
  if (kind === 'ours') return { ...common, ...extra };
  return {
    ...common,
    compartment_id: h.TEST_COMPARTMENT_ID,
    tag_namespace: h.NODEPOOL_TAG_NAMESPACE,
    tag_name: h.NODEPOOL_TAG_KEY,
    ...extra,
  };
}

/** The script a `kind` of function runs. */
export function scriptOf(kind) {
  return kind === 'ours' ? OURS : BASELINE;
}

/** Starts our function or the baseline against `api`, as Fn starts it. */
export async function startKind(ctx, kind, api, { node, extraEnv, nodeArgs } = {}) {
  return startFn({
    node,
    script: scriptOf(kind),
    env: fnEnv(ctx, kind, api, extraEnv),
    nodeArgs,
    cwd: kind === 'ours' ? dirname(OURS) : undefined,
  });
}

/**
 * Starts one process per id in `warmIds` and warms each with a launch event
 * about that instance (a non-OKE one costs one call), then waits for a
 * rate-limited fake's token bucket to refill. Resolves to the processes.
 */
export async function startWarmed(ctx, kind, api, warmIds, startOptions = {}) {
  const fns = [];
  for (const instanceId of warmIds) {
    const fn = await startKind(ctx, kind, api, startOptions);
    await fn.call(launchEvent(ctx, instanceId));
    fns.push(fn);
  }
  await sleep(1500);
  return fns;
}

/**
 * Sends `bodies` over the processes in `fns` (started with startKind as
 * `kind` with `startOptions`), one call at a time per process, until all are
 * sent or `capMs` has passed. A call that outlives its deadline kills and
 * restarts its process, as Fn would. Resolves to one row per call sent
 * (`{ ms, status, json, text }`, status 0 on a timeout), the restarts and the wall time.
 */
export async function sendOverProcesses(ctx, kind, api, fns, bodies, { capMs, deadlineMs = 30_000, startOptions = {} }) {
  const started = performance.now();
  const rows = [];
  let next = 0;
  let restarts = 0;
  const worker = async (slot) => {
    while (next < bodies.length && performance.now() - started < capMs) {
      const body = bodies[next];
      next += 1;
      const sent = performance.now();
      try {
        rows.push(await fns[slot].call(body, { deadlineMs, timeoutMs: deadlineMs + 5000 }));
      } catch (error) {
        rows.push({ ms: performance.now() - sent, status: 0, json: {}, text: `error: ${error.message}` });
        await fns[slot].stop();
        fns[slot] = await startKind(ctx, kind, api, startOptions);
        restarts += 1;
      }
    }
  };
  await Promise.all(fns.map((_, slot) => worker(slot)));
  return { rows, restarts, wallMs: performance.now() - started };
}

/** Sends `events` one at a time; records latency, fake API calls and the answer per event. */
export async function runEvents(fn, api, events, { deadlineMs = 30_000, expect } = {}) {
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

/** Count, successes, median and p95 latency, mean calls and the outcomes seen, over runEvents rows. */
export function summarize(rows) {
  return {
    events: rows.length,
    ok: rows.filter((row) => row.ok).length,
    medianMs: median(rows.map((row) => row.ms)),
    p95Ms: p95(rows.map((row) => row.ms)),
    callsPerEvent: mean(rows.map((row) => row.calls)),
    outcomes: [...new Set(rows.map((row) => row.outcome))].join('/'),
  };
}
