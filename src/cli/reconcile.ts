/**
 * `reconcile`: backfill and drift repair across compartments. Plans one
 * action per instance (tag, fix, prune, ok); a dry run unless --apply.
 */
import { UsageError } from '../errors';
import { Deadline } from '../deadline';
import { createCallScope } from '../call-scope';
import type { ReconcileSummary } from '../tagging/reconcile';
import { RECONCILE_DEFAULTS, reconcileWith } from '../use-cases';
import { ocidType } from '../ocid';
import {
  cliLogger,
  EXIT,
  exitCodeFor,
  isDryRun,
  listValue,
  parseCommandArgs,
  stringValue,
  type Io,
  wholeNumberValue,
  TARGET_HELP,
  TARGET_OPTIONS,
  printHelp,
  type OptionSpec,
  type ParsedValues,
} from './common';
import { ReconcileOutput } from './reconcile-output';
import { listenForStop } from './stop-request';
import { openTarget } from './target';

/** How long the calls in flight may take to finish after a stop signal. */
const STOP_GRACE_MS = 10_000;

export const RECONCILE_HELP = `Usage: oke-nodepool-tagger reconcile --compartment OCID... [options]

Compares every instance in the compartments with the node pools that really
contain them (the pools' nodes lists) and plans one action per instance:
  tag     a node without our tag(s)
  fix     a node whose tag value is stale (e.g. the pool was renamed)
  prune   an instance that carries our keys and is proven a node of no pool:
          every pool that could hold it (its oke-pool-id, its cluster's pools,
          the scanned pools) was read in full and none lists it
  ok      nothing to do
  unknown membership could not be decided (a read failed, a pool came without
          its nodes, a new node inside membership_grace_minutes, a hint naming
          a pool outside the scan): never pruned, and the run exits 1

It is a dry run unless --apply is given (dry_run=true in the environment
refuses --apply). Writes merge only our keys, use If-Match and re-read on
412, exactly as the function does. Rows are printed as they are decided;
when stderr is a terminal, a progress line shows there.

On SIGINT (Ctrl-C) or SIGTERM it starts no new calls, lets the calls in
flight finish for at most 10 s, prints the summary so far and a --resume
token; a second signal stops at once with the token of the last finished
batch of pools.

Options:
  --cluster OCID            only the node pools of this cluster; repeatable
  --pool-compartment OCID   list node pools only here (with least privilege, read
                            cluster-family is granted only where the pools are);
                            repeatable; default the --compartment list
  --instance-compartment OCID  list instances only here; repeatable; default the
                            --compartment list
  --apply                   perform tag and fix actions
  --dry-run                 plan and report, never write (the default)
  --prune                   with --apply, also remove our key(s) from prune
                            candidates (every other tag stays)
  --exit-code               exit 3 when a dry run finds instances out of sync
  --concurrency N           API calls in flight (default ${RECONCILE_DEFAULTS.cli.concurrency}, at most 64)
  --timeout SECONDS         time limit for the run, 1-86400 (default 3600); when it stops
                            the run, it prints a token for --resume and exits 1
  --resume TOKEN            carry on a run that stopped at its time limit
  --all                     list ok instances too
  --json                    one JSON line per instance, then a summary line
  --world FILE              run against a world file on the embedded fake
  --write-world OUT         with --world: save the world as it ends
  --verbose                 log retries and decisions as JSON lines on stderr
  -h, --help                show this help

${TARGET_HELP}

Examples:
  oke-nodepool-tagger reconcile --compartment ocid1.compartment.oc1..aaaa
  oke-nodepool-tagger reconcile --compartment ocid1.compartment.oc1..aaaa --apply
  oke-nodepool-tagger reconcile --compartment ocid1.compartment.oc1..aaaa --apply --prune --json
  oke-nodepool-tagger reconcile --compartment ocid1.compartment.oc1..aaaa --exit-code   # for cron and CI
  oke-nodepool-tagger reconcile --world examples/world.json --compartment ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000 --compartment ocid1.compartment.oc1..aaaaaaaaexampleclusterscompartment000000000000000000000

Exit codes: 0 verified: in sync, or changes applied; 1 something failed or is
unknown, or the time limit stopped the run; 2 bad usage; 3 out of sync (dry
run with --exit-code); 130 stopped by SIGINT; 143 stopped by SIGTERM.`;

/** Compartment OCIDs given with a repeatable flag; a bad one is a usage error naming the flag. */
function compartmentFlag(values: ParsedValues, name: string): string[] {
  const ids = listValue(values, name);
  const bad = ids.find((id) => ocidType(id) !== 'compartment' && ocidType(id) !== 'tenancy');
  if (bad !== undefined) throw new UsageError(`reconcile: --${name} "${bad.slice(0, 120)}" is not a compartment or tenancy OCID`);
  return [...new Set(ids)];
}

