// The plain-text report bench/run.mjs prints: one table per section that ran, then the ratios.
import { kib, mib, ms, num, table } from './stats.mjs';

/** A table of `rows` with one column per `[header, cell(row)]`. */
const render = (columns, rows) => table([columns.map(([header]) => header), ...rows.map((row) => columns.map(([, cell]) => cell(row)))]);

const LATENCY_COLUMNS = [
  ['pools', (row) => row.pools],
  ['impl', (row) => row.kind],
  ['scenario', (row) => row.scenario],
  ['events', (row) => row.events],
  ['ok', (row) => row.ok],
  ['median', (row) => ms(row.medianMs)],
  ['p95', (row) => ms(row.p95Ms)],
  ['calls/event', (row) => num(row.callsPerEvent)],
  ['outcome', (row) => row.outcomes],
];

const COLD_START_COLUMNS = [
  ['impl', (row) => row.kind],
  ['node', (row) => row.mode],
  ['runs', (row) => row.runs],
  ['spawn→listen', (row) => ms(row.listenMs)],
  ['spawn→1st answer', (row) => ms(row.firstAnswerMs)],
  ['1st event', (row) => ms(row.firstEventMs)],
  ['warm event', (row) => ms(row.warmEventMs)],
  ['start overhead', (row) => ms(row.startOverheadMs)],
];

const BURST_COLUMNS = [
  ['impl', (row) => row.kind],
  ['ok', (row) => `${row.ok}/${row.events}`],
  ['failed', (row) => row.failed],
  ['tagged in world', (row) => row.taggedInWorld],
  ['wall', (row) => ms(row.wallMs)],
  ['median', (row) => ms(row.medianMs)],
  ['p95', (row) => ms(row.p95Ms)],
  ['max', (row) => ms(row.maxMs)],
  ['API calls', (row) => row.apiCalls],
  ['429s', (row) => row.throttled],
  ['calls/event', (row) => num(row.callsPerEvent)],
  ['restarts', (row) => row.restarts],
];

const MEMORY_COLUMNS = [
  ['impl', (row) => row.kind],
  ['events', (row) => row.events],
  ['ok', (row) => row.ok],
  ['RSS after warm-up', (row) => mib(row.rssAfterWarmup)],
  ['peak RSS (VmHWM)', (row) => mib(row.peakRss)],
  ['RSS first 20', (row) => mib(row.rssFirst20)],
  ['RSS last 20', (row) => mib(row.rssLast20)],
  ['growth', (row) => mib(row.rssGrowth)],
  ['median', (row) => ms(row.medianMs)],
];

const SDK_PROBE_COLUMNS = [
  ['SDK bundle', (row) => row.probe],
  ['size', (row) => kib(row.size)],
  ['node', (row) => row.mode],
  ['require SDK', (row) => ms(row.loadSdkMs)],
  ['RP provider', (row) => ms(row.authProviderMs)],
  ['clients', (row) => ms(row.clientsMs)],
  ['1st GetInstance', (row) => ms(row.firstCallMs)],
  ['2nd GetInstance', (row) => ms(row.secondCallMs)],
];

const VARIANT_COLUMNS = [
  ['variant', (row) => row.variant],
  ['node', (row) => row.mode],
  ['size', (row) => kib(row.size)],
  ['gzip', (row) => kib(row.gzip)],
  ['ok', (row) => (row.ok === undefined ? 'n/a' : row.ok ? 'yes' : 'BROKEN')],
  ['bootstrap', (row) => ms(row.bootstrapMs)],
  ['load bundle', (row) => ms(row.loadMs)],
  ['spawn→listen', (row) => ms(row.listenMs)],
  ['1st event', (row) => ms(row.firstEventMs)],
  ['spawn→1st answer', (row) => ms(row.firstAnswerMs)],
  ['warm', (row) => ms(row.warmEventMs)],
  ['RSS', (row) => mib(row.rssAfter)],
];

const RECONCILE_COLUMNS = [
  ['scenario', (row) => row.scenario],
  ['rate limit', (row) => row.rateLimit],
  ['exit', (row) => row.exit],
  ['complete', (row) => row.complete],
  ['tag', (row) => row.counts?.tag ?? '-'],
  ['applied', (row) => row.applied ?? '-'],
  ['wall', (row) => ms(row.wallMs)],
  ['calls at concurrency x latency', (row) => ms(row.idealMs)],
  ['API calls', (row) => row.apiCalls],
  ['bound', (row) => `${row.bound} (${row.withinBound ? 'within' : 'OVER'})`],
  ['retries', (row) => row.retries],
  ['429s', (row) => row.throttled],
  ['412 re-reads', (row) => row.etagConflicts],
  ['peak RSS', (row) => mib(row.peakRss)],
];

const byOperation = (byOp) =>
  Object.entries(byOp ?? {})
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');

