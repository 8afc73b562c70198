// Cold start: spawn → listening → first answer, and a warm event after it, per
// Node version, for our function and the baseline (10 pools, fresh OKE node).
import { dirname, join } from 'node:path';
import { rmSync } from 'node:fs';
import { log, timeLeft } from '../lib/clock.mjs';
import { startFn } from '../lib/fn.mjs';
import { fnEnv, scriptOf, startKind } from '../lib/functions.mjs';
import { RUN_ROOT, TIMED_ENTRY } from '../lib/paths.mjs';
import { median, ms } from '../lib/stats.mjs';
import { launchEvent, makeWorld, newApi } from '../lib/world.mjs';

export const name = 'cold';
export const resultKey = 'coldStart';

/** One row per implementation and Node mode, with the medians over the plan's cold runs. */
export async function run(ctx) {
  log('cold start');
  const { plan } = ctx;
  const modes = [{ label: `node ${process.version}`, node: process.execPath }];
  if (ctx.node22) {
    modes.push({ label: `node ${ctx.node22Version}`, node: ctx.node22 });
    modes.push({ label: `node ${ctx.node22Version} + compile cache (warm)`, node: ctx.node22, cache: true });
  }
  const out = [];
  for (const kind of ['ours', 'baseline']) {
    const { world, addNode } = makeWorld(ctx, 10, { seed: `cold-${kind}` });
    const nodes = Array.from({ length: (plan.coldRuns + 1) * modes.length * 2 }, () => addNode(9, 'cold'));
    let nextNode = 0;
    const api = await newApi(ctx, world);
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
          env: fnEnv(ctx, kind, api, extraEnv),
          cwd: dirname(scriptOf(kind)),
        });
        await populate.call(launchEvent(ctx, nodes[nextNode++].id));
        await populate.stop();
      }
      const runs = [];
      for (let index = 0; index < plan.coldRuns && timeLeft() > 60_000; index += 1) {
        const fn = await startKind(ctx, kind, api, { node: mode.node, extraEnv });
        const first = await fn.call(launchEvent(ctx, nodes[nextNode++].id));
        const second = await fn.call(launchEvent(ctx, nodes[nextNode++].id));
        await fn.stop();
        if (first.json.outcome !== 'tagged' || second.json.outcome !== 'tagged')
          log(`  cold ${kind}: unexpected ${first.text.slice(0, 200)} / ${second.text.slice(0, 200)}`);
        runs.push({ listenMs: fn.listenMs, firstAnswerMs: first.endedAt - fn.spawnedAt, firstEventMs: first.ms, warmEventMs: second.ms });
      }
      const row = {
        kind,
        mode: mode.label,
        runs: runs.length,
        listenMs: median(runs.map((entry) => entry.listenMs)),
        firstAnswerMs: median(runs.map((entry) => entry.firstAnswerMs)),
        firstEventMs: median(runs.map((entry) => entry.firstEventMs)),
        warmEventMs: median(runs.map((entry) => entry.warmEventMs)),
      };
      row.startOverheadMs = row.firstAnswerMs - row.warmEventMs;
      out.push(row);
      log(`  cold ${kind} ${mode.label}: listen ${ms(row.listenMs)}, first answer ${ms(row.firstAnswerMs)}`);
    }
    await api.stop();
  }
  return out;
}
