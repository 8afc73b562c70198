// Echoes: every tag write raises an `updateinstance` event, our own writes
// included. After the built CLI's `reconcile --apply` has tagged every node,
// the echoes of its writes are sent to our function over a few processes
// under the burst section's rate limit. An echo should cost what `unchanged`
// costs (2 calls, 3 with cluster_tag_name) and write nothing.
import { cliEnv, lastJsonLine, runCli } from '../lib/cli.mjs';
import { log, timeLeft } from '../lib/clock.mjs';
import { sendOverProcesses, startWarmed } from '../lib/functions.mjs';
import { ROOT } from '../lib/paths.mjs';
import { median, ms, p95, seededRandom } from '../lib/stats.mjs';
import { countCalls, EVENT_RATE_LIMIT, newApi, ociEvent } from '../lib/world.mjs';

export const name = 'echoes';
export const resultKey = 'echoes';

/** The key that receives the cluster's name in the second scenario. */
const CLUSTER_TAG_NAME = 'oke-cluster-name';
/** Workers of the applying CLI run: it only sets the scene, so it runs wide. */
const APPLY_CONCURRENCY = 32;

const SCENARIOS = [
  { scenario: 'pool tag', clusterTagName: undefined, target: 2 },
  { scenario: 'pool tag + cluster_tag_name', clusterTagName: CLUSTER_TAG_NAME, target: 3 },
];

/** `count` distinct items of `items`, picked with a seeded shuffle. */
function sample(items, count, seed) {
  const rnd = seededRandom(seed);
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(rnd() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy.slice(0, count);
}

/** Tags every node with the built CLI; resolves to the fake's state afterwards and the instances it wrote. */
async function applyWithCli(ctx, world, clusterTagName) {
  const api = await newApi(ctx, world);
  try {
    const limitMs = Math.min(600_000, timeLeft() - 60_000);
    const args = ['reconcile', '--compartment', ctx.h.TEST_COMPARTMENT_ID, '--apply', '--json', '--concurrency', String(APPLY_CONCURRENCY)];
    if (clusterTagName) args.push('--cluster-tag-name', clusterTagName);
    const cli = await runCli(ROOT, [...args, '--timeout', String(Math.ceil(limitMs / 1000))], cliEnv(ctx, api), limitMs + 30_000);
    const written = [
      ...new Set(api.calls.filter((call) => call.operation === 'UpdateInstance' && call.status === 200).map((call) => call.resourceId)),
    ];
    return { state: structuredClone(api.world), written, exit: cli.code, summary: lastJsonLine(cli.stdout), wallMs: cli.wallMs };
  } finally {
    await api.stop();
  }
}

/** One row per scenario: the apply's writes, and the echoes sent, their calls, 429s and writes, with totals extrapolated to every write. */
export async function run(ctx) {
  const { pools, nodesPerPool, sample: sampleSize, processes } = ctx.plan.echoes;
  log(`echoes: apply over ${pools} pools × ${nodesPerPool} nodes, then up to ${sampleSize} of its echoes over ${processes} processes`);
  const rows = [];
  for (const { scenario, clusterTagName, target } of SCENARIOS) {
    const world = ctx.h.buildWorld({ pools, nodesPerPool, selfManagedInstances: processes, seed: `echoes-${pools}` });
    if (clusterTagName) world.tagNamespaces[ctx.h.NODEPOOL_TAG_NAMESPACE].keys.push(clusterTagName);
    const apply = await applyWithCli(ctx, world, clusterTagName);
    log(`  echoes ${scenario}: the apply wrote ${apply.written.length} instances in ${ms(apply.wallMs)} (exit ${apply.exit})`);
    const echoed = sample(apply.written, sampleSize, 12);
    const warmIds = apply.state.instances.filter((instance) => Object.keys(instance.metadata).length === 0).map((instance) => instance.id);
    const api = await newApi(ctx, apply.state, { rateLimit: EVENT_RATE_LIMIT });
    const startOptions = { extraEnv: clusterTagName ? { cluster_tag_name: clusterTagName } : {} };
    const fns = await startWarmed(ctx, 'ours', api, warmIds.slice(0, processes), startOptions);
    try {
      api.resetCalls();
      const capMs = Math.min(ctx.options.quick ? 120_000 : 300_000, Math.max(30_000, timeLeft() - 60_000));
      const bodies = echoed.map((instanceId) => ociEvent(ctx, instanceId, ctx.h.UPDATE_INSTANCE_EVENT_TYPE, 'ComputeApi'));
      const sent = await sendOverProcesses(ctx, 'ours', api, fns, bodies, { capMs, startOptions });
      const calls = countCalls(api.calls);
      const echoes = sent.rows.length;
      const needed = calls.total - calls.throttled;
      const scale = apply.written.length / Math.max(1, echoes);
      rows.push({
        scenario,
        pools,
        nodes: pools * nodesPerPool,
        applyExit: apply.exit,
        applyTagged: apply.summary.counts?.tag,
        written: apply.written.length,
        echoes,
        sampled: echoes < apply.written.length,
        processes,
        ok: sent.rows.filter((answer) => answer.status === 200 && answer.json.outcome === 'unchanged').length,
        outcomes: [...new Set(sent.rows.map((answer) => answer.json.outcome ?? `${answer.status} ${answer.text.slice(0, 120)}`))],
        apiCalls: calls.total,
        byOp: calls.byOp,
        throttled: calls.throttled,
        callsPerEcho: needed / Math.max(1, echoes),
        target,
        writes: calls.byOp.UpdateInstance ?? 0,
        wallMs: sent.wallMs,
        medianMs: median(sent.rows.map((answer) => answer.ms)),
        p95Ms: p95(sent.rows.map((answer) => answer.ms)),
        restarts: sent.restarts,
        extrapolated: {
          echoes: apply.written.length,
          apiCalls: Math.round(calls.total * scale),
          throttled: Math.round(calls.throttled * scale),
        },
        rateLimit: EVENT_RATE_LIMIT,
      });
      log(
        `  echoes ${scenario}: ${echoes} echoes, ${calls.total} calls (${calls.throttled} answered 429), ${calls.byOp.UpdateInstance ?? 0} writes`,
      );
    } finally {
      for (const fn of fns) await fn.stop();
      await api.stop();
    }
  }
  return rows;
}
