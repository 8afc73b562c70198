/**
 * Identity (API version 20160918), the classic IAM API of the Default
 * domain: compartments, dynamic groups, policies, the tag catalogue and the
 * list of identity domains. Paths and query names follow the SDK's
 * `IdentityClient` (oci-identity 2.139.1).
 */
import { createHash } from 'node:crypto';
import { ocidType } from '../../ocid';
import { DOMAIN_STATES, IAM_RESOURCE_STATES, TAG_STATES } from '../world-identity';
import type { WorldCompartment, WorldTagNamespace } from '../world-types';
import { invalidParameter, notFound } from './api-error';
import { pageOf, SORT_ORDERS, sortItems } from './paging';
import type { QueryReader } from './query';
import { pathOcid, type OciService, type Reply, type RequestContext, type ServiceState } from './route-table';

export type IdentityOperation =
  'ListCompartments' | 'GetCompartment' | 'ListDynamicGroups' | 'ListPolicies' | 'ListTagNamespaces' | 'ListTags' | 'ListDomains';

/** The Identity routes over the shared state. */
export const identityService: OciService<IdentityOperation> = (state) => {
  const identity = new IdentityHandlers(state);
  return [
    { method: 'GET', path: '/20160918/compartments', operation: 'ListCompartments', handle: (c) => identity.listCompartments(c) },
    { method: 'GET', path: '/20160918/compartments/:id', operation: 'GetCompartment', handle: (c) => identity.getCompartment(c) },
    { method: 'GET', path: '/20160918/dynamicGroups', operation: 'ListDynamicGroups', handle: (c) => identity.listDynamicGroups(c) },
    { method: 'GET', path: '/20160918/policies', operation: 'ListPolicies', handle: (c) => identity.listPolicies(c) },
    { method: 'GET', path: '/20160918/tagNamespaces', operation: 'ListTagNamespaces', handle: (c) => identity.listTagNamespaces(c) },
    { method: 'GET', path: '/20160918/tagNamespaces/:id/tags', operation: 'ListTags', handle: (c) => identity.listTags(c) },
    { method: 'GET', path: '/20160918/domains', operation: 'ListDomains', handle: (c) => identity.listDomains(c) },
  ];
};

/** The query parameters of ListDynamicGroups and ListPolicies (and, with more, ListCompartments). */
const NAMED_LIST_PARAMETERS = ['compartmentId', 'page', 'limit', 'name', 'sortBy', 'sortOrder', 'lifecycleState'];
/** `sortBy` of Identity's List operations: TIMECREATED newest first unless told otherwise, NAME A to Z. */
const SORT_FIELDS: Readonly<Record<string, string>> = { TIMECREATED: 'timeCreated', NAME: 'name' };

/**
 * The tag namespace's OCID. A world names namespaces only by name, so the
 * OCID is derived from it: the same world always serves the same OCIDs.
 */
export function tagNamespaceOcid(name: string): string {
  return `ocid1.tagnamespace.oc1..aaaaaaaa${createHash('sha256').update(name).digest('hex').slice(0, 52)}`;
}

function tagKeyOcid(namespace: string, key: string): string {
  return `ocid1.tagdefinition.oc1..aaaaaaaa${createHash('sha256').update(`${namespace}.${key}`).digest('hex').slice(0, 52)}`;
}

