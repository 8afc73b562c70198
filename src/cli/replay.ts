/**
 * `replay`: feeds recorded events through the function's handler, against
 * the embedded fake (`--world`) or the real OCI API.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describeError, TaggerError, UsageError } from '../errors';
import type { InvocationHeaders } from '../event';
import { createHandler, type InvocationResult } from '../handler';
import {
  cliLogger,
  EXIT,
  isDryRun,
  painter,
  parseCommandArgs,
  shortOcid,
  stringValue,
  type Io,
  TARGET_HELP,
  TARGET_OPTIONS,
  printHelp,
} from './common';
import { openTarget, type Target } from './target';

export const REPLAY_HELP = `Usage: oke-nodepool-tagger replay <event-file|directory>... [options]

Feeds recorded events through the same handler the function runs. A directory
means its *.json files in name order. A file X.json may have a sidecar
X.headers.json holding the invocation's headers (for binary-mode CloudEvents).

Where the OCI API comes from:
  --world FILE              embedded fake OCI API loaded from a world file; writes
                            change only that in-memory world and are applied
  --write-world OUT         with --world: save the world as it ends
  (no --world)              the real OCI API through your OCI config file; this
                            is a dry run unless --apply is given

Options:
  --apply                   write tags to the real OCI API
  --dry-run                 decide and report (would-tag), never write; so
                            does dry_run=true in the environment
  --json                    one JSON result object per line (logs stay on stderr)
  --verbose                 also log each decision as a JSON line on stderr
  --timeout SECONDS         time budget per event, 1-3600 (timeout_seconds; default 30)
  -h, --help                show this help

${TARGET_HELP}

Examples:
  oke-nodepool-tagger replay examples/events --world examples/world.json
  oke-nodepool-tagger replay events/ --world snapshot.json --dry-run --json
  oke-nodepool-tagger replay launch.json --profile PROD --region us-ashburn-1
  oke-nodepool-tagger replay launch.json --profile PROD --apply

Exit codes: 0 every event was handled (rejected files are reported, not errors),
1 an event failed (API error, missing credentials), 2 bad usage, 130 or 143
stopped by SIGINT or SIGTERM.`;

export const REPLAY_OPTIONS = {
  ...TARGET_OPTIONS,
  'write-world': { type: 'string' },
  apply: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** One replayed event: the file and the handler's result or failure. */
export interface ReplayEntry {
  readonly file: string;
  readonly result?: InvocationResult;
  readonly error?: string;
}

const HEADERS_SUFFIX = '.headers.json';

/** Expands files and directories into event files in name order; errors name the path. */
export async function collectEventFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new TaggerError(`cannot read ${path}: no such file or directory`);
    }
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((name) => name.endsWith('.json') && !name.endsWith(HEADERS_SUFFIX)).sort();
      files.push(...names.map((name) => join(path, name)));
    } else {
      files.push(path);
    }
  }
  return files;
}

async function sidecarHeaders(file: string): Promise<InvocationHeaders> {
  const sidecar = file.replace(/\.json$/, '') + HEADERS_SUFFIX;
  let text: string;
  try {
    text = await readFile(sidecar, 'utf8');
  } catch {
    return {};
  }
  try {
    return JSON.parse(text) as InvocationHeaders;
  } catch {
    throw new TaggerError(`cannot parse headers file ${sidecar}: not JSON`);
  }
}

