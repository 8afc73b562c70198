/**
 * Reads the profile of an OCI config file that the config-file and
 * session-token modes sign with, and checks it before the SDK does. The
 * SDK's own errors name neither the file it read nor the fix (its message
 * for a missing session token even speaks of a private key), so each error
 * here names the file, the profile, what is missing and the `oci` command
 * that writes it.
 */
import { readFileSync } from 'node:fs';
import * as common from 'oci-common';
import { TaggerError } from '../errors';

/** A profile as the SDK reads it: its own keys, then those of `[DEFAULT]`. */
export interface ConfigProfile {
  /** The file, with `~` expanded. */
  readonly file: string;
  readonly name: string;
  get(key: string): string | undefined;
}

/** Where the SDK looks when no file is named, in its order. */
const DEFAULT_FILES = ['~/.oci/config', '~/.oraclebmc/config'];

const SETUP = 'create one with "oci setup config"';

function detail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TaggerError(`OCI config file ${path} cannot be read: ${detail(error)}`, { cause: error });
  }
}

/**
 * Reads `profile` (default `DEFAULT`) from `file`, or from the first of
 * `~/.oci/config` and `~/.oraclebmc/config` that exists when no file is named.
 */
export function readConfigProfile(file: string | undefined, profile: string | undefined): ConfigProfile {
  const candidates = (file === undefined ? DEFAULT_FILES : [file]).map((path) => common.ConfigFileReader.expandUserHome(path));
  let path: string | undefined;
  let text: string | undefined;
  for (const candidate of candidates) {
    text = readText(candidate);
    path = candidate;
    if (text !== undefined) break;
  }
  if (text === undefined || path === undefined) {
    throw new TaggerError(
      file === undefined
        ? `no OCI config file: looked for ${candidates.join(' and ')}; ${SETUP}`
        : `OCI config file ${candidates[0] ?? file} does not exist; ${SETUP}`,
    );
  }
  const name = profile ?? common.ConfigFileReader.DEFAULT_PROFILE_NAME;
  let parsed: ReturnType<typeof common.ConfigFileReader.parse>;
  try {
    parsed = common.ConfigFileReader.parse(text, null);
  } catch (error) {
    throw new TaggerError(`OCI config file ${path} is malformed: ${detail(error)}`, { cause: error });
  }
  const profiles = [...parsed.accumulator.configurationsByProfile.keys()];
  if (!profiles.includes(name)) {
    throw new TaggerError(
      `OCI config file ${path} has no profile [${name}] (it has ${profiles.length === 0 ? 'none' : profiles.map((p) => `[${p}]`).join(', ')})`,
    );
  }
  const selected = common.ConfigFileReader.parse(text, name);
  return { file: path, name, get: (key) => selected.get(key) ?? undefined };
}

/** Throws naming every key of `keys` the profile lacks; `why` says which kind of profile needs them. */
export function requireKeys(profile: ConfigProfile, keys: readonly string[], why: string): void {
  const missing = keys.filter((key) => profile.get(key) === undefined && !(key === 'region' && process.env.OCI_REGION));
  if (missing.length > 0) {
    throw new TaggerError(`profile [${profile.name}] in ${profile.file} lacks ${missing.join(', ')} (${why} needs ${keys.join(', ')})`);
  }
}

/** Reads the file a profile key names (`key_file`, `security_token_file`, …), naming the key, the profile and the file on failure. */
export function readProfileFile(profile: ConfigProfile, key: string): string {
  const value = profile.get(key);
  if (value === undefined) throw new TaggerError(`profile [${profile.name}] in ${profile.file} has no ${key}`);
  const path = common.ConfigFileReader.expandUserHome(value);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new TaggerError(`${key} ${path} (profile [${profile.name}] in ${profile.file}) cannot be read: ${detail(error)}`, {
      cause: error,
    });
  }
}

/** The `exp` claim of a session token (a JWT), or undefined when the token is not a JWT carrying one. */
export function tokenExpiry(token: string): Date | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}
