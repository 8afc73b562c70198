// The reconcile benchmark: a tenancy of many node pools and nodes on
// the fake with per-call latency, reconciled by the built CLI as a user runs it
// (real mode through an OCI config file, the fake standing in for OCI). It
// measures wall time, API calls per operation against the documented bound,
// retries and 429s, and the CLI process's peak RSS.
import { cliEnv, lastJsonLine, runCli } from '../lib/cli.mjs';
import { log, timeLeft } from '../lib/clock.mjs';
import { ROOT } from '../lib/paths.mjs';
import { countCalls, LATENCY_MS, newApi } from '../lib/world.mjs';

export const name = 'reconcile';
export const resultKey = 'reconcile';

/** Workers the CLI runs with (--concurrency). */
const CONCURRENCY = 8;
/** The fake's token bucket in the rate-limited scenario. */
const RATE_LIMIT = { requestsPerSecond: 300, burst: 50 };

/**
 * One reconcile run per scenario over the plan's pools and nodes per pool:
 * a dry run, an applying run (every node needs a tag), and an applying run
 * against a rate-limited fake. Returns one row per run.
 */
export async function run(ctx) {
  const { pools, nodesPerPool } = ctx.plan.reconcile;
  log(`reconcile: ${pools} pools × ${nodesPerPool} nodes at ${LATENCY_MS} ms per call`);
  const { h } = ctx;
  const limitMs = Math.min(600_000, timeLeft() - 60_000);
  const rows = [];
  const scenarios = [
    { name: 'dry run', args: [] },
    { name: 'apply', args: ['--apply'] },
    { name: 'apply, rate-limited', args: ['--apply'], rateLimit: RATE_LIMIT },
  ];
  for (const scenario of scenarios) {
    const world = h.buildWorld({ pools, nodesPerPool, seed: `reconcile-${pools}` });
    const api = await newApi(ctx, world, scenario.rateLimit ? { rateLimit: scenario.rateLimit } : {});
    try {
      const env = cliEnv(ctx, api);
      const args = [
        'reconcile',
        '--compartment',
        h.TEST_COMPARTMENT_ID,
        '--json',
        '--concurrency',
        String(CONCURRENCY),
        '--timeout',
        String(Math.ceil(limitMs / 1000)),
        ...scenario.args,
      ];
      const cli = await runCli(ROOT, args, env, limitMs + 30_000);
      const summary = lastJsonLine(cli.stdout);
      const { byOp, throttled } = countCalls(api.calls);
      const listPages = (byOp.ListNodePools ?? 0) + (byOp.ListInstances ?? 0);
      const changed = (summary.counts?.tag ?? 0) + (summary.counts?.fix ?? 0) + (summary.counts?.prune ?? 0);
      const applying = scenario.args.includes('--apply');
      const bound = listPages + pools + (applying ? 2 * changed : 0);
      const firstAttempts = api.calls.length - (summary.retries ?? 0);
      rows.push({
        scenario: scenario.name,
        pools,
        nodes: pools * nodesPerPool,
        concurrency: CONCURRENCY,
        rateLimit: scenario.rateLimit ? `${scenario.rateLimit.requestsPerSecond}/s burst ${scenario.rateLimit.burst}` : 'none',
        exit: cli.code,
        complete: summary.complete,
        counts: summary.counts,
        applied: summary.applied,
        wallMs: cli.wallMs,
        apiCalls: api.calls.length,
        byOp,
        retries: summary.retries,
        etagConflicts: summary.etagConflicts,
        throttled,
        bound,
        withinBound: firstAttempts <= bound,
        idealMs: (listPages + Math.ceil(pools / CONCURRENCY) + (applying ? Math.ceil((2 * changed) / CONCURRENCY) : 0)) * LATENCY_MS,
        peakRss: cli.peakRss,
        stderr: cli.code === 0 ? undefined : cli.stderr.slice(0, 500),
      });
      log(
        `  reconcile ${scenario.name}: exit ${cli.code}, ${api.calls.length} calls (${throttled} answered 429), ${(cli.wallMs / 1000).toFixed(1)} s, peak RSS ${(cli.peakRss / 1048576).toFixed(1)} MiB`,
      );
    } finally {
      await api.stop();
    }
  }
  return rows;
}
