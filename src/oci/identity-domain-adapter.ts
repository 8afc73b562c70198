/**
 * Identity domains other than Default: their dynamic resource groups, read
 * through `oci-identitydomains` at each domain's URL (`--identity-domain-url`).
 * The classic Identity API sees the Default domain only, so these groups are
 * read here; the domain's display name (what policy subjects spell) comes
 * from Identity's ListDomains.
 */
import * as common from 'oci-common';
import type { IdentityClient, models as identityModels } from 'oci-identity';
import { IdentityDomainsClient, type models as domainModels } from 'oci-identitydomains';
import type { CallScope } from '../call-scope';
import { UsageError } from '../errors';
import type { DynamicGroupInfo, IdentityDomainPort } from '../iam/access-model';
import { DeadlineAwareHttpClient } from './http-client';
import { allPages, pageParam } from './paging';
import { callWithRetry } from './retry';

export interface IdentityDomainSettings {
  readonly tenancyId: string;
  /** The domains' URLs, as `--identity-domain-url` names them. */
  readonly urls: readonly string[];
  /** Set when the calls go to the embedded fake, which serves every domain below its own URL. */
  readonly embeddedUrl?: string;
}

/** Page size asked of ListDomains (Identity's documented maximum) and of the SCIM list (its documented maximum `count`). */
const PAGE_LIMIT = 1000;
/**
 * SCIM returns `matchingRule` only when asked for by name (a plain list
 * leaves it null, oci-cli #938); without it a group's members are unknown.
 */
const GROUP_ATTRIBUTES = 'displayName,matchingRule,ocid';

/** A domain URL as written or as ListDomains returns it, compared without a trailing slash, letter case or the default port. */
function normalUrl(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/^(https:\/\/[^/]+):443$/, '$1');
}

function findDomain(url: string, domains: readonly identityModels.DomainSummary[]): identityModels.DomainSummary {
  const domain = domains.find((candidate) => normalUrl(candidate.url) === normalUrl(url));
  if (domain !== undefined) return domain;
  const known = domains.map((candidate) => `${candidate.displayName} (${candidate.url})`).join(', ');
  throw new UsageError(`--identity-domain-url ${url} names no identity domain of the tenancy; found: ${known || 'none'}`);
}

/** The client for one domain, configured as access-clients.ts configures its own: our HTTP client, no SDK retries, no breaker. */
function domainClient(provider: common.AuthenticationDetailsProvider, endpoint: string): IdentityDomainsClient {
  const client = new IdentityDomainsClient(
    { httpClient: new DeadlineAwareHttpClient(provider) },
    {
      retryConfiguration: common.NoRetryConfigurationDetails,
      circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
    },
  );
  // The SDK appends nothing to a domain endpoint: the SCIM paths start at /admin/v1.
  client.endpoint = endpoint.replace(/\/+$/, '');
  return client;
}

function toGroupInfo(group: domainModels.DynamicResourceGroup, domain: identityModels.DomainSummary): DynamicGroupInfo {
  return {
    id: group.ocid ?? group.id ?? '',
    name: group.displayName,
    matchingRule: typeof group.matchingRule === 'string' ? group.matchingRule : undefined,
    compartmentId: group.compartmentOcid ?? domain.compartmentId,
    domain: domain.displayName,
  };
}

function domainPort(client: IdentityDomainsClient, domain: identityModels.DomainSummary, scope: CallScope): IdentityDomainPort {
  return {
    domain: domain.displayName,
    async listDynamicGroups() {
      const groups: DynamicGroupInfo[] = [];
      // SCIM pages: startIndex is 1-based; the answer's totalResults says when the last page was read.
      let startIndex = 1;
      let more = true;
      while (more) {
        const index = startIndex;
        const response = await callWithRetry(scope, 'ListDynamicResourceGroups', domain.id, () =>
          client.listDynamicResourceGroups({ attributes: GROUP_ATTRIBUTES, startIndex: index, count: PAGE_LIMIT }),
        );
        const page = response.dynamicResourceGroups;
        const resources = page.resources ?? [];
        groups.push(...resources.map((group) => toGroupInfo(group, domain)));
        startIndex += resources.length;
        more = resources.length > 0 && startIndex <= page.totalResults;
      }
      return groups;
    },
  };
}

/**
 * One port per `--identity-domain-url`. The tenancy's domains are listed
 * once (ListDomains) to find each URL's domain; a URL that names none is a
 * {@link UsageError} naming it and the domains found.
 */
export async function createIdentityDomainPorts(
  provider: common.AuthenticationDetailsProvider,
  identity: IdentityClient,
  scope: CallScope,
  settings: IdentityDomainSettings,
): Promise<IdentityDomainPort[]> {
  if (settings.urls.length === 0) return [];
  const domains = await allPages(scope, 'ListDomains', settings.tenancyId, (token) =>
    identity.listDomains({ compartmentId: settings.tenancyId, limit: PAGE_LIMIT, ...pageParam(token) }),
  );
  return settings.urls.map((url) => {
    const domain = findDomain(url, domains);
    const endpoint = settings.embeddedUrl === undefined ? domain.url : `${settings.embeddedUrl}/domains/${domain.id}`;
    return domainPort(domainClient(provider, endpoint), domain, scope);
  });
}
