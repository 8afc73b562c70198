/**
 * What every CLI command shares: option parsing with usage errors, the
 * mapping of flags onto the function's configuration keys, exit codes, and
 * terminal output (colour only on a TTY, logs on stderr).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type TaggerConfig } from '../config';
import { ConfigError, UsageError } from '../errors';
import { createJsonLogger, type Logger } from '../log';

/** Exit codes; 130 and 143 are 128 plus the signal's number, as shells report a command stopped by SIGINT or SIGTERM. */
export const EXIT = Object.freeze({ ok: 0, error: 1, usage: 2, outOfSync: 3, interrupted: 130, terminated: 143, closedPipe: 141 });

/** The signals that ask a command to stop. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit code after a stop signal. */
export function exitCodeFor(signal: StopSignal): number {
  return signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
}

/** Where a command writes; injected so tests and the demo can capture it. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour). */
  readonly isTty: boolean;
  /** Whether stderr is a terminal (progress); false when unset. */
  readonly errIsTty?: boolean;
  readonly cwd: string;
  /**
   * Hands SIGINT and SIGTERM to `listener` until the returned function is
   * called; unset where no signals arrive (in-process runs).
   */
  readonly onStopSignal?: (listener: (signal: StopSignal) => void) => () => void;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Flags that set configuration keys; shared by every command that tags. */
const CONFIG_OPTIONS: OptionSpec = {
  'tag-namespace': { type: 'string' },
  'tag-name': { type: 'string' },
  'cluster-tag-name': { type: 'string' },
  compartment: { type: 'string', multiple: true },
  timeout: { type: 'string' },
};