const POOL_EVENT_COLUMNS = [
  ['scenario', (row) => row.scenario],
  ['rate limit', (row) => (row.rateLimit ? `${row.rateLimit.requestsPerSecond}/s` : 'none')],
  ['changed', (row) => row.changed],
  ['status', (row) => row.status],
  ['outcome', (row) => row.outcome],
  ['complete', (row) => row.complete],
  ['applied', (row) => row.applied ?? '-'],
  ['wall', (row) => ms(row.wallMs)],
  ['API calls', (row) => row.apiCalls],
  ['429s', (row) => row.throttled],
  ['without 429s', (row) => row.needed],
  ['bound', (row) => `${row.bound} (${row.withinBound ? 'within' : 'OVER'})`],
  ['tagged after', (row) => `${row.taggedAfter}/${row.nodes}`],
];

const ECHO_COLUMNS = [
  ['scenario', (row) => row.scenario],
  ['apply wrote', (row) => row.written],
  ['echoes sent', (row) => `${row.echoes}${row.sampled ? ' (sample)' : ''}`],
  ['unchanged', (row) => row.ok],
  ['wall', (row) => ms(row.wallMs)],
  ['median', (row) => ms(row.medianMs)],
  ['p95', (row) => ms(row.p95Ms)],
  ['API calls', (row) => row.apiCalls],
  ['429s', (row) => row.throttled],
  ['calls/echo (w/o 429s)', (row) => `${num(row.callsPerEcho, 2)} (target ${row.target})`],
  ['writes', (row) => row.writes],
  ['all echoes (extrapolated)', (row) => (row.sampled ? `${row.extrapolated.apiCalls} calls, ${row.extrapolated.throttled} 429s` : '-')],
];

const FN_RECONCILE_COLUMNS = [
  ['nodes', (row) => row.nodes],
  ['pools', (row) => row.pools],
  ['heap', (row) => row.heapFlags.join(' ')],
  ['invocations', (row) => `${row.invocations} (${row.statuses.join(',')})`],
  ['complete', (row) => row.complete],
  ['applied', (row) => row.applied],
  ['tagged in world', (row) => row.taggedInWorld],
  ['wall', (row) => ms(row.wallMs)],
  ['API calls', (row) => row.apiCalls],
  ['RSS at start', (row) => mib(row.rssAfterStart)],
  ['peak RSS (VmHWM)', (row) => `${mib(row.peakRss)} (target ${mib(row.targetRss)}: ${row.peakRss <= row.targetRss ? 'within' : 'OVER'})`],
  [
    'at the peak: heap used / total, external, arrayBuffers',
    (row) =>
      row.atPeak
        ? `${mib(row.atPeak.heapUsed)} / ${mib(row.atPeak.heapTotal)}, ${mib(row.atPeak.external)}, ${mib(row.atPeak.arrayBuffers)}`
        : '–',
  ],
];

/** The report of a run's results, as printed to stdout. */
export function report(r) {
  const m = r.machine;
  const parts = [
    `# oke-nodepool-tagger bench (${m.mode}) — ${m.date}`,
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryMiB} MiB; harness ${m.node}; node22: ${m.node22}; fake latency ${m.latencyMsPerCall} ms per call; run took ${num(r.durationS, 0)} s`,
    `dist/func.js ${kib(r.sizes.funcJs)} (gzip ${kib(r.sizes.funcJsGzip)}), dist/ total ${kib(r.sizes.distTotal)}`,
  ];
  if (r.latency) parts.push('\n## Latency per event (one process, one call at a time)', render(LATENCY_COLUMNS, r.latency));
  if (r.coldStart) parts.push('\n## Cold start (10 pools, fresh OKE node; medians)', render(COLD_START_COLUMNS, r.coldStart));
  if (r.burst) parts.push(...burstSection(r.burst));
  if (r.memory)
    parts.push('\n## Memory (VmHWM / VmRSS of the function process, fresh OKE events, 10 pools)', render(MEMORY_COLUMNS, r.memory));
  if (r.investigation) parts.push(...investigationSection(r.investigation));
  if (r.reconcile) parts.push(...reconcileSection(r.reconcile, m));
  if (r.poolEvent) parts.push(...poolEventSection(r.poolEvent));
  if (r.echoes) parts.push(...echoesSection(r.echoes));
  if (r.fnReconcile) parts.push(...fnReconcileSection(r.fnReconcile, m));
  if (r.doctor) parts.push(...doctorSection(r.doctor, m));
  parts.push('\n## Ratios and targets');
  for (const [name, value] of Object.entries(r.ratios)) {
    if (value === undefined) continue;
    const shown = Object.entries(value)
      .map(([key, v]) => `${key}=${typeof v === 'number' ? num(v, 2) : v}`)
      .join(' ');
    parts.push(`${name}: ${shown}`);
  }
  return parts.join('\n');
}

function doctorSection(row, machine) {
  return [
    `\n## doctor: ${row.pools} node pools, ${row.policies} policies, ${machine.latencyMsPerCall} ms per call`,
    `exit ${row.exit}; ${row.checks} checks (${Object.entries(row.statuses)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ')}); ${row.apiCalls} API calls in ${ms(row.wallMs)}`,
    `calls by operation: ${Object.entries(row.byOp)
      .map(([operation, count]) => `${operation} ${count}`)
      .join(', ')}`,
    ...row.notOk.map((line) => `  ${line}`),
  ];
}

