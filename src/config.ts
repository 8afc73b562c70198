/**
 * Typed, validated configuration. Function config keys arrive as environment
 * variables; the CLI maps its flags onto the same keys. Validation happens
 * once, at start-up, and a bad value names its key.
 */
import { ConfigError } from './errors';
import type { LogLevel } from './log';
import { ocidType } from './ocid';

/** How the OCI calls are signed; `security_token` is a profile made by `oci session authenticate`. */
export const AUTH_MODES = ['resource_principal', 'instance_principal', 'config_file', 'security_token'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Whether `value` names an {@link AuthMode}. */
export function isAuthMode(value: string): value is AuthMode {
  return (AUTH_MODES as readonly string[]).includes(value);
}

export interface TaggerConfig {
  readonly tagNamespace: string;
  readonly tagName: string;
  readonly clusterTagName: string | undefined;
  readonly compartmentIds: readonly string[];
  readonly timeoutSeconds: number;
  readonly dryRun: boolean;
  readonly auth: AuthMode;
  readonly ociConfigFile: string | undefined;
  readonly ociProfile: string | undefined;
  readonly containerEngineEndpoint: string | undefined;
  readonly computeEndpoint: string | undefined;
  /** How long to keep re-checking a hinted pool that does not list the instance yet. */
  readonly membershipWaitSeconds: number;
  readonly logLevel: LogLevel;
  /** Whether an invocation may run reconcile (`{"action":"reconcile",…}`). */
  readonly allowReconcile: boolean;
  /** How long after its creation an OKE-looking instance that no pool lists yet is never proven a non-member. */
  readonly membershipGraceMinutes: number;
  /** What the function does with a proven non-member carrying our keys: remove them, or only report it. */
  readonly impostorAction: ImpostorAction;
}

export type ImpostorAction = 'remove' | 'report';

export const DEFAULT_TAG_NAMESPACE = 'oke-nodepool-tags';
export const DEFAULT_TAG_NAME = 'oke-nodepool-name';

/** Tag namespace and key names: OCI allows up to 100 characters and forbids periods and spaces. */
const TAG_NAME_PATTERN = /^[A-Za-z0-9_+\-:@]{1,100}$/;

/**
 * Every function config key this tool reads, in one place: the function's
 * configuration, the CLI's environment, `snapshot` (which keeps these values
 * and scrubs the rest) and `doctor` (which flags keys it does not know) all
 * go by this list.
 */
export const CONFIG_KEYS = [
  'tag_namespace',
  'tag_name',
  'cluster_tag_name',
  'compartment_id',
  'timeout_seconds',
  'dry_run',
  'oci_auth',
  'oci_profile',
  'containerengine_endpoint',
  'compute_endpoint',
  'membership_wait_seconds',
  'log_level',
  'allow_reconcile',
  'membership_grace_minutes',
  'impostor_action',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Environment variables read beside the config keys: set by OCI Functions or the OCI CLI, never by an operator's function config. */
type EnvironmentName = 'OCI_CONFIG_FILE' | 'OCI_RESOURCE_PRINCIPAL_VERSION';

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, key: ConfigKey | EnvironmentName): string | undefined {
  const value = env[key];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function tagIdentifier(env: Env, key: ConfigKey, fallback: string): string;
function tagIdentifier(env: Env, key: ConfigKey, fallback: undefined): string | undefined;
function tagIdentifier(env: Env, key: ConfigKey, fallback: string | undefined): string | undefined {
  const value = read(env, key) ?? fallback;
  if (value !== undefined && !TAG_NAME_PATTERN.test(value)) {
    throw new ConfigError(
      key,
      `"${value.slice(0, 120)}" is not a valid tag namespace or key name (1-100 characters: letters, digits, _ + - : @; no periods or spaces)`,
    );
  }
  return value;
}

function boolean(env: Env, key: ConfigKey, fallback: boolean): boolean {
  const value = read(env, key);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (['true', '1', 'yes'].includes(lower)) return true;
  if (['false', '0', 'no'].includes(lower)) return false;
  throw new ConfigError(key, `"${value.slice(0, 40)}" is not a boolean (use true or false)`);
}

function seconds(env: Env, key: ConfigKey, fallback: number, min: number, max: number): number {
  const value = read(env, key);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(key, `"${value.slice(0, 40)}" is not a number of seconds between ${min} and ${max}`);
  }
  return parsed;
}

function endpoint(env: Env, key: ConfigKey): string | undefined {
  const value = read(env, key);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(key, `"${value.slice(0, 120)}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(key, `"${value.slice(0, 120)}" must be an http or https URL`);
  }
  return value.replace(/\/+$/, '');
}

function compartments(env: Env, key: ConfigKey): string[] {
  const value = read(env, key);
  if (value === undefined) return [];
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  for (const id of ids) {
    const type = ocidType(id);
    if (type !== 'compartment' && type !== 'tenancy') {
      throw new ConfigError(key, `"${id.slice(0, 120)}" is not a compartment or tenancy OCID`);
    }
  }
  return [...new Set(ids)];
}

function authMode(env: Env): AuthMode {
  const value = read(env, 'oci_auth');
  if (value === undefined) {
    return read(env, 'OCI_RESOURCE_PRINCIPAL_VERSION') !== undefined ? 'resource_principal' : 'config_file';
  }
  if (isAuthMode(value)) return value;
  throw new ConfigError('oci_auth', `"${value.slice(0, 40)}" is not one of ${AUTH_MODES.join(', ')}`);
}

function impostorAction(env: Env): ImpostorAction {
  const value = read(env, 'impostor_action') ?? 'remove';
  if (value === 'remove' || value === 'report') return value;
  throw new ConfigError('impostor_action', `"${value.slice(0, 40)}" is not one of remove, report`);
}

function minutes(env: Env, key: ConfigKey, fallback: number, max: number): number {
  const value = read(env, key);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > max) {
    throw new ConfigError(key, `"${value.slice(0, 40)}" is not a number of minutes between 0 and ${max}`);
  }
  return parsed;
}

function logLevel(env: Env): LogLevel {
  const value = read(env, 'log_level') ?? 'info';
  if (value === 'debug' || value === 'info' || value === 'warn' || value === 'error') return value;
  throw new ConfigError('log_level', `"${value.slice(0, 40)}" is not one of debug, info, warn, error`);
}

/**
 * Reads and validates the configuration from function config keys
 * (environment variables). Throws {@link ConfigError} naming the bad key.
 */
export function loadConfig(env: Env): TaggerConfig {
  const tagNamespace = tagIdentifier(env, 'tag_namespace', DEFAULT_TAG_NAMESPACE);
  const tagName = tagIdentifier(env, 'tag_name', DEFAULT_TAG_NAME);
  const clusterTagName = tagIdentifier(env, 'cluster_tag_name', undefined);
  if (clusterTagName !== undefined && clusterTagName.toLowerCase() === tagName.toLowerCase()) {
    throw new ConfigError('cluster_tag_name', `must differ from tag_name ("${tagName}"); tag keys are case-insensitive`);
  }
  return Object.freeze({
    tagNamespace,
    tagName,
    clusterTagName,
    compartmentIds: Object.freeze(compartments(env, 'compartment_id')),
    timeoutSeconds: seconds(env, 'timeout_seconds', 30, 1, 3600),
    dryRun: boolean(env, 'dry_run', false),
    auth: authMode(env),
    ociConfigFile: read(env, 'OCI_CONFIG_FILE'),
    ociProfile: read(env, 'oci_profile'),
    containerEngineEndpoint: endpoint(env, 'containerengine_endpoint'),
    computeEndpoint: endpoint(env, 'compute_endpoint'),
    membershipWaitSeconds: seconds(env, 'membership_wait_seconds', 5, 0, 120),
    logLevel: logLevel(env),
    allowReconcile: boolean(env, 'allow_reconcile', true),
    membershipGraceMinutes: minutes(env, 'membership_grace_minutes', 30, 1440),
    impostorAction: impostorAction(env),
  });
}
