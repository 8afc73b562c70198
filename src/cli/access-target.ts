/**
 * The access ports of `explain` and `doctor` over a {@link Target}: the
 * enforcement ports plus Identity, identity domains, Events, Functions and
 * Resource Scheduler, all signed with the target's credentials and bound to
 * one call scope. The SDK packages of those services are loaded here, on
 * first use, so no other command (and never the function) loads them.
 */
import type { CallScope } from '../call-scope';
import { TaggerError, UsageError } from '../errors';
import type { AccessPorts } from '../iam/access-model';
import type { Target } from './target';

export interface AccessTargetOptions {
  /** `--tenancy`: overrides the tenancy the credentials name. */
  readonly tenancyId?: string | undefined;
  /** `--identity-domain-url`: the identity domains (other than Default) whose dynamic groups are read. */
  readonly identityDomainUrls?: readonly string[] | undefined;
}

/** The tenancy the reads start from: the flag, the world's own, or the one the credentials name. */
function tenancyOf(provider: unknown, options: AccessTargetOptions, target: Target): string {
  if (options.tenancyId !== undefined) return options.tenancyId;
  const worldTenancy = target.embedded?.api.world.tenancyId;
  if (worldTenancy !== undefined) return worldTenancy;
  const named =
    typeof provider === 'object' && provider !== null && 'getTenantId' in provider && typeof provider.getTenantId === 'function'
      ? (provider.getTenantId as () => unknown)()
      : undefined;
  if (typeof named === 'string' && named !== '') return named;
  throw new UsageError('the credentials name no tenancy; name it with --tenancy OCID');
}

/** Builds the access ports over the target's credentials for one call scope. */
export async function createAccessPorts(target: Target, scope: CallScope, options: AccessTargetOptions = {}): Promise<AccessPorts> {
  const [provider, ports, { createAccessClients }, adapters, domains] = await Promise.all([
    target.provider(),
    target.createPorts(scope),
    import('../oci/access-clients'),
    import('../oci/access-adapters'),
    import('../oci/identity-domain-adapter'),
  ]);
  const endpoint = target.embedded?.url;
  const clients = createAccessClients(provider, { region: target.region, endpoint });
  if (!clients.identity.endpoint) {
    throw new TaggerError('no OCI region is known: the credentials name none; set --region');
  }
  const tenancyId = tenancyOf(provider, options, target);
  const identity = adapters.createIdentityAdapter(clients.identity, scope);
  return {
    ...ports,
    tenancyId,
    identity,
    identityDomains: await domains.createIdentityDomainPorts(provider, clients.identity, scope, {
      tenancyId,
      urls: options.identityDomainUrls ?? [],
      ...(endpoint === undefined ? {} : { embeddedUrl: endpoint }),
    }),
    events: adapters.createEventsAdapter(clients.events, scope),
    functions: adapters.createFunctionsAdapter(clients.functions, scope),
    resourceScheduler: adapters.createResourceSchedulerAdapter(clients.resourceScheduler, scope),
  };
}
