/**
 * Identity domains (SCIM, `oci-identitydomains`): the dynamic resource groups
 * of each world identity domain, served below the fake's own URL at
 * `/domains/<domain id>` (the SDK's endpoint is the domain URL, to which it
 * appends nothing, then `/admin/v1/DynamicResourceGroups`).
 *
 * SCIM returns only the attributes a request asks for: `matchingRule` is
 * returned on request only, so a plain list leaves it out (what oci-cli
 * issue #938 shows as `matching-rule: null`). Pages go by `startIndex`
 * (1-based) and `count`.
 */
import type { WorldDomainDynamicGroup, WorldIdentityDomain } from '../world-types';
import { invalidParameter, notFound } from './api-error';
import type { QueryReader } from './query';
import { pathOcid, type OciService, type Reply, type RequestContext, type ServiceState } from './route-table';

export type IdentityDomainsOperation = 'ListDynamicResourceGroups';

/** The identity domains routes over the shared state. */
export const identityDomainsService: OciService<IdentityDomainsOperation> = (state) => [
  {
    method: 'GET',
    path: '/domains/:id/admin/v1/DynamicResourceGroups',
    operation: 'ListDynamicResourceGroups',
    handle: (context) => listDynamicResourceGroups(state, context),
  },
];

const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:oracle:idcs:DynamicResourceGroup';
/** Largest `count` the SDK documents. */
const MAX_COUNT = 1000;

/** How each attribute is returned (SCIM `returned`); attributes not named here are returned by default. */
const ALWAYS_RETURNED = ['id', 'schemas'];
const RETURNED_ON_REQUEST = ['matchingrule'];
const ATTRIBUTE_SETS = ['all', 'always', 'never', 'request', 'default'];

/** Which attributes an answer carries, from `attributes` and `attributeSets` (SCIM: their union, plus those always returned). */
function attributeSelection(query: QueryReader): (attribute: string) => boolean {
  const named = (query.optional('attributes') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
  const sets = query.enumValues('attributeSets', ATTRIBUTE_SETS).map((set) => set.toLowerCase());
  const explicit = named.length > 0 || sets.length > 0;
  return (attribute) => {
    const name = attribute.toLowerCase();
    const kind = ALWAYS_RETURNED.includes(name) ? 'always' : RETURNED_ON_REQUEST.includes(name) ? 'request' : 'default';
    if (kind === 'always' || named.includes(name) || sets.includes('all') || sets.includes(kind)) return true;
    return !explicit && kind === 'default';
  };
}

/** The SCIM filters the fake evaluates: `<attribute> eq "<value>"` on displayName, id or ocid. */
function filterOf(query: QueryReader): (group: WorldDomainDynamicGroup) => boolean {
  const text = query.optional('filter');
  if (text === undefined) return () => true;
  const match = /^\s*(displayName|id|ocid)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(text);
  if (match === null) throw invalidParameter(`Unsupported filter: ${text} (the fake evaluates displayName, id or ocid eq "value")`);
  const attribute = (match[1] ?? '').toLowerCase();
  const value = (match[2] ?? '').replace(/\\(.)/g, '$1');
  const field = attribute === 'displayname' ? 'displayName' : attribute;
  return (group) => group[field] === value;
}

function integerParameter(query: QueryReader, name: string, min: number, max: number): number | undefined {
  const value = query.optional(name);
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max)
    throw invalidParameter(`Invalid ${name}: ${value} (expected ${min}..${max})`);
  return Number(value);
}

function sorted(groups: WorldDomainDynamicGroup[], query: QueryReader): WorldDomainDynamicGroup[] {
  const sortBy = query.optional('sortBy');
  const [sortOrder] = query.enumValues('sortOrder', ['ASCENDING', 'DESCENDING']);
  if (sortBy === undefined) return groups;
  const field = ['displayName', 'id', 'ocid'].find((candidate) => candidate.toLowerCase() === sortBy.toLowerCase());
  if (field === undefined) throw invalidParameter(`Unsupported sortBy: ${sortBy} (the fake sorts by displayName, id or ocid)`);
  const direction = sortOrder === 'DESCENDING' ? -1 : 1;
  return [...groups].sort((a, b) => direction * String(a[field] ?? '').localeCompare(String(b[field] ?? '')));
}

function resourceOf(
  domain: WorldIdentityDomain,
  group: WorldDomainDynamicGroup,
  selected: (attribute: string) => boolean,
): Record<string, unknown> {
  const full: Record<string, unknown> = {
    schemas: [GROUP_SCHEMA],
    domainOcid: domain.id,
    compartmentOcid: domain.compartmentId,
    ...group,
  };
  // A rule the world leaves null stands for one OCI does not return even when asked.
  if (group.matchingRule === null) delete full['matchingRule'];
  return Object.fromEntries(Object.entries(full).filter(([attribute]) => selected(attribute)));
}

function listDynamicResourceGroups(state: ServiceState, { id, query }: RequestContext): Reply {
  query.allowOnly(
    ['filter', 'sortBy', 'sortOrder', 'startIndex', 'count', 'attributes', 'attributeSets', 'page', 'limit'],
    ['attributeSets'],
  );
  const domainId = pathOcid(id, 'domain', 'domainId');
  const domain = (state.world.identityDomains ?? []).find((candidate) => candidate.id === domainId);
  if (domain === undefined) throw notFound();
  if (query.optional('page') !== undefined || query.optional('limit') !== undefined)
    throw invalidParameter('The fake pages DynamicResourceGroups by startIndex and count only, not by page and limit');
  const selected = attributeSelection(query);
  const matching = sorted(domain.dynamicResourceGroups.filter(filterOf(query)), query);
  // SCIM's startIndex is 1-based; count is capped at the server's page size.
  const startIndex = integerParameter(query, 'startIndex', 1, Number.MAX_SAFE_INTEGER) ?? 1;
  const count = Math.min(integerParameter(query, 'count', 0, MAX_COUNT) ?? state.pageSize, state.pageSize);
  const page = matching.slice(startIndex - 1, startIndex - 1 + count);
  return {
    status: 200,
    body: {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: matching.length,
      Resources: page.map((group) => resourceOf(domain, group, selected)),
      startIndex,
      itemsPerPage: page.length,
    },
  };
}
