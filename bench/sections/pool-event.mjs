// Pool events: one `updatenodepool.end` about a large pool, sent to our
// function under the burst section's rate limit (and a rename once without it). The autoscaler raises it on
// every resize, so what counts is its cost: 1 GetNodePool, the ListInstances
// pages of the pool's compartment, and 2 calls per node whose tags change.
import { log } from '../lib/clock.mjs';
import { startWarmed } from '../lib/functions.mjs';
import { ms } from '../lib/stats.mjs';
import { countCalls, EVENT_RATE_LIMIT, newApi, ociEvent, setOurTags } from '../lib/world.mjs';

export const name = 'pool-event';
export const resultKey = 'poolEvent';

/** The Fn-Deadline of the event: func.yaml's sync timeout, 60 s. */
const DEADLINE_MS = 60_000;

/**
 * The pool's nodes before the event: `changed` of them need a write. A
 * scale-up adds untagged nodes; a rename leaves every node with the old name.
 */
const SCENARIOS = (nodes) => [
  { scenario: 'resize, no change', changed: 0, oldValue: undefined, rateLimit: EVENT_RATE_LIMIT },
  {
    scenario: `scale-up: ${Math.round(nodes / 10)} new untagged nodes`,
    changed: Math.round(nodes / 10),
    oldValue: undefined,
    rateLimit: EVENT_RATE_LIMIT,
  },
  { scenario: 'rename: every node has the old name', changed: nodes, oldValue: 'old-pool-name', rateLimit: EVENT_RATE_LIMIT },
  { scenario: 'rename, no rate limit', changed: nodes, oldValue: 'old-pool-name', rateLimit: undefined },
];

/**
 * A world of one pool of `nodes` nodes, the first `nodes - changed` tagged
 * with the pool's name and the rest untagged (or, with `oldValue`, tagged
 * with it), and one non-OKE instance in another compartment to warm the
 * function with, so that it is not in the pool compartment's ListInstances.
 */
function poolWorld(ctx, nodes, { changed, oldValue }) {
  const { h } = ctx;
  const world = h.buildWorld({ pools: 1, nodesPerPool: nodes, selfManagedInstances: 1, seed: `pool-event-${nodes}` });
  const pool = world.nodePools[0];
  const byId = new Map(world.instances.map((instance) => [instance.id, instance]));
  pool.nodes.forEach((node, index) => {
    if (index < nodes - changed) setOurTags(ctx, byId.get(node.id), pool.name);
    else if (oldValue !== undefined) setOurTags(ctx, byId.get(node.id), oldValue);
  });
  const warm = world.instances.find((instance) => Object.keys(instance.metadata).length === 0);
  warm.compartmentId = h.fakeOcid('compartment', 'bench/elsewhere', '');
  return { world, pool, warmId: warm.id };
}

/** One row per scenario: the answer, calls by operation against the bound, 429s, wall time, and the tags found afterwards. */
export async function run(ctx) {
  const { nodes } = ctx.plan.poolEvent;
  const { NODEPOOL_TAG_NAMESPACE: namespace, NODEPOOL_TAG_KEY: key } = ctx.h;
  log(`pool event: one updatenodepool.end about a pool of ${nodes} nodes, fake rate limit ${EVENT_RATE_LIMIT.requestsPerSecond} req/s`);
  const rows = [];
  for (const scenario of SCENARIOS(nodes)) {
    const { world, pool, warmId } = poolWorld(ctx, nodes, scenario);
    const api = await newApi(ctx, world, scenario.rateLimit ? { rateLimit: scenario.rateLimit } : {});
    const [fn] = await startWarmed(ctx, 'ours', api, [warmId]);
    try {
      api.resetCalls();
      const answer = await fn.call(ociEvent(ctx, pool.id, ctx.h.UPDATE_NODE_POOL_EVENT_TYPE, 'ContainerEngine'), {
        deadlineMs: DEADLINE_MS,
        timeoutMs: DEADLINE_MS + 10_000,
      });
      const calls = countCalls(api.calls);
      const listPages = calls.answered('ListInstances');
      const renameCheck = calls.answered('ListNodePools');
      const bound = 1 + listPages + renameCheck + 2 * scenario.changed;
      const needed = calls.total - calls.throttled;
      const taggedAfter = pool.nodes.filter((node) => api.getInstance(node.id)?.definedTags?.[namespace]?.[key] === pool.name).length;
      rows.push({
        scenario: scenario.scenario,
        nodes,
        changed: scenario.changed,
        status: answer.status,
        outcome: answer.json.outcome ?? 'failed',
        detail: answer.status === 200 ? undefined : (answer.json.detail ?? answer.text).slice(0, 300),
        complete: answer.json.complete,
        counts: answer.json.counts,
        applied: answer.json.applied,
        wallMs: answer.ms,
        apiCalls: calls.total,
        needed,
        byOp: calls.byOp,
        throttled: calls.throttled,
        throttledByOp: calls.throttledByOp,
        listPages,
        renameCheck,
        bound,
        withinBound: needed <= bound,
        taggedAfter,
        deadlineMs: DEADLINE_MS,
        rateLimit: scenario.rateLimit,
      });
      log(
        `  pool event ${scenario.scenario}: ${answer.status} ${answer.json.outcome}, ${calls.total} calls (${calls.throttled} answered 429), bound ${bound}, ${ms(answer.ms)}`,
      );
    } finally {
      await fn.stop();
      await api.stop();
    }
  }
  return rows;
}
