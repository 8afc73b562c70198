/**
 * Where a command's OCI calls go: the embedded fake API loaded from a world
 * file (`--world`), or the real OCI API through an OCI config file. Either
 * way the same SDK clients, adapters and use cases run.
 */
import { writeFile } from 'node:fs/promises';
import type { TaggerConfig } from '../config';
import { TaggerError } from '../errors';
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
  // oci_auth from the environment chooses the credentials as in the function; without it, the OCI config file.
  const config = configFromFlags(values, io.env, { ...overrides, oci_auth: io.env.oci_auth?.trim() || 'config_file' });
  const oci = lazyOci({ config, region: stringValue(values, 'region') });
  return {
    ...oci,
    config,
    embedded: undefined,
    description: `OCI API (config ${config.ociConfigFile ?? '~/.oci/config'}, profile ${config.ociProfile ?? 'DEFAULT'})`,
    writeWorld: async () => {
      throw new TaggerError('--write-world needs --world');
    },
    close: async () => {},
  };
}