/** A boolean query parameter: absent, `true` or `false`. */
function optionalBoolean(query: QueryReader, name: string): boolean | undefined {
  const value = query.optional(name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw invalidParameter(`Invalid ${name}: ${value} (expected true or false)`);
  return value === 'true';
}

/** `lifecycleState`, which Identity's List operations accept in any letter case. */
function optionalState(query: QueryReader, allowed: readonly string[]): string | undefined {
  const value = query.optional('lifecycleState')?.toUpperCase();
  if (value !== undefined && !allowed.includes(value))
    throw invalidParameter(`Invalid lifecycleState: ${value} (expected one of ${allowed.join(', ')})`);
  return value;
}

/** Filters by `name` and `lifecycleState`, then sorts by `sortBy`/`sortOrder`, as ListCompartments, ListDynamicGroups and ListPolicies do. */
function filterAndSort<T extends { name: string; lifecycleState?: string }>(
  items: readonly T[],
  query: QueryReader,
  states: readonly string[],
): T[] {
  const name = query.optional('name');
  const state = optionalState(query, states);
  const [sortBy] = query.enumValues('sortBy', Object.keys(SORT_FIELDS));
  const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
  const matching = items.filter(
    (item) => (name === undefined || item.name === name) && (state === undefined || item.lifecycleState === state),
  );
  const order = sortOrder ?? (sortBy === 'TIMECREATED' ? 'DESC' : undefined);
  return sortItems(matching as (T & Record<string, unknown>)[], sortBy === undefined ? undefined : SORT_FIELDS[sortBy], order);
}

class IdentityHandlers {
  constructor(private readonly state: ServiceState) {}

  private get world() {
    return this.state.world;
  }

  /** The world's tenancy; a world that names none answers for whichever tenancy is asked. */
  private isTenancy(id: string): boolean {
    return ocidType(id) === 'tenancy' && (this.world.tenancyId === undefined || this.world.tenancyId === id);
  }

  listCompartments({ query }: RequestContext): Reply {
    query.allowOnly([...NAMED_LIST_PARAMETERS, 'accessLevel', 'compartmentIdInSubtree']);
    const compartmentId = query.compartmentId();
    const [accessLevel] = query.enumValues('accessLevel', ['ANY', 'ACCESSIBLE']);
    const inSubtree = optionalBoolean(query, 'compartmentIdInSubtree') ?? false;
    if (inSubtree && ocidType(compartmentId) !== 'tenancy')
      throw invalidParameter(
        'compartmentIdInSubtree can only be set to true when performing ListCompartments on the tenancy (root compartment)',
      );
    // The fake checks no permissions, so ACCESSIBLE lists what ANY lists.
    if (inSubtree && accessLevel === undefined)
      throw invalidParameter('compartmentIdInSubtree=true requires accessLevel (ANY or ACCESSIBLE)');
    const compartments = this.world.compartments ?? [];
    const listed = inSubtree
      ? this.isTenancy(compartmentId)
        ? compartments
        : []
      : compartments.filter((compartment) => compartment.compartmentId === compartmentId);
    return { status: 200, ...pageOf(filterAndSort(listed, query, IAM_RESOURCE_STATES), 'ListCompartments', query, this.state.pageSize) };
  }

  getCompartment({ id, query }: RequestContext): Reply {
    query.allowOnly([]);
    const compartmentId = pathOcid(id, 'compartment', 'compartmentId');
    const compartment: WorldCompartment | undefined = (this.world.compartments ?? []).find((candidate) => candidate.id === compartmentId);
    if (compartment === undefined) throw notFound();
    return { status: 200, body: compartment };
  }

  listDynamicGroups({ query }: RequestContext): Reply {
    query.allowOnly(NAMED_LIST_PARAMETERS);
    const compartmentId = query.compartmentId();
    const groups = (this.world.dynamicGroups ?? []).filter((group) => group.compartmentId === compartmentId);
    return { status: 200, ...pageOf(filterAndSort(groups, query, IAM_RESOURCE_STATES), 'ListDynamicGroups', query, this.state.pageSize) };
  }

  listPolicies({ query }: RequestContext): Reply {
    query.allowOnly(NAMED_LIST_PARAMETERS);
    const compartmentId = query.compartmentId();
    const policies = (this.world.policies ?? []).filter((policy) => policy.compartmentId === compartmentId);
    return { status: 200, ...pageOf(filterAndSort(policies, query, IAM_RESOURCE_STATES), 'ListPolicies', query, this.state.pageSize) };
  }

  /** Tag namespaces live in the tenancy, so a compartment lists none, with or without `includeSubcompartments`. */
  listTagNamespaces({ query }: RequestContext): Reply {
    query.allowOnly(['compartmentId', 'page', 'limit', 'includeSubcompartments', 'lifecycleState']);
    const compartmentId = query.compartmentId();
    optionalBoolean(query, 'includeSubcompartments');
    const state = optionalState(query, TAG_STATES);
    const summaries = this.isTenancy(compartmentId)
      ? Object.entries(this.world.tagNamespaces).map(([name, namespace]) => this.namespaceSummary(compartmentId, name, namespace))
      : [];
    const listed = summaries.filter((summary) => state === undefined || summary.lifecycleState === state);
    return { status: 200, ...pageOf(listed, 'ListTagNamespaces', query, this.state.pageSize) };
  }

  listTags({ id, query }: RequestContext): Reply {
    query.allowOnly(['page', 'limit', 'lifecycleState']);
    const namespaceId = pathOcid(id, 'tagnamespace', 'tagNamespaceId');
    const state = optionalState(query, TAG_STATES);
    const entry = Object.entries(this.world.tagNamespaces).find(([name]) => tagNamespaceOcid(name) === namespaceId);
    if (entry === undefined) throw notFound();
    const [name, namespace] = entry;
    const retiredKeys = new Set(namespace.retiredKeys ?? []);
    const tags = namespace.keys
      .map((key) => ({
        compartmentId: this.world.tenancyId ?? '',
        id: tagKeyOcid(name, key),
        name: key,
        description: key,
        // Retiring a namespace retires every key in it (UpdateTagNamespace, API reference).
        isRetired: namespace.retired || retiredKeys.has(key),
        lifecycleState: 'ACTIVE',
        isCostTracking: false,
        freeformTags: {},
        definedTags: {},
      }))
      .filter((tag) => state === undefined || tag.lifecycleState === state);
    return { status: 200, ...pageOf(tags, 'ListTags', query, this.state.pageSize) };
  }

  listDomains({ query }: RequestContext): Reply {
    query.allowOnly([
      'compartmentId',
      'displayName',
      'url',
      'homeRegionUrl',
      'type',
      'licenseType',
      'isHiddenOnLogin',
      'page',
      'limit',
      'name',
      'sortBy',
      'sortOrder',
      'lifecycleState',
    ]);
    const compartmentId = query.compartmentId();
    const filters = ['displayName', 'url', 'homeRegionUrl', 'licenseType'].map((field) => [field, query.optional(field)] as const);
    // A domain has no `name` of its own; the filter matches its display name.
    const name = query.optional('name');
    const [type] = query.enumValues('type', ['DEFAULT', 'SECONDARY']);
    const hidden = optionalBoolean(query, 'isHiddenOnLogin');
    const state = optionalState(query, DOMAIN_STATES);
    const [sortBy] = query.enumValues('sortBy', Object.keys(SORT_FIELDS));
    const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
    const summaries = (this.world.identityDomains ?? [])
      .filter((domain) => domain.compartmentId === compartmentId)
      .map(({ dynamicResourceGroups: _groups, ...domain }): Record<string, unknown> => ({
        description: '',
        homeRegionUrl: domain.url,
        type: 'SECONDARY',
        licenseType: 'free',
        isHiddenOnLogin: false,
        ...domain,
      }))
      .filter(
        (domain) =>
          filters.every(([field, value]) => value === undefined || domain[field] === value) &&
          (name === undefined || domain.displayName === name) &&
          (type === undefined || domain.type === type) &&
          (hidden === undefined || domain.isHiddenOnLogin === hidden) &&
          (state === undefined || domain.lifecycleState === state),
      );
    const sortField = sortBy === undefined ? undefined : sortBy === 'NAME' ? 'displayName' : 'timeCreated';
    const sorted = sortItems(summaries, sortField, sortOrder ?? (sortBy === 'TIMECREATED' ? 'DESC' : undefined));
    return { status: 200, ...pageOf(sorted, 'ListDomains', query, this.state.pageSize) };
  }

  private namespaceSummary(tenancyId: string, name: string, namespace: WorldTagNamespace) {
    return {
      id: tagNamespaceOcid(name),
      compartmentId: tenancyId,
      name,
      description: name,
      freeformTags: {},
      definedTags: {},
      isRetired: namespace.retired,
      lifecycleState: 'ACTIVE',
    };
  }
}
