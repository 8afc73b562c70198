/**
 * The SDK clients `explain` and `doctor` read through, beyond Compute and
 * Container Engine: Identity, Events, Functions and Resource Scheduler. They
 * are built like clients.ts builds its own (our retry policy, no circuit
 * breaker, requests through {@link DeadlineAwareHttpClient}) and loaded only
 * by those commands, so the function's bundle never holds them.
 */
import * as common from 'oci-common';
import { EventsClient } from 'oci-events';
import { FunctionsManagementClient } from 'oci-functions';
import { IdentityClient } from 'oci-identity';
import { ScheduleClient } from 'oci-resourcescheduler';
import { DeadlineAwareHttpClient } from './http-client';

export interface AccessClients {
  readonly identity: IdentityClient;
  readonly events: EventsClient;
  readonly functions: FunctionsManagementClient;
  readonly resourceScheduler: ScheduleClient;
}

export interface AccessClientSettings {
  readonly region?: string | undefined;
  /** One endpoint for every service (the embedded fake), set after the region. */
  readonly endpoint?: string | undefined;
}

/** Creates the Identity, Events, Functions and Resource Scheduler clients for one provider. */
export function createAccessClients(provider: common.AuthenticationDetailsProvider, settings: AccessClientSettings = {}): AccessClients {
  const httpClient = new DeadlineAwareHttpClient(provider);
  const configuration: common.ClientConfiguration = {
    retryConfiguration: common.NoRetryConfigurationDetails,
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
  };
  const clients = {
    identity: new IdentityClient({ httpClient }, configuration),
    events: new EventsClient({ httpClient }, configuration),
    functions: new FunctionsManagementClient({ httpClient }, configuration),
    resourceScheduler: new ScheduleClient({ httpClient }, configuration),
  };
  const region = settings.region ?? (common.isRegionProvider(provider) ? provider.getRegion()?.regionId : undefined);
  for (const client of Object.values(clients)) {
    if (region) client.regionId = region;
    // The endpoint is set last: setting a region afterwards would overwrite it.
    if (settings.endpoint) client.endpoint = settings.endpoint;
  }
  return clients;
}
