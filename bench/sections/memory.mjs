// Memory over many warm invocations: VmRSS after every event and VmHWM at the
// end, for spotting growth across events rather than one GC cycle.
import { performance } from 'node:perf_hooks';
import { log, timeLeft } from '../lib/clock.mjs';
import { startKind } from '../lib/functions.mjs';
import { mean, median, mib } from '../lib/stats.mjs';
import { launchEvent, makeWorld, newApi } from '../lib/world.mjs';

export const name = 'memory';
export const resultKey = 'memory';

/** One row per implementation (--memory-impl): RSS after warm-up, peak, first and last 20 events. */
export async function run(ctx) {
  log('memory over warm invocations');
  const out = [];
  const pools = 10;
  for (const kind of ctx.options.memoryImpls) {
    const { world, addNode, selfManaged } = makeWorld(ctx, pools, { nonOke: 1, seed: `mem-${kind}` });
    const nodes = Array.from({ length: ctx.plan.memoryEvents }, (_, index) => addNode(index % pools, 'mem'));
    const api = await newApi(ctx, world);
    const fn = await startKind(ctx, kind, api, { nodeArgs: ctx.options.memoryNodeArgs });
    await fn.call(launchEvent(ctx, selfManaged()[0]));
    const afterWarm = fn.memory();
    const rss = [];
    const times = [];
    let ok = 0;
    const started = performance.now();
    for (const node of nodes) {
      if (performance.now() - started > Math.min(900_000, timeLeft() - 60_000)) break;
      const answer = await fn.call(launchEvent(ctx, node.id));
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
