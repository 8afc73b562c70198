// Burst: many fresh-node events over a few processes against a rate-limited
// fake, with Fn's kill-and-restart for a call that outlives its deadline.
import { log, timeLeft } from '../lib/clock.mjs';
import { sendOverProcesses, startWarmed } from '../lib/functions.mjs';
import { median, ms, p95, seededRandom } from '../lib/stats.mjs';
import { EVENT_RATE_LIMIT, launchEvent, makeWorld, newApi } from '../lib/world.mjs';

export const name = 'burst';
export const resultKey = 'burst';

/** One row per implementation: answers, tags found in the fake's state afterwards, API calls and 429s. */
export async function run(ctx) {
  log('burst under a rate limit');
  const { events: count, processes, pools } = ctx.plan.burst;
  const { NODEPOOL_TAG_NAMESPACE: namespace, NODEPOOL_TAG_KEY: key } = ctx.h;
  const out = [];
  for (const kind of ['ours', 'baseline']) {
    const rnd = seededRandom(7);
    const { world, addNode, selfManaged } = makeWorld(ctx, pools, { nonOke: processes, seed: `burst-${kind}` });
    const nodes = Array.from({ length: count }, () => addNode(Math.floor(rnd() * pools), 'burst'));
    const warmIds = selfManaged();
    const api = await newApi(ctx, world, { rateLimit: EVENT_RATE_LIMIT });
    const fns = await startWarmed(ctx, kind, api, warmIds.slice(0, processes));
    api.resetCalls();
    const capMs = Math.min(ctx.options.quick ? 120_000 : 300_000, Math.max(30_000, timeLeft() - 60_000));
    const bodies = nodes.map((node) => launchEvent(ctx, node.id));
    const sent = await sendOverProcesses(ctx, kind, api, fns, bodies, { capMs });
    const { restarts, wallMs } = sent;
    const rows = sent.rows.map((answer) => ({
      ms: answer.ms,
      status: answer.status,
      outcome: answer.json.outcome ?? answer.json.detail ?? answer.text,
      ok: answer.status === 200 && answer.json.outcome === 'tagged',
    }));
    for (const fn of fns) await fn.stop();
    const calls = api.calls;
    const taggedInWorld = nodes.filter((node) => api.getInstance(node.id)?.definedTags?.[namespace]?.[key] === node.poolName).length;
    await api.stop();
    const row = {
      kind,
      events: count,
      sent: rows.length,
      ok: rows.filter((entry) => entry.ok).length,
      failed: rows.filter((entry) => !entry.ok).length,
      failures: [
        ...new Set(rows.filter((entry) => !entry.ok).map((entry) => `${entry.status} ${String(entry.outcome).slice(0, 120)}`)),
      ].slice(0, 5),
      taggedInWorld,
      restarts,
      wallMs,
      medianMs: median(rows.map((entry) => entry.ms)),
      p95Ms: p95(rows.map((entry) => entry.ms)),
      maxMs: Math.max(...rows.map((entry) => entry.ms)),
      apiCalls: calls.length,
      throttled: calls.filter((call) => call.status === 429).length,
      callsPerEvent: calls.length / Math.max(1, rows.length),
      processes,
      pools,
      rateLimit: EVENT_RATE_LIMIT,
    };
    out.push(row);
    log(`  burst ${kind}: ${row.ok}/${count} ok in ${ms(wallMs)}, ${row.apiCalls} calls (${row.throttled} throttled)`);
  }
  return out;
}
