// Latency per event at each pool count: one process, one call at a time, for
// fresh, already-tagged, non-OKE and random-pool instances.
import { log, timeLeft } from '../lib/clock.mjs';
import { runEvents, startKind, summarize } from '../lib/functions.mjs';
import { ms, num, seededRandom } from '../lib/stats.mjs';
import { ignoredEvent, launchEvent, makeWorld, newApi } from '../lib/world.mjs';

export const name = 'latency';
export const resultKey = 'latency';

/** The deadline of every call here, so that a 1000-pool baseline scan is not cut off. */
const DEADLINE_MS = 300_000;

/** One row per pool count, implementation and scenario. */
export async function run(ctx) {
  log('latency per pool count');
  const { plan } = ctx;
  const out = [];
  for (const pools of plan.pools) {
    if (timeLeft() < 120_000) break;
    const rnd = seededRandom(pools);
    for (const kind of ['ours', 'baseline']) {
      const counts = kind === 'ours' ? plan.ours : plan.baseline[pools];
      if (counts === undefined) continue;
      const { world, addNode, selfManaged } = makeWorld(ctx, pools, { nonOke: counts.nonOke + 1, seed: `lat-${pools}` });
      const fresh = Array.from({ length: counts.fresh }, () => addNode(pools - 1, 'last'));
      const random = Array.from({ length: counts.random }, () => addNode(Math.floor(rnd() * pools), 'random'));
      const [warmNonOke, ...nonOke] = selfManaged();
      const api = await newApi(ctx, world);
      const send = (fn, ids, expect) =>
        runEvents(
          fn,
          api,
          ids.map((id) => ({ body: launchEvent(ctx, id) })),
          { deadlineMs: DEADLINE_MS, expect },
        );
      const fn = await startKind(ctx, kind, api);
      // Warm-up: loads the SDK (ours loads it on first use). At 1000 pools a baseline warm-up would cost a full scan, so it gets an ignored event.
      const warm = kind === 'baseline' && pools >= 1000 ? ignoredEvent(ctx) : launchEvent(ctx, warmNonOke);
      await fn.call(warm, { deadlineMs: DEADLINE_MS, timeoutMs: DEADLINE_MS });
      const freshIds = fresh.map((node) => node.id);
      const randomIds = random.map((node) => node.id);
      const sets = {};
      sets.fresh = await send(fn, freshIds, 'tagged');
      sets.tagged = await send(fn, freshIds.slice(0, counts.tagged), kind === 'ours' ? 'unchanged' : 'tagged');
      sets.nonOke = await send(fn, nonOke.slice(0, counts.nonOke), 'not-in-node-pool');
      if (kind === 'ours') sets.random = await send(fn, randomIds, 'tagged');
      await fn.stop();
      if (kind === 'baseline' && random.length > 0) {
        const early = await startKind(ctx, kind, api, { extraEnv: { BASELINE_EARLY_EXIT: 'true' } });
        await early.call(launchEvent(ctx, warmNonOke), { deadlineMs: DEADLINE_MS, timeoutMs: DEADLINE_MS });
        sets.random = await send(early, randomIds, 'tagged');
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
