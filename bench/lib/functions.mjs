// Our function and the baseline as processes: their environment, start-up,
// and one event after another with the fake's call log read per event.
import { dirname } from 'node:path';
import { log } from './clock.mjs';
import { startFn } from './fn.mjs';
import { BASELINE, OURS } from './paths.mjs';
import { mean, median, p95 } from './stats.mjs';

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
