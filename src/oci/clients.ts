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

/** Creates the Compute and Container Engine clients for one provider. */
export function createOciClients(provider: common.AuthenticationDetailsProvider, settings: ClientSettings = {}): OciClients {
  const httpClient = new DeadlineAwareHttpClient(provider);
  const clientConfiguration: common.ClientConfiguration = {
    retryConfiguration: common.NoRetryConfigurationDetails,
    // A disabled breaker: the SDK would otherwise build an opossum breaker per client that a 429 storm can open.
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
  };
  // The SDK takes either a provider or an HTTP client; ours signs with the provider itself.
  const compute = new ComputeClient({ httpClient }, clientConfiguration);
  const containerEngine = new ContainerEngineClient({ httpClient }, clientConfiguration);
  const region = settings.region ?? (common.isRegionProvider(provider) ? provider.getRegion()?.regionId : undefined);
  if (region) {
    compute.regionId = region;
    containerEngine.regionId = region;
  }
  // The endpoint is set last: setting a region afterwards would overwrite it.
  if (settings.computeEndpoint) compute.endpoint = settings.computeEndpoint;
  if (settings.containerEngineEndpoint) containerEngine.endpoint = settings.containerEngineEndpoint;
  return { compute, containerEngine };
}
