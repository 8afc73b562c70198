/**
 * `snapshot`: reads clusters, node pools (with nodes) and instances from the
 * real OCI API into a world file that `replay --world` can use offline.
 */
import type { World } from '../local/world';
import { SCRUBBED } from '../oci/snapshot';
import { writeFile } from 'node:fs/promises';
import { Deadline } from '../deadline';
import { TaggerError, UsageError } from '../errors';
import { createCallScope } from '../call-scope';
import {
  cliLogger,
  EXIT,
  parseCommandArgs,
  stringValue,
  type Io,
  wholeNumberValue,
  TARGET_HELP,
  TARGET_OPTIONS,
  printHelp,
  type OptionSpec,
} from './common';
import { ocidType } from '../ocid';
import { ACCESS_OPTIONS, accessTargetOptions } from './access-options';
import { openTarget } from './target';

export const SNAPSHOT_HELP = `Usage: oke-nodepool-tagger snapshot --compartment OCID... [--out FILE] [options]

Reads the compartments' OKE clusters, node pools (with their nodes) and
instances from the OCI API and writes a world file. Replaying events against
the snapshot (replay --world FILE) gives the same outcomes as against the
tenancy, so a field problem can be reproduced offline. Instance metadata is
scrubbed: only the oke-* hint keys keep their values; user_data, SSH keys and
everything else become "<scrubbed>". The tag catalogue is inferred from the
defined tags in use plus the configured namespace and keys, and from the
tenancy's own catalogue (with retired keys).

For explain and doctor it also reads the tenancy's compartments, dynamic
groups (Default domain) and policies, the Events rules and Resource Scheduler
schedules of the compartments and of their ancestors, and the function named
with --function-id; the function's config values are scrubbed except the keys
this tool reads. --skip-access leaves all of these out (and needs no IAM read
grants).

Options:
  --out FILE                write the world here (default: standard output)
  --world FILE              read from a world file on the embedded fake instead
  --concurrency N           GetNodePool calls in flight (default 4)
  --function-id OCID        also capture this function (the tagger), for doctor
  --tenancy OCID            the tenancy to read (default the one the credentials name)
  --skip-access             leave out compartments, groups, policies, rules, schedules and functions
  --verbose                 log progress as JSON lines on stderr
  --timeout SECONDS         time limit for the run, 1-3600 (timeout_seconds; default 300)
  -h, --help                show this help

${TARGET_HELP}

Examples:
  oke-nodepool-tagger snapshot --compartment ocid1.compartment.oc1..aaaa --out world.json
  oke-nodepool-tagger snapshot --compartment ocid1.compartment.oc1..aaaa --compartment ocid1.compartment.oc1..bbbb --profile PROD > world.json

Exit codes: 0 written, 1 an API or file error, or the scope looks wrong (no
node pool found, or instances naming pools outside the snapshot: the world is
written, with a warning), 2 bad usage, 130 or 143 stopped by SIGINT or SIGTERM.`;

const SNAPSHOT_OPTIONS: OptionSpec = {
  ...TARGET_OPTIONS,
  out: { type: 'string' },
  concurrency: { type: 'string' },
  'function-id': { type: 'string' },
  tenancy: ACCESS_OPTIONS['tenancy'] ?? { type: 'string' },
  'skip-access': { type: 'boolean' },
};

/** Runs `snapshot`. Returns the exit code. */
export async function runSnapshot(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('snapshot', args, SNAPSHOT_OPTIONS, false);
  if (values.help) return printHelp(io, SNAPSHOT_HELP);
  const concurrency = wholeNumberValue(values, 'snapshot', 'concurrency', 4, 1, 64);
  const access = accessTargetOptions(values, 'snapshot');
  const functionId = stringValue(values, 'function-id');
  if (functionId !== undefined && ocidType(functionId) !== 'fnfunc')
    throw new UsageError(`snapshot: --function-id "${functionId.slice(0, 120)}" is not a function OCID`);
  if (values['skip-access'] === true && (functionId !== undefined || access.tenancyId !== undefined))
    throw new UsageError('snapshot: --skip-access leaves out what --function-id and --tenancy choose; drop one');
  const target = await openTarget(values, io, { timeout_seconds: stringValue(values, 'timeout') ?? io.env.timeout_seconds ?? '300' });
  try {
    const { config } = target;
    if (config.compartmentIds.length === 0) throw new UsageError('snapshot: name at least one --compartment OCID');
    const { snapshotWorld } = await import('../oci/snapshot');
    const logger = cliLogger(io, values.verbose === true);
    const scope = createCallScope({ deadline: Deadline.inSeconds(config.timeoutSeconds), logger });
    const listed = new Set<string>();
    const world = await snapshotWorld(await target.clients(), scope, {
      compartmentIds: config.compartmentIds,
      tagNamespace: config.tagNamespace,
      tagKeys: [config.tagName, ...(config.clusterTagName ? [config.clusterTagName] : [])],
      concurrency,
      onProgress: (message) => logger.log('info', message),
      onPoolListed: (id) => listed.add(id),
    });
    if (values['skip-access'] !== true) {
      const { snapshotAccess } = await import('./snapshot-access');
      const parts = await snapshotAccess(target, scope, {
        ...access,
        compartmentIds: config.compartmentIds,
        functionId,
        onProgress: (message) => logger.log('info', message),
      }).catch((error: unknown) => {
        if (!(error instanceof TaggerError) || error instanceof UsageError) throw error;
        throw new TaggerError(`${error.message}; --skip-access leaves out the IAM, Events, Functions and schedule reads`, { cause: error });
      });
      Object.assign(world, parts, { tagNamespaces: { ...world.tagNamespaces, ...parts.tagNamespaces } });
    }
    const text = `${JSON.stringify(world, null, 2)}\n`;
    const out = stringValue(values, 'out');
    if (out === undefined) io.out(text);
    else {
      try {
        await writeFile(out, text);
      } catch (error) {
        throw new TaggerError(`cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`);
      }
      io.err(
        `wrote ${out}: ${world.clusters.length} cluster(s), ${world.nodePools.length} node pool(s), ${world.instances.length} instance(s) in ${scope.stats.apiCalls} API calls\n`,
      );
    }
    const warnings = scopeWarnings(world, listed, config.compartmentIds);
    for (const warning of warnings) io.err(`snapshot: warning: ${warning}\n`);
    return warnings.length > 0 ? EXIT.error : EXIT.ok;
  } finally {
    await target.close();
  }
}

/**
 * What a snapshot of the wrong compartments looks like: no node pool at all,
 * or instances whose oke-pool-id names a pool that no listing showed.
 * Either makes the snapshot unfit to decide membership, so the command exits 1.
 */
export function scopeWarnings(world: World, listed: ReadonlySet<string>, compartmentIds: readonly string[]): string[] {
  const warnings: string[] = [];
  if (world.nodePools.length === 0)
    warnings.push(`no node pool found in ${compartmentIds.join(', ')}; add the compartments that hold the pools`);
  const pools = new Set([...listed, ...world.nodePools.map((pool) => pool.id)]);
  const outside = world.instances.filter((instance) => {
    const hint = instance.metadata['oke-pool-id'];
    return hint !== undefined && hint !== SCRUBBED && !pools.has(hint);
  }).length;
  if (outside > 0)
    warnings.push(`${outside} instance(s) name node pools outside the snapshot in their oke-pool-id; add the pools' compartments`);
  return warnings;
}
