/**
 * Builds the SDK clients once per process. The SDK's retrier is switched off
 * (our policy in retry.ts owns retries) and requests go through
 * {@link DeadlineAwareHttpClient}, which also keeps the SDK's circuit breaker
 * out of the path.
 */
import * as common from 'oci-common';
import { ContainerEngineClient } from 'oci-containerengine';
import { ComputeClient } from 'oci-core';
import { DeadlineAwareHttpClient } from './http-client';

export interface OciClients {
  readonly compute: ComputeClient;
  readonly containerEngine: ContainerEngineClient;
}

export interface ClientSettings {
  readonly region?: string | undefined;
  readonly computeEndpoint?: string | undefined;
  readonly containerEngineEndpoint?: string | undefined;
}

/** How every SDK client of this project is built: our HTTP client, no SDK retries, no circuit breaker. */
export interface SdkClientSetup {
  /** The SDK takes either a provider or an HTTP client; ours signs with the provider itself. */
  readonly params: { readonly httpClient: DeadlineAwareHttpClient };
  readonly configuration: common.ClientConfiguration;
  /** The region to set: the settings' own, else the one the provider names. */
  readonly region: string | undefined;
}

/** The construction arguments every SDK client of one provider shares. */
export function sdkClientSetup(provider: common.AuthenticationDetailsProvider, region: string | undefined): SdkClientSetup {
  return {
    params: { httpClient: new DeadlineAwareHttpClient(provider) },
    configuration: {
      retryConfiguration: common.NoRetryConfigurationDetails,
      // A disabled breaker: the SDK would otherwise build an opossum breaker per client that a 429 storm can open.
      circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
    },
    region: region ?? (common.isRegionProvider(provider) ? provider.getRegion()?.regionId : undefined),
  };
}

/** Creates the Compute and Container Engine clients for one provider. */
export function createOciClients(provider: common.AuthenticationDetailsProvider, settings: ClientSettings = {}): OciClients {
  const { params, configuration, region } = sdkClientSetup(provider, settings.region);
  const compute = new ComputeClient(params, configuration);
  const containerEngine = new ContainerEngineClient(params, configuration);
  if (region) {
    compute.regionId = region;
    containerEngine.regionId = region;
  }
  // The endpoint is set last: setting a region afterwards would overwrite it.
  if (settings.computeEndpoint) compute.endpoint = settings.computeEndpoint;
  if (settings.containerEngineEndpoint) containerEngine.endpoint = settings.containerEngineEndpoint;
  return { compute, containerEngine };
}
