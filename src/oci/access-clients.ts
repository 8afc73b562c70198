/**
 * The SDK clients `explain` and `doctor` read through, beyond Compute and
 * Container Engine: Identity, Events, Functions and Resource Scheduler. They
 * are built with {@link sdkClientSetup}, like the enforcement clients (our
 * retry policy, no circuit breaker, requests through our HTTP client) and loaded only
 * by those commands, so the function's bundle never holds them.
 */
import type * as common from 'oci-common';
import { EventsClient } from 'oci-events';
import { FunctionsManagementClient } from 'oci-functions';
import { IdentityClient } from 'oci-identity';
import { ScheduleClient } from 'oci-resourcescheduler';
import { sdkClientSetup } from './clients';

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
  const { params, configuration, region } = sdkClientSetup(provider, settings.region);
  const clients = {
    identity: new IdentityClient(params, configuration),
    events: new EventsClient(params, configuration),
    functions: new FunctionsManagementClient(params, configuration),
    resourceScheduler: new ScheduleClient(params, configuration),
  };
  for (const client of Object.values(clients)) {
    if (region) client.regionId = region;
    // The endpoint is set last: setting a region afterwards would overwrite it.
    if (settings.endpoint) client.endpoint = settings.endpoint;
  }
  return clients;
}