/** Flags that choose credentials for the real OCI API. */
const OCI_OPTIONS: OptionSpec = {
  auth: { type: 'string' },
  'config-file': { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
};

const CONFIG_HELP = `Configuration (flags override the function's config keys, which also work as environment variables):
  --tag-namespace NAME      defined-tag namespace (tag_namespace; default oke-nodepool-tags)
  --tag-name NAME           key that receives the node pool's name (tag_name; default oke-nodepool-name)
  --cluster-tag-name NAME   key that receives the cluster's name (cluster_tag_name; default unset)
  --compartment OCID        compartment to search or read; repeatable (compartment_id)`;

const OCI_HELP = `OCI credentials (without --world):
  --auth MODE               config_file (default), security_token (oci session authenticate),
                            instance_principal (on an OCI instance) or resource_principal (oci_auth)
  --config-file PATH        OCI config file (default $OCI_CONFIG_FILE or ~/.oci/config)
  --profile NAME            profile in the config file (default DEFAULT)
  --region REGION           region, when the profile names none (e.g. us-ashburn-1)`;

/** The flags of every command that reads a tenancy or a world file: configuration, credentials, --world, --verbose. */
export const TARGET_OPTIONS: OptionSpec = {
  ...CONFIG_OPTIONS,
  ...OCI_OPTIONS,
  world: { type: 'string' },
  verbose: { type: 'boolean' },
};

/** The help text of {@link TARGET_OPTIONS}' configuration and credential flags. */
export const TARGET_HELP = `${CONFIG_HELP}\n\n${OCI_HELP}`;

const FLAG_FOR_KEY: Record<string, string> = {
  tag_namespace: '--tag-namespace',
  tag_name: '--tag-name',
  cluster_tag_name: '--cluster-tag-name',
  compartment_id: '--compartment',
  timeout_seconds: '--timeout',
};

export type ParsedValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** Parses `args` strictly: an unknown flag or a missing value is a {@link UsageError} naming it. */
export function parseCommandArgs(
  command: string,
  args: readonly string[],
  options: OptionSpec,
  allowPositionals: boolean,
): { values: ParsedValues; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
    return { values: parsed.values as ParsedValues, positionals: parsed.positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
    const nearest = unknown === undefined ? undefined : nearestOption(unknown, Object.keys(options));
    throw new UsageError(`${command}: ${message}${nearest === undefined ? '' : `; did you mean --${nearest}?`}`);
  }
}

/** The known option closest to a mistyped one (a prefix of it, or a few edits away), if any is close enough. */
function nearestOption(given: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = given.startsWith(name) || name.startsWith(given) ? 1 : editDistance(given, name);
    if (distance <= Math.max(2, Math.floor(name.length / 4)) && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Prints a command's help on stdout; `--help` is a success. */
export function printHelp(io: Io, help: string): number {
  io.out(`${help}\n`);
  return EXIT.ok;
}

export function stringValue(values: ParsedValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole-number flag within [min, max], or `fallback` when absent; anything else is a {@link UsageError} naming the flag. */
export function wholeNumberValue(values: ParsedValues, command: string, name: string, fallback: number, min: number, max: number): number {
  const text = stringValue(values, name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${command}: --${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function listValue(values: ParsedValues, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Builds the configuration from the environment overlaid with the flags.
 * A bad value is a {@link UsageError} naming the flag and the key.
 */
export function configFromFlags(values: ParsedValues, env: Io['env'], overrides: Record<string, string | undefined> = {}): TaggerConfig {
  const merged: Record<string, string | undefined> = { ...env };
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) merged[key] = value;
  };
  set('tag_namespace', stringValue(values, 'tag-namespace'));
  set('tag_name', stringValue(values, 'tag-name'));
  set('cluster_tag_name', stringValue(values, 'cluster-tag-name'));
  const compartments = listValue(values, 'compartment');
  if (compartments.length > 0) set('compartment_id', compartments.join(','));
  set('timeout_seconds', stringValue(values, 'timeout'));
  set('OCI_CONFIG_FILE', stringValue(values, 'config-file'));
  set('oci_profile', stringValue(values, 'profile'));
  try {
    // The environment and flags are checked as given, so that a bad value is refused even for a key the command fixes.
    loadConfig(merged);
    for (const [key, value] of Object.entries(overrides)) merged[key] = value;
    return loadConfig(merged);
  } catch (error) {
    if (error instanceof ConfigError) {
      // Name the flag only when the user gave it; otherwise the message names the environment variable's key.
      const flag = FLAG_FOR_KEY[error.key];
      const given = flag !== undefined && values[flag.slice(2)] !== undefined;
      throw new UsageError(given ? `${flag}: ${error.message}` : `${error.message} (from the environment)`);
    }
    throw error;
  }
}

/**
 * Whether a command that writes only with --apply runs dry. --apply and
 * --dry-run win over the environment; dry_run=true in the environment makes
 * the run dry and contradicts --apply. dry_run=false is the function's
 * default, so it does not stand in for --apply. `writesByDefault` is the
 * answer when neither flag nor dry_run=true is given.
 */
export function isDryRun(command: string, values: ParsedValues, env: Io['env'], writesByDefault: boolean): boolean {
  if (values.apply && values['dry-run']) throw new UsageError(`${command}: --apply and --dry-run contradict each other`);
  const dryRunKey = configFromFlags({}, { dry_run: env.dry_run }).dryRun;
  if (values.apply && dryRunKey)
    throw new UsageError(`${command}: --apply contradicts dry_run=${env.dry_run ?? ''} in the environment; drop one`);
  if (values['dry-run'] || dryRunKey) return true;
  return values.apply === true ? false : !writesByDefault;
}

/** Logs go to stderr as JSON lines: everything with --verbose, otherwise only errors (results are printed anyway). */
export function cliLogger(io: Io, verbose: boolean): Logger {
  return createJsonLogger((line) => io.err(`${line}\n`), verbose ? 'info' : 'error');
}

const COLOURS = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, grey: 90, bold: 1 } as const;
export type Colour = keyof typeof COLOURS;

/** Wraps text in an ANSI colour on a TTY (and not under NO_COLOR); plain text otherwise. */
export function painter(io: Io): (colour: Colour, text: string) => string {
  // NO_COLOR counts only when it is set to something (no-color.org): an empty value keeps colour on.
  const enabled = io.isTty && (io.env.NO_COLOR ?? '') === '';
  return (colour, text) => (enabled ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text);
}

const ANSI_PATTERN = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const visibleLength = (text: string) => text.replace(ANSI_PATTERN, '').length;

/** Formats rows as aligned columns. Colour codes do not count towards widths. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, visibleLength(cell))));
  return rows.map((row) => tableRow(row, widths)).join('\n');
}

/**
 * One row padded to `widths`, for a table printed as it is made; a cell
 * wider than its column pushes the rest along but keeps two spaces.
 */
export function tableRow(row: readonly string[], widths: readonly number[]): string {
  return row
    .map((cell, index) => (index === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[index] ?? 0) - visibleLength(cell)))))
    .join('  ')
    .trimEnd();
}

/** Shortens an OCID for tables: `ocid1.instance…abcdef`. */
export function shortOcid(ocid: string | undefined): string {
  if (ocid === undefined) return '-';
  const parts = ocid.split('.');
  return parts.length > 2 ? `${parts[0]}.${parts[1]}…${ocid.slice(-6)}` : ocid;
}
