// Burst: many fresh-node events over a few processes against a rate-limited
// fake, with Fn's kill-and-restart for a call that outlives its deadline.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { log, timeLeft } from '../lib/clock.mjs';
import { startKind } from '../lib/functions.mjs';
import { median, ms, p95, seededRandom } from '../lib/stats.mjs';
import { launchEvent, makeWorld, newApi } from '../lib/world.mjs';

export const name = 'burst';
export const resultKey = 'burst';

/** The fake's token bucket for this section. */
const RATE_LIMIT = { requestsPerSecond: 50, burst: 20 };

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
    const api = await newApi(ctx, world, { rateLimit: RATE_LIMIT });
    const fns = [];
    for (let index = 0; index < processes; index += 1) {
      const fn = await startKind(ctx, kind, api);
      await fn.call(launchEvent(ctx, warmIds[index]));
      fns.push(fn);
    }
    await sleep(1500); // let the token bucket refill after the warm-ups
    api.resetCalls();
    const started = performance.now();
    const capMs = Math.min(ctx.options.quick ? 120_000 : 300_000, Math.max(30_000, timeLeft() - 60_000));
    const rows = [];
    let next = 0;
    let restarts = 0;
    const worker = async (slot) => {
      while (next < nodes.length && performance.now() - started < capMs) {
        const node = nodes[next];
        next += 1;
        const sent = performance.now();
        try {
          const answer = await fns[slot].call(launchEvent(ctx, node.id), { deadlineMs: 30_000, timeoutMs: 35_000 });
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
          fns[slot] = await startKind(ctx, kind, api);
          restarts += 1;
        }
      }
    };
    await Promise.all(fns.map((_, slot) => worker(slot)));
    const wallMs = performance.now() - started;
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
      rateLimit: RATE_LIMIT,
    };
    out.push(row);
    log(`  burst ${kind}: ${row.ok}/${count} ok in ${ms(wallMs)}, ${row.apiCalls} calls (${row.throttled} throttled)`);
  }
  return out;
}
