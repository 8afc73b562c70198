/**
 * What every CLI command shares: option parsing with usage errors, the
 * mapping of flags onto the function's configuration keys, exit codes, and
 * terminal output (colour only on a TTY, logs on stderr).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type TaggerConfig } from '../config';
import { ConfigError, UsageError } from '../errors';
import { createJsonLogger, type Logger } from '../log';

export const EXIT = Object.freeze({ ok: 0, error: 1, usage: 2, outOfSync: 3 });

/** Where a command writes; injected so tests and the demo can capture it. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTty: boolean;
  readonly cwd: string;
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
    throw new UsageError(`${command}: ${message}`);
  }
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
  for (const [key, value] of Object.entries(overrides)) merged[key] = value;
  try {
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

/** Logs go to stderr as JSON lines: everything with --verbose, otherwise only errors (results are printed anyway). */
export function cliLogger(io: Io, verbose: boolean): Logger {
  return createJsonLogger((line) => io.err(`${line}\n`), verbose ? 'info' : 'error');
}

const COLOURS = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, grey: 90, bold: 1 } as const;
export type Colour = keyof typeof COLOURS;

/** Wraps text in an ANSI colour on a TTY (and not under NO_COLOR); plain text otherwise. */
export function painter(io: Io): (colour: Colour, text: string) => string {
  const enabled = io.isTty && io.env.NO_COLOR === undefined;
  return (colour, text) => (enabled ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text);
}

const ANSI_PATTERN = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Formats rows as aligned columns. Colour codes do not count towards widths. */
export function table(rows: readonly (readonly string[])[]): string {
  const visible = (text: string) => text.replace(ANSI_PATTERN, '').length;
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, visible(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - visible(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Shortens an OCID for tables: `ocid1.instance…abcdef`. */
export function shortOcid(ocid: string | undefined): string {
  if (ocid === undefined) return '-';
  const parts = ocid.split('.');
  return parts.length > 2 ? `${parts[0]}.${parts[1]}…${ocid.slice(-6)}` : ocid;
}