const RECONCILE_OPTIONS: OptionSpec = {
  ...TARGET_OPTIONS,
  cluster: { type: 'string', multiple: true },
  'pool-compartment': { type: 'string', multiple: true },
  'instance-compartment': { type: 'string', multiple: true },
  'write-world': { type: 'string' },
  apply: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  prune: { type: 'boolean' },
  'exit-code': { type: 'boolean' },
  concurrency: { type: 'string' },
  resume: { type: 'string' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
};

/** Runs `reconcile`. Returns the exit code. */
export async function runReconcile(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('reconcile', args, RECONCILE_OPTIONS, false);
  if (values.help) return printHelp(io, RECONCILE_HELP);
  const concurrency = wholeNumberValue(values, 'reconcile', 'concurrency', RECONCILE_DEFAULTS.cli.concurrency, 1, 64);
  const clusterIds = listValue(values, 'cluster');
  const badCluster = clusterIds.find((id) => ocidType(id) !== 'cluster');
  if (badCluster !== undefined) throw new UsageError(`reconcile: --cluster "${badCluster.slice(0, 120)}" is not a cluster OCID`);
  const apply = !isDryRun('reconcile', values, io.env, false);
  if (values.prune && !apply) io.err('reconcile: --prune without --apply only lists prune candidates\n');
  if (stringValue(values, 'write-world') !== undefined && stringValue(values, 'world') === undefined)
    throw new UsageError('reconcile: --write-world needs --world');
  const poolCompartments = compartmentFlag(values, 'pool-compartment');
  const instanceCompartments = compartmentFlag(values, 'instance-compartment');
  const both = poolCompartments.length > 0 && instanceCompartments.length > 0;
  if (!both && listValue(values, 'compartment').length === 0 && !(io.env.compartment_id ?? '').trim())
    throw new UsageError('reconcile: name at least one --compartment OCID (or both --pool-compartment and --instance-compartment)');

  const timeoutSeconds = Number(stringValue(values, 'timeout') ?? '3600');
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 86_400)
    throw new UsageError('reconcile: --timeout must be a number of seconds from 1 to 86400');
  // The run's own limit replaces the function's timeout_seconds, which caps at 3600 s.
  const target = await openTarget({ ...values, timeout: undefined }, io);
  const output = new ReconcileOutput(io, { json: values.json === true, all: values.all === true, apply });
  const scope = createCallScope({ deadline: Deadline.inSeconds(timeoutSeconds), logger: cliLogger(io, values.verbose === true) });
  const started = Date.now();
  const stop = listenForStop(io, STOP_GRACE_MS, (signal) =>
    output.note(
      `\n${signal}: starting no new calls; the calls in flight finish within ${STOP_GRACE_MS / 1000} s (a second signal stops at once)\n`,
    ),
  );
  let summary: ReconcileSummary;
  let abandoned = false;
  try {
    const ports = await target.createPorts(scope);
    const run = reconcileWith(target.config, ports, scope, {
      runner: 'cli',
      poolCompartmentIds: poolCompartments.length > 0 ? poolCompartments : target.config.compartmentIds,
      instanceCompartmentIds: instanceCompartments.length > 0 ? instanceCompartments : target.config.compartmentIds,
      clusterIds,
      apply,
      prune: values.prune === true,
      concurrency,
      resume: stringValue(values, 'resume'),
      stopRequested: stop.requested,
      onAction: (action) => output.action(action),
      onProgress: (progress) => output.progress(progress, scope.stats.apiCalls),
    });
    const ended = await Promise.race([run, stop.immediate]);
    if (typeof ended === 'string') {
      // In-flight calls are abandoned; the token is that of the last finished batch, so nothing unfinished is skipped.
      abandoned = true;
      run.catch(() => {});
      output.interruptedSummary(ended, scope.stats, Date.now() - started);
      return exitCodeFor(ended);
    }
    summary = ended;
    const out = stringValue(values, 'write-world');
    if (out !== undefined) await target.writeWorld(out);
  } finally {
    stop.dispose();
    output.endProgress();
    // Closing waits for open connections, which an abandoned run still has; the process exits without waiting.
    if (abandoned) target.close().catch(() => {});
    else await target.close();
  }

  const signal = stop.signal();
  const totals = { ...summary, ...scope.stats, durationMs: Date.now() - started, dryRun: !apply };
  output.summary(totals, signal === undefined ? { timeoutSeconds } : { signal });
  if (signal !== undefined && !summary.complete) return exitCodeFor(signal);
  if (summary.failed > 0 || summary.unknown > 0 || !summary.complete) return EXIT.error;
  const outOfSync = summary.counts.tag + summary.counts.fix + summary.counts.prune > 0;
  if (!apply && outOfSync && values['exit-code']) return EXIT.outOfSync;
  return EXIT.ok;
}
