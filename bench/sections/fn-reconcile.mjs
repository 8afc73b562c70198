// Function-mode reconcile memory: a `{"action":"reconcile","apply":true}`
// request sent to our function over its socket, as the scheduled reconcile
// sends it, with the heap Node would size in a container of func.yaml's
// memory. It reports the function process's peak RSS (VmHWM) over every
// invocation the run needs (each one resumes the last), against the target.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, timeLeft } from '../lib/clock.mjs';
import { startKind } from '../lib/functions.mjs';
import { BENCH, ROOT } from '../lib/paths.mjs';
import { mib, ms } from '../lib/stats.mjs';
import { newApi } from '../lib/world.mjs';

export const name = 'fn-reconcile';
export const resultKey = 'fnReconcile';

/** The peak RSS a function-mode reconcile may reach in func.yaml's memory: 179 MiB of 256 MB, 70 %. */
export const RSS_TARGET_SHARE = 0.7;
/** The detached timeout `iam` sets for the scheduled reconcile, used as the Fn-Deadline. */
const DEADLINE_MS = 900_000;
/** Invocations one run may take, each resuming the last. */
const MAX_INVOCATIONS = 10;
const PROBE = join(BENCH, 'lib', 'memory-probe.cjs');

/** `memory:` of func.yaml, in MB. */
export function funcYamlMemoryMb() {
  const match = /^memory:\s*(\d+)\s*$/m.exec(readFileSync(join(ROOT, 'func.yaml'), 'utf8'));
  if (!match) throw new Error('func.yaml has no memory: line');
  return Number(match[1]);
}

/**
 * The heap flags that match what Node sizes in a container of `memoryMb`:
 * Node passes the container's memory limit (uv_get_constrained_memory) to
 * V8, whose HeapSizeFromPhysicalMemory gives the old generation a quarter of
 * it times kHeapLimitMultiplier (2 on 64-bit), and a semi-space of the old
 * generation ÷ 256 up to 256 MB of it (÷ 128 above), at least 1 MB, at most 16 MB.
 */
export function heapFlagsFor(memoryMb) {
  const oldSpaceMb = memoryMb / 2;
  const semiSpaceMb = Math.min(16, Math.max(1, Math.floor(oldSpaceMb / (oldSpaceMb <= 256 ? 256 : 128))));
  return [`--max-old-space-size=${oldSpaceMb}`, `--max-semi-space-size=${semiSpaceMb}`];
}

/** The reconcile over `pools` × `nodesPerPool` untagged nodes, invoked until complete; one result row. */
async function reconcileOnce(ctx, { pools, nodesPerPool }, memoryMb) {
  const { h } = ctx;
  const world = h.buildWorld({ pools, nodesPerPool, seed: `fn-reconcile-${pools}` });
  const api = await newApi(ctx, world);
  const memoryFile = join(tmpdir(), `oke-bench-memory-${process.pid}-${pools}.json`);
  const fn = await startKind(ctx, 'ours', api, {
    nodeArgs: [...heapFlagsFor(memoryMb), '--require', PROBE],
    extraEnv: { BENCH_MEMORY_FILE: memoryFile },
  });
  const invocations = [];
  try {
    const afterStart = fn.memory();
    let resume;
    while (invocations.length < MAX_INVOCATIONS) {
      const deadlineMs = Math.max(30_000, Math.min(DEADLINE_MS, timeLeft() - 60_000));
      const body = { action: 'reconcile', compartmentIds: [h.TEST_COMPARTMENT_ID], apply: true, ...(resume ? { resume } : {}) };
      const answer = await fn.call(body, { deadlineMs, timeoutMs: deadlineMs + 10_000 }).catch((error) => ({
        status: 0,
        json: {},
        text: `error: ${error.message}`,
        ms: undefined,
      }));
      invocations.push({ status: answer.status, ms: answer.ms, complete: answer.json.complete, applied: answer.json.applied });
      resume = answer.json.resume;
      if (answer.status !== 200 || answer.json.complete !== false || resume === undefined) {
        if (answer.status !== 200) invocations.at(-1).error = `${answer.text.slice(0, 300)}\n${fn.logTail().slice(-600)}`;
        break;
      }
    }
    const end = fn.memory();
    const last = invocations.at(-1);
    const { NODEPOOL_TAG_NAMESPACE: namespace, NODEPOOL_TAG_KEY: key } = h;
    const taggedInWorld = world.instances.filter((instance) => api.getInstance(instance.id)?.definedTags?.[namespace]?.[key]).length;
    return {
      pools,
      nodes: pools * nodesPerPool,
      memoryMb,
      heapFlags: heapFlagsFor(memoryMb),
      targetRss: RSS_TARGET_SHARE * memoryMb * 1048576,
      invocations: invocations.length,
      statuses: invocations.map((invocation) => invocation.status),
      complete: last?.status === 200 && last.complete === true,
      applied: invocations.reduce((sum, invocation) => sum + (invocation.applied ?? 0), 0),
      taggedInWorld,
      wallMs: invocations.reduce((sum, invocation) => sum + (invocation.ms ?? 0), 0),
      apiCalls: api.calls.length,
      rssAfterStart: afterStart.rss,
      peakRss: end.hwm ?? afterStart.hwm,
      atPeak: readPeakSample(memoryFile),
      error: invocations.find((invocation) => invocation.error)?.error,
    };
  } finally {
    await fn.stop();
    await api.stop();
    rmSync(memoryFile, { force: true });
  }
}

function readPeakSample(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Nodes a memory size serves, from the line through the two largest runs'
 * peaks: (share × memory − intercept) ÷ slope. Both are measured with
 * func.yaml's heap, so only sizes from func.yaml's up are estimated: a
 * smaller container has a smaller heap and another intercept, and a larger
 * heap collects later, so the larger sizes are optimistic.
 */
export function nodesServed(rows, memorySizesMb) {
  const [small, large] = rows.filter((row) => row.peakRss !== undefined && row.complete).slice(-2);
  if (small === undefined || large === undefined || large.nodes === small.nodes) return undefined;
  const slope = (large.peakRss - small.peakRss) / (large.nodes - small.nodes);
  const intercept = small.peakRss - slope * small.nodes;
  if (!(slope > 0)) return undefined;
  return {
    fromNodes: [small.nodes, large.nodes],
    bytesPerNode: slope,
    intercept,
    sizes: memorySizesMb.map((memoryMb) => ({
      memoryMb,
      nodes: Math.max(0, Math.floor((RSS_TARGET_SHARE * memoryMb * 1048576 - intercept) / slope)),
    })),
  };
}

/** One row per size of the plan, with the estimate of the nodes each memory size serves. */
export async function run(ctx) {
  const memoryMb = funcYamlMemoryMb();
  const rows = [];
  for (const size of ctx.plan.fnReconcile.sizes) {
    log(
      `fn-reconcile: ${size.pools} pools × ${size.nodesPerPool} nodes, heap ${heapFlagsFor(memoryMb).join(' ')} (func.yaml memory ${memoryMb} MB)`,
    );
    const row = await reconcileOnce(ctx, size, memoryMb);
    rows.push(row);
    log(
      `  fn-reconcile ${row.nodes} nodes: ${row.statuses.join(',')} complete=${row.complete} in ${ms(row.wallMs)}, peak RSS ${mib(row.peakRss)}`,
    );
  }
  return { memoryMb, rows, served: nodesServed(rows, [memoryMb, 2 * memoryMb, 4 * memoryMb]) };
}
