/**
 * Wiring shared by the two composition roots (the function and the CLI):
 * authentication and SDK clients are created once per process, on first use,
 * and each invocation gets ports bound to its own deadline and counters.
 */
import type { AuthenticationDetailsProvider } from 'oci-common';
import type { TaggerConfig } from './config';
import { TaggerError } from './errors';
import type { Ports } from './tagging/model';
import type { OciClients } from './oci/clients';
import type { CallScope } from './call-scope';

export interface RuntimeSettings {
  readonly config: TaggerConfig;
  /** Region to use when the credentials carry none (the CLI's --region). */
  readonly region?: string | undefined;
  /** Supplies the credentials; by default they come from `config.auth`. */
  readonly provider?: () => Promise<AuthenticationDetailsProvider>;
}

/** The shared SDK clients behind the ports, built once on first use. */
export interface LazyOci {
  readonly clients: () => Promise<OciClients>;
  readonly createPorts: (scope: CallScope) => Promise<Ports>;
  /** The credentials the clients sign with, read once (other clients of the same process reuse them). */
  readonly provider: () => Promise<AuthenticationDetailsProvider>;
  /** The region asked for when the credentials carry none. */
  readonly region: string | undefined;
}

/**
 * Returns lazily built OCI clients and a `createPorts` function for the
 * handler. The OCI modules are loaded on the first call, so the function
 * starts listening before the SDK is parsed, and a failure to read
 * credentials is retried on the next call rather than cached.
 */
export function lazyOci(settings: RuntimeSettings): LazyOci {
  let clients: Promise<OciClients> | undefined;
  let provider: Promise<AuthenticationDetailsProvider> | undefined;
  const getProvider = () => {
    provider ??= (async () => {
      const { createAuthProvider } = await import('./oci/auth');
      return (settings.provider ?? (() => createAuthProvider(settings.config)))();
    })().catch((error: unknown) => {
      provider = undefined;
      throw error;
    });
    return provider;
  };
  const build = async () => {
    const [ready, { createOciClients }] = await Promise.all([getProvider(), import('./oci/clients')]);
    const built = createOciClients(ready, {
      region: settings.region,
      computeEndpoint: settings.config.computeEndpoint,
      containerEngineEndpoint: settings.config.containerEngineEndpoint,
    });
    if (!built.compute.endpoint || !built.containerEngine.endpoint) {
      throw new TaggerError(
        'no OCI region is known: the credentials name none, and no compute_endpoint/containerengine_endpoint (or --region) is set',
      );
    }
    return built;
  };
  const getClients = () => {
    clients ??= build().catch((error: unknown) => {
      clients = undefined;
      throw error;
    });
    return clients;
  };
  return {
    provider: getProvider,
    region: settings.region,
    clients: getClients,
    createPorts: async (scope) => {
      const [ready, { createComputeAdapter, createContainerEngineAdapter }] = await Promise.all([getClients(), import('./oci/adapters')]);
      return {
        compute: createComputeAdapter(ready.compute, scope),
        containerEngine: createContainerEngineAdapter(ready.containerEngine, scope),
      };
    },
  };
}
