// The plain-text report bench/run.mjs prints: one table per section that ran, then the ratios.
import { kib, mib, ms, num, table } from './stats.mjs';

/** The report of a run's results, as printed to stdout. */
export function report(r) {
  const parts = [];
  const m = r.machine;
  parts.push(`# oke-nodepool-tagger bench (${m.mode}) — ${m.date}`);
  parts.push(
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryMiB} MiB; harness ${m.node}; node22: ${m.node22}; fake latency ${m.latencyMsPerCall} ms per call; run took ${num(r.durationS, 0)} s`,
  );
  parts.push(`dist/func.js ${kib(r.sizes.funcJs)} (gzip ${kib(r.sizes.funcJsGzip)}), dist/ total ${kib(r.sizes.distTotal)}`);
  if (r.latency) parts.push(...latencyTable(r));
  if (r.coldStart) parts.push(...coldStartTable(r));
  if (r.burst) parts.push(...burstTables(r));
  if (r.memory) parts.push(...memoryTable(r));
  if (r.investigation) parts.push(...investigationTables(r));
  if (r.reconcile) parts.push(...reconcileTables(r));
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

function latencyTable(r) {
  const parts = [];
  parts.push('\n## Latency per event (one process, one call at a time)');
  parts.push(
    table([
      ['pools', 'impl', 'scenario', 'events', 'ok', 'median', 'p95', 'calls/event', 'outcome'],
      ...r.latency.map((row) => [
        row.pools,
        row.kind,
        row.scenario,
        row.events,
        row.ok,
        ms(row.medianMs),
        ms(row.p95Ms),
        num(row.callsPerEvent),
        row.outcomes,
      ]),
    ]),
  );
  return parts;
}

function coldStartTable(r) {
  const parts = [];
  parts.push('\n## Cold start (10 pools, fresh OKE node; medians)');
  parts.push(
    table([
      ['impl', 'node', 'runs', 'spawn→listen', 'spawn→1st answer', '1st event', 'warm event', 'start overhead'],
      ...r.coldStart.map((row) => [
        row.kind,
        row.mode,
        row.runs,
        ms(row.listenMs),
        ms(row.firstAnswerMs),
        ms(row.firstEventMs),
        ms(row.warmEventMs),
        ms(row.startOverheadMs),
      ]),
    ]),
  );
  return parts;
}

function burstTables(r) {
  const parts = [];
  parts.push(
    `\n## Burst: ${r.burst[0]?.events} events over ${r.burst[0]?.processes} processes, fake rate limit 50 req/s (burst 20), ${r.burst[0]?.pools} pools`,
  );
  parts.push(
    table([
      ['impl', 'ok', 'failed', 'tagged in world', 'wall', 'median', 'p95', 'max', 'API calls', '429s', 'calls/event', 'restarts'],
      ...r.burst.map((row) => [
        row.kind,
        `${row.ok}/${row.events}`,
        row.failed,
        row.taggedInWorld,
        ms(row.wallMs),
        ms(row.medianMs),
        ms(row.p95Ms),
        ms(row.maxMs),
        row.apiCalls,
        row.throttled,
        num(row.callsPerEvent),
        row.restarts,
      ]),
    ]),
  );
  for (const row of r.burst) if (row.failures.length > 0) parts.push(`  ${row.kind} failures: ${row.failures.join(' | ')}`);
  return parts;
}

function memoryTable(r) {
  const parts = [];
  parts.push('\n## Memory (VmHWM / VmRSS of the function process, fresh OKE events, 10 pools)');
  parts.push(
    table([
      ['impl', 'events', 'ok', 'RSS after warm-up', 'peak RSS (VmHWM)', 'RSS first 20', 'RSS last 20', 'growth', 'median'],
      ...r.memory.map((row) => [
        row.kind,
        row.events,
        row.ok,
        mib(row.rssAfterWarmup),
        mib(row.peakRss),
        mib(row.rssFirst20),
        mib(row.rssLast20),
        mib(row.rssGrowth),
        ms(row.medianMs),
      ]),
    ]),
  );
  return parts;
}

function investigationTables(r) {
  const parts = [];
  const inv = r.investigation;
  parts.push('\n## Cold-start investigation: bundle variants (medians; via bench/lib/timed-entry.js)');
  parts.push(`empty node process (spawn→exit): ${inv.floors.map((floor) => `${floor.mode} ${ms(floor.emptyProcessMs)}`).join(', ')}`);
  for (const probe of inv.probes) {
    if (probe.error) parts.push(`unbundled require probe ${probe.mode}: ${probe.error}`);
    else
      parts.push(
        `unbundled require ${probe.mode}: ${Object.entries(probe.timesMs)
          .map(([name, time]) => `${name} ${ms(time)}`)
          .join(', ')} (${probe.files} files, ${mib(probe.bytes)})`,
      );
  }
  parts.push('first-event breakdown (SDK part of the bundle required on its own; medians):');
  parts.push(
    table([
      ['SDK bundle', 'size', 'node', 'require SDK', 'RP provider', 'clients', '1st GetInstance', '2nd GetInstance'],
      ...inv.sdkProbes.map((row) => [
        row.probe,
        kib(row.size),
        row.mode,
        ms(row.loadSdkMs),
        ms(row.authProviderMs),
        ms(row.clientsMs),
        ms(row.firstCallMs),
        ms(row.secondCallMs),
      ]),
    ]),
  );
  parts.push('');
  parts.push(
    table([
      ['variant', 'node', 'size', 'gzip', 'ok', 'bootstrap', 'load bundle', 'spawn→listen', '1st event', 'spawn→1st answer', 'warm', 'RSS'],
      ...inv.variants.map((row) => [
        row.variant,
        row.mode,
        kib(row.size),
        kib(row.gzip),
        row.ok === undefined ? 'n/a' : row.ok ? 'yes' : 'BROKEN',
        ms(row.bootstrapMs),
        ms(row.loadMs),
        ms(row.listenMs),
        ms(row.firstEventMs),
        ms(row.firstAnswerMs),
        ms(row.warmEventMs),
        mib(row.rssAfter),
      ]),
    ]),
  );
  return parts;
}

function reconcileTables(r) {
  const parts = [];
  const first = r.reconcile[0];
  parts.push(
    `\n## Reconcile: ${first?.pools} pools, ${first?.nodes} nodes, concurrency ${first?.concurrency}, built CLI against the fake (${r.machine.latencyMsPerCall} ms per call)`,
  );
  parts.push(
    table([
      [
        'scenario',
        'rate limit',
        'exit',
        'complete',
        'tag',
        'applied',
        'wall',
        'calls at concurrency x latency',
        'API calls',
        'bound',
        'retries',
        '429s',
        '412 re-reads',
        'peak RSS',
      ],
      ...r.reconcile.map((row) => [
        row.scenario,
        row.rateLimit,
        row.exit,
        row.complete,
        row.counts?.tag ?? '-',
        row.applied ?? '-',
        ms(row.wallMs),
        ms(row.idealMs),
        row.apiCalls,
        `${row.bound} (${row.withinBound ? 'within' : 'OVER'})`,
        row.retries,
        row.throttled,
        row.etagConflicts,
        mib(row.peakRss),
      ]),
    ]),
  );
  parts.push(
    `calls by operation: ${r.reconcile
      .map(
        (row) =>
          `${row.scenario}: ${Object.entries(row.byOp)
            .map(([op, n]) => `${op} ${n}`)
            .join(', ')}`,
      )
      .join(' | ')}`,
  );
  return parts;
}