/** Formats one entry as a readable line. */
export function describeEntry(entry: ReplayEntry, paint: ReturnType<typeof painter>): string {
  const name = basename(entry.file);
  if (entry.error !== undefined) return `${paint('red', 'error'.padEnd(16))} ${name}: ${entry.error}`;
  const result = entry.result as InvocationResult;
  const colour =
    (
      {
        tagged: 'green',
        'would-tag': 'cyan',
        unchanged: 'grey',
        'not-in-node-pool': 'yellow',
        ignored: 'grey',
        rejected: 'magenta',
      } as const
    )[result.outcome as 'tagged'] ?? 'blue';
  const tags = result.tags
    ? Object.entries(result.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')
    : '';
  const detail =
    result.outcome === 'tagged' || result.outcome === 'would-tag' || result.outcome === 'unchanged'
      ? `${instanceLabel(result)} is in pool ${result.nodePoolName ?? '?'}: ${tags} (found via ${result.foundVia === 'hint' ? 'its oke-pool-id hint' : 'a scan'})`
      : `${result.instanceId ? `${instanceLabel(result)}: ` : ''}${result.reason ?? ''}`;
  const calls = `${result.apiCalls} ${result.apiCalls === 1 ? 'call' : 'calls'}`;
  return `${paint(colour, result.outcome.padEnd(16))} ${name}: ${detail} [${calls}, ${result.durationMs} ms]`;
}

function instanceLabel(result: InvocationResult): string {
  return result.instanceName ?? shortOcid(result.instanceId);
}

/** Runs `replay`. Returns the exit code. */
export async function runReplay(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('replay', args, REPLAY_OPTIONS, true);
  if (values.help) return printHelp(io, REPLAY_HELP);
  if (positionals.length === 0) throw new UsageError('replay: name at least one event file or directory (see replay --help)');
  const worldMode = stringValue(values, 'world') !== undefined;
  const dryRun = isDryRun('replay', values, io.env, worldMode);
  if (!worldMode && stringValue(values, 'write-world') !== undefined) throw new UsageError('replay: --write-world needs --world');

  const files = await collectEventFiles(positionals);
  const target = await openTarget(values, io, { dry_run: String(dryRun) });
  const paint = painter(io);
  let entries: ReplayEntry[];
  try {
    // Credentials that cannot be used fail every event alike: say so once, before the first event.
    await target.clients();
    entries = await replayFiles(files, target, io, values.verbose === true, (entry) =>
      io.out(`${values.json ? JSON.stringify(entryJson(entry)) : describeEntry(entry, paint)}\n`),
    );
    if (!values.json) io.out(`${summarise(entries)}${dryRun ? ' (dry run)' : ''}\n`);
    const out = stringValue(values, 'write-world');
    if (out !== undefined) await target.writeWorld(out);
  } finally {
    await target.close();
  }
  return entries.some((entry) => entry.error !== undefined) ? EXIT.error : EXIT.ok;
}

/** The JSON line of one entry: the function's result object plus the file. */
export function entryJson(entry: ReplayEntry): Record<string, unknown> {
  if (!entry.result) return { file: entry.file, outcome: 'error', error: entry.error };
  const reason = entry.result.outcome === 'rejected' ? { reason: `${basename(entry.file)}: ${entry.result.reason ?? ''}` } : {};
  return { file: entry.file, ...entry.result, ...reason };
}

/** Replays `files` through a handler over `target`, one at a time. */
export async function replayFiles(
  files: readonly string[],
  target: Target,
  io: Io,
  verbose: boolean,
  onEntry: (entry: ReplayEntry) => void = () => {},
): Promise<ReplayEntry[]> {
  const handler = createHandler({
    config: target.config,
    logger: cliLogger(io, verbose),
    createPorts: target.createPorts,
  });
  const lines: ReplayEntry[] = [];
  for (const [index, file] of files.entries()) {
    try {
      const [body, headers] = await Promise.all([readFile(file), sidecarHeaders(file)]);
      const result = await handler({ body, headers, callId: `replay-${index + 1}` });
      lines.push({ file, result });
    } catch (error) {
      lines.push({ file, error: error instanceof TaggerError ? error.message : describeError(error) });
    }
    onEntry(lines[lines.length - 1] as ReplayEntry);
  }
  return lines;
}

/** "6 events: 2 tagged, 1 unchanged, …". */
export function summarise(entries: readonly ReplayEntry[]): string {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const key = entry.error !== undefined ? 'failed' : (entry.result?.outcome ?? 'failed');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return `${entries.length} event(s): ${[...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ')}`;
}