function burstSection(rows) {
  const first = rows[0];
  return [
    `\n## Burst: ${first?.events} events over ${first?.processes} processes, fake rate limit 50 req/s (burst 20), ${first?.pools} pools`,
    render(BURST_COLUMNS, rows),
    ...rows.filter((row) => row.failures.length > 0).map((row) => `  ${row.kind} failures: ${row.failures.join(' | ')}`),
  ];
}

function investigationSection(inv) {
  const requireCost = (probe) =>
    probe.error
      ? `unbundled require probe ${probe.mode}: ${probe.error}`
      : `unbundled require ${probe.mode}: ${Object.entries(probe.timesMs)
          .map(([name, time]) => `${name} ${ms(time)}`)
          .join(', ')} (${probe.files} files, ${mib(probe.bytes)})`;
  return [
    '\n## Cold-start investigation: bundle variants (medians; via bench/lib/timed-entry.js)',
    `empty node process (spawn→exit): ${inv.floors.map((floor) => `${floor.mode} ${ms(floor.emptyProcessMs)}`).join(', ')}`,
    ...inv.probes.map(requireCost),
    'first-event breakdown (SDK part of the bundle required on its own; medians):',
    render(SDK_PROBE_COLUMNS, inv.sdkProbes),
    '',
    render(VARIANT_COLUMNS, inv.variants),
  ];
}

function reconcileSection(rows, machine) {
  const first = rows[0];
  return [
    `\n## Reconcile: ${first?.pools} pools, ${first?.nodes} nodes, concurrency ${first?.concurrency}, built CLI against the fake (${machine.latencyMsPerCall} ms per call)`,
    render(RECONCILE_COLUMNS, rows),
    `calls by operation: ${rows.map((row) => `${row.scenario}: ${byOperation(row.byOp)}`).join(' | ')}`,
  ];
}

const rateLimitText = (limit) => `${limit?.requestsPerSecond} req/s (burst ${limit?.burst})`;

function poolEventSection(rows) {
  const first = rows[0];
  return [
    `\n## Pool event: one updatenodepool.end, pool of ${first?.nodes} nodes, fake rate limit ${rateLimitText(first?.rateLimit)}, Fn-Deadline ${ms(first?.deadlineMs)}`,
    'bound: 1 GetNodePool + ListInstances pages + ListNodePools pages (the rename check) + 2 per changed node',
    render(POOL_EVENT_COLUMNS, rows),
    ...rows.map((row) => `  ${row.scenario}: ${byOperation(row.byOp)}; 429s: ${byOperation(row.throttledByOp) || 'none'}`),
    ...rows.filter((row) => row.detail).map((row) => `  ${row.scenario} answered ${row.status}: ${row.detail}`),
  ];
}

function echoesSection(rows) {
  const first = rows[0];
  return [
    `\n## Echoes: updateinstance events for the writes of reconcile --apply over ${first?.nodes} nodes, ${first?.processes} processes, fake rate limit ${rateLimitText(first?.rateLimit)}`,
    render(ECHO_COLUMNS, rows),
    ...rows.map((row) => `  ${row.scenario}: ${byOperation(row.byOp)}; outcomes ${row.outcomes.join('/')}`),
    ...(rows.some((row) => row.sampled)
      ? ['  sample: the echoes sent are a seeded random sample of the written instances; totals are scaled by writes ÷ echoes sent']
      : []),
  ];
}

function fnReconcileSection(result, machine) {
  const served = result.served;
  return [
    `\n## Function-mode reconcile: {"action":"reconcile","apply":true} over the socket, func.yaml memory ${result.memoryMb} MB, ${machine.latencyMsPerCall} ms per call`,
    render(FN_RECONCILE_COLUMNS, result.rows),
    ...result.rows.filter((row) => row.error).map((row) => `  ${row.nodes} nodes failed: ${row.error}`),
    served
      ? `nodes served at 70 % of memory (line through ${served.fromNodes.join(' and ')} nodes: ${num(served.bytesPerNode / 1024, 1)} KiB/node over ${mib(served.intercept)}): ${served.sizes.map((size) => `${size.memoryMb} MB ≈ ${size.nodes}`).join(', ')}`
      : 'nodes served: not estimated (needs two completed sizes with growing peaks)',
  ];
}
