/**
 * Where a command's OCI calls go: the embedded fake API loaded from a world
 * file (`--world`), or the real OCI API with the credentials `--auth` names
 * (an OCI config file by default). Either way the same SDK clients, adapters
 * and use cases run.
 */
import { writeFile } from 'node:fs/promises';
import { AUTH_MODES, isAuthMode, type TaggerConfig } from '../config';
import { TaggerError, UsageError } from '../errors';
import type { EmbeddedApi } from '../local/embedded';
import type { World } from '../local/world';
import { lazyOci, type LazyOci } from '../runtime';
import { configFromFlags, stringValue, type Io, type ParsedValues } from './common';

export interface Target extends LazyOci {
  readonly config: TaggerConfig;
  /** Set when the calls go to the embedded fake. */
  readonly embedded: EmbeddedApi | undefined;
  /** Human description for headers: the world file or the OCI profile. */
  readonly description: string;
  /** Writes the embedded world as it is now. */
  writeWorld(path: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens the target the flags ask for. `overrides` are config keys the command fixes (e.g. dry_run). */
export async function openTarget(values: ParsedValues, io: Io, overrides: Record<string, string | undefined> = {}): Promise<Target> {
  const worldFile = stringValue(values, 'world');
  if (worldFile !== undefined) {
    const [{ loadWorldFile }, { startEmbeddedApi }] = await Promise.all([import('../local/world'), import('../local/embedded')]);
    const world: World = await loadWorldFile(worldFile);
    // Validate the flags before a server is started that an error would leave running.
    configFromFlags(values, io.env, {
      ...overrides,
      oci_auth: 'config_file',
      compute_endpoint: undefined,
      containerengine_endpoint: undefined,
    });
    const embedded = await startEmbeddedApi(world);
    const config = configFromFlags(values, io.env, {
      ...overrides,
      oci_auth: 'config_file',
      compute_endpoint: embedded.url,
      containerengine_endpoint: embedded.url,
    });
    const oci = lazyOci({
      config,
      // Loaded with the SDK clients, on first use, like the real credentials.
      provider: async () => (await import('./embedded-credentials')).embeddedAuthProvider(embedded.credentials),
    });
    return {
      ...oci,
      config,
      embedded,
      description: `${worldFile} (embedded fake OCI API on ${embedded.url})`,
      writeWorld: async (path) => {
        try {
          await writeFile(path, `${JSON.stringify(embedded.api.world, null, 2)}\n`);
        } catch (error) {
          throw new TaggerError(`cannot write world file ${path}: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          });
        }
      },
      close: () => embedded.stop(),
    };
  }
  const config = configFromFlags(values, io.env, { ...overrides, oci_auth: authMode(values, io) });
  const oci = lazyOci({
    config,
    region: stringValue(values, 'region'),
    provider: async () => {
      const { createAuthProvider } = await import('../oci/auth');
      try {
        return await createAuthProvider(config);
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        throw new TaggerError(`${error.message}; ${CREDENTIAL_FLAGS}`, { cause: error });
      }
    },
  });
  return {
    ...oci,
    config,
    embedded: undefined,
    description: `OCI API (${describeCredentials(config)})`,
    writeWorld: async () => {
      throw new TaggerError('--write-world needs --world');
    },
    close: async () => {},
  };
}

/** What a credentials error adds on the command line: the flags that choose other credentials. */
const CREDENTIAL_FLAGS =
  'or name other credentials with --config-file FILE, --profile NAME or --auth MODE, or run offline against a world file with --world FILE';

/**
 * The auth mode: `--auth`, else `oci_auth` from the environment (checked by
 * the configuration), else the config file. The function's default, a
 * resource principal whenever `OCI_RESOURCE_PRINCIPAL_VERSION` is set, is
 * never guessed on the command line.
 */
function authMode(values: ParsedValues, io: Io): string {
  const flag = stringValue(values, 'auth');
  if (flag !== undefined && !isAuthMode(flag))
    throw new UsageError(`--auth: "${flag.slice(0, 40)}" is not one of ${AUTH_MODES.join(', ')}`);
  return flag ?? (io.env.oci_auth?.trim() || 'config_file');
}

function describeCredentials(config: TaggerConfig): string {
  const profile = `config ${config.ociConfigFile ?? '~/.oci/config'}, profile ${config.ociProfile ?? 'DEFAULT'}`;
  switch (config.auth) {
    case 'config_file':
      return profile;
    case 'security_token':
      return `session token, ${profile}`;
    case 'instance_principal':
      return 'instance principal';
    case 'resource_principal':
      return 'resource principal';
  }
}
