/**
 * The Identity part of a world file: the tenancy, its compartments, the
 * Default domain's dynamic groups, policies, other identity domains with
 * their dynamic resource groups, and the tag catalogue (whose keys may be
 * retired). Read with the {@link WorldReader} of `world.ts`, so errors name
 * the file and the field in the same way.
 */
import { ocidType } from '../ocid';
import type { WorldReader } from './world';
import type {
  World,
  WorldCompartment,
  WorldDomainDynamicGroup,
  WorldDynamicGroup,
  WorldIdentityDomain,
  WorldPolicy,
  WorldTagNamespace,
} from './world-types';

/** Compartments, dynamic groups and policies share one lifecycle (Identity API 20160918 models). */
export const IAM_RESOURCE_STATES: readonly string[] = ['CREATING', 'ACTIVE', 'INACTIVE', 'DELETING', 'DELETED'];
/** Tag namespaces and tag keys (TagNamespace.LifecycleState, Tag.LifecycleState). */
export const TAG_STATES: readonly string[] = ['ACTIVE', 'INACTIVE', 'DELETING', 'DELETED'];
/** Identity domains (DomainSummary.LifecycleState). */
export const DOMAIN_STATES: readonly string[] = ['CREATING', 'ACTIVE', 'DELETING', 'INACTIVE'];

/** The world keys this module reads. */
export const IDENTITY_KEYS: readonly string[] = ['tenancyId', 'compartments', 'dynamicGroups', 'policies', 'identityDomains'];

type IdentityPart = Pick<World, 'tenancyId' | 'compartments' | 'dynamicGroups' | 'policies' | 'identityDomains'>;
type JsonObject = Record<string, unknown>;

/** The parents a resource may name: the tenancy (the world's, or any tenancy when it names none) or a listed compartment. */
class Parents {
  private readonly compartmentIds: ReadonlySet<string>;

  constructor(
    private readonly reader: WorldReader,
    private readonly tenancyId: string | undefined,
    compartments: readonly WorldCompartment[],
  ) {
    this.compartmentIds = new Set(compartments.map((compartment) => compartment.id));
  }

  /** Checks that `id` is the tenancy; `what` says whose field it is. */
  tenancy(id: string, field: string, what: string): void {
    if (ocidType(id) !== 'tenancy') this.reader.fail(field, `of ${what} must be the tenancy, got ${id}`);
    if (this.tenancyId !== undefined && id !== this.tenancyId)
      this.reader.fail(field, `of ${what} names ${id}, another tenancy than tenancyId ${this.tenancyId}`);
  }

  /** Checks that `id` is the tenancy or a listed compartment. */
  compartment(id: string, field: string, what: string): void {
    if (ocidType(id) === 'tenancy') return this.tenancy(id, field, what);
    if (!this.compartmentIds.has(id)) this.reader.fail(field, `of ${what} names ${id}, which is neither the tenancy nor in compartments`);
  }
}

function list(reader: WorldReader, root: JsonObject, field: string): unknown[] | undefined {
  return root[field] === undefined ? undefined : reader.array(root[field], field);
}

function parseCompartment(reader: WorldReader, value: unknown, path: string): WorldCompartment {
  const record = reader.object(value, path);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'compartment'),
    name: reader.string(record['name'], `${path}.name`),
    compartmentId: reader.compartmentOcid(record['compartmentId'], `${path}.compartmentId`),
    lifecycleState: reader.state(record['lifecycleState'], `${path}.lifecycleState`, IAM_RESOURCE_STATES),
  };
}

function parseDynamicGroup(reader: WorldReader, value: unknown, path: string): WorldDynamicGroup {
  const record = reader.object(value, path);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'dynamicgroup'),
    name: reader.string(record['name'], `${path}.name`),
    matchingRule: reader.string(record['matchingRule'], `${path}.matchingRule`),
    compartmentId: reader.ocid(record['compartmentId'], `${path}.compartmentId`, 'tenancy'),
    lifecycleState: reader.state(record['lifecycleState'], `${path}.lifecycleState`, IAM_RESOURCE_STATES),
  };
}

function parsePolicy(reader: WorldReader, value: unknown, path: string): WorldPolicy {
  const record = reader.object(value, path);
  const statements = reader.array(record['statements'], `${path}.statements`);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'policy'),
    name: reader.string(record['name'], `${path}.name`),
    compartmentId: reader.compartmentOcid(record['compartmentId'], `${path}.compartmentId`),
    statements: statements.map((statement, index) => reader.string(statement, `${path}.statements[${index}]`)),
    lifecycleState: reader.state(record['lifecycleState'], `${path}.lifecycleState`, IAM_RESOURCE_STATES),
  };
}

function parseDomainGroup(reader: WorldReader, value: unknown, path: string): WorldDomainDynamicGroup {
  const record = reader.object(value, path);
  const rule = record['matchingRule'];
  return {
    ...record,
    id: reader.string(record['id'], `${path}.id`),
    ocid: reader.ocid(record['ocid'], `${path}.ocid`, 'dynamicgroup'),
    displayName: reader.string(record['displayName'], `${path}.displayName`),
    // null stands for the answers OCI gives when the rule was not asked for (oci-cli #938).
    matchingRule: rule === null ? null : reader.string(rule, `${path}.matchingRule`),
  };
}

function parseIdentityDomain(reader: WorldReader, value: unknown, path: string): WorldIdentityDomain {
  const record = reader.object(value, path);
  const url = reader.string(record['url'], `${path}.url`);
  if (!/^https?:\/\/[^/?#\s]+\/?$/.test(url))
    reader.fail(`${path}.url`, `must be a domain URL such as https://idcs-….identity.oraclecloud.com:443, got ${JSON.stringify(url)}`);
  const groups =
    record['dynamicResourceGroups'] === undefined ? [] : reader.array(record['dynamicResourceGroups'], `${path}.dynamicResourceGroups`);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'domain'),
    displayName: reader.string(record['displayName'], `${path}.displayName`),
    url,
    compartmentId: reader.compartmentOcid(record['compartmentId'], `${path}.compartmentId`),
    lifecycleState: reader.state(record['lifecycleState'], `${path}.lifecycleState`, DOMAIN_STATES),
    dynamicResourceGroups: groups.map((group, index) => parseDomainGroup(reader, group, `${path}.dynamicResourceGroups[${index}]`)),
  };
}

function rejectRepeats(reader: WorldReader, values: readonly string[], field: (index: number) => string): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) reader.fail(field(index), `repeats ${value}`);
    seen.add(value);
  });
}

/** A compartment tree must end at the tenancy: a cycle of parents would make every path through it endless. */
function rejectParentCycles(reader: WorldReader, compartments: readonly WorldCompartment[]): void {
  const parentOf = new Map(compartments.map((compartment) => [compartment.id, compartment.compartmentId]));
  compartments.forEach((compartment, index) => {
    const visited = new Set<string>();
    for (let id: string | undefined = compartment.id; id !== undefined && parentOf.has(id); id = parentOf.get(id)) {
      if (visited.has(id))
        reader.fail(`compartments[${index}].compartmentId`, `of compartment "${compartment.name}" leads into a cycle of parents`);
      visited.add(id);
    }
  });
}

/**
 * Reads `tenancyId`, `compartments`, `dynamicGroups`, `policies` and
 * `identityDomains` from a world file's root, and checks that every parent
 * exists: a compartment, policy or domain sits in the tenancy or a listed
 * compartment; a dynamic group in the tenancy. Absent keys stay absent.
 */
export function parseIdentityKeys(reader: WorldReader, root: JsonObject): IdentityPart {
  const tenancyId = root['tenancyId'] === undefined ? undefined : reader.ocid(root['tenancyId'], 'tenancyId', 'tenancy');
  const compartments = list(reader, root, 'compartments')?.map((item, index) => parseCompartment(reader, item, `compartments[${index}]`));
  const dynamicGroups = list(reader, root, 'dynamicGroups')?.map((item, index) =>
    parseDynamicGroup(reader, item, `dynamicGroups[${index}]`),
  );
  const policies = list(reader, root, 'policies')?.map((item, index) => parsePolicy(reader, item, `policies[${index}]`));
  const identityDomains = list(reader, root, 'identityDomains')?.map((item, index) =>
    parseIdentityDomain(reader, item, `identityDomains[${index}]`),
  );

  const parents = new Parents(reader, tenancyId, compartments ?? []);
  compartments?.forEach((compartment, index) =>
    parents.compartment(compartment.compartmentId, `compartments[${index}].compartmentId`, `compartment "${compartment.name}"`),
  );
  dynamicGroups?.forEach((group, index) =>
    parents.tenancy(group.compartmentId, `dynamicGroups[${index}].compartmentId`, `dynamic group "${group.name}"`),
  );
  policies?.forEach((policy, index) =>
    parents.compartment(policy.compartmentId, `policies[${index}].compartmentId`, `policy "${policy.name}"`),
  );
  identityDomains?.forEach((domain, index) =>
    parents.compartment(domain.compartmentId, `identityDomains[${index}].compartmentId`, `identity domain "${domain.displayName}"`),
  );
  rejectParentCycles(reader, compartments ?? []);
  for (const [field, items] of [
    ['compartments', compartments],
    ['dynamicGroups', dynamicGroups],
    ['policies', policies],
    ['identityDomains', identityDomains],
  ] as const) {
    if (items !== undefined)
      rejectRepeats(
        reader,
        items.map((item) => item.id),
        (index) => `${field}[${index}].id`,
      );
  }
  identityDomains?.forEach((domain, index) =>
    rejectRepeats(
      reader,
      domain.dynamicResourceGroups.map((group) => group.id),
      (at) => `identityDomains[${index}].dynamicResourceGroups[${at}].id`,
    ),
  );

  return {
    ...(tenancyId === undefined ? {} : { tenancyId }),
    ...(compartments === undefined ? {} : { compartments }),
    ...(dynamicGroups === undefined ? {} : { dynamicGroups }),
    ...(policies === undefined ? {} : { policies }),
    ...(identityDomains === undefined ? {} : { identityDomains }),
  };
}

function parseTagKey(reader: WorldReader, value: unknown, path: string): { name: string; retired: boolean } {
  if (typeof value === 'string') return { name: reader.string(value, path), retired: false };
  const record = reader.object(value, path);
  const retired = record['retired'] ?? false;
  if (typeof retired !== 'boolean') reader.fail(`${path}.retired`, `must be true or false, got ${JSON.stringify(retired)}`);
  return { name: reader.string(record['name'], `${path}.name`), retired };
}

/**
 * Reads the tag catalogue: namespace name → `{keys, retired}`, where a key is
 * `"name"` or `{"name": "…", "retired": true}`, and an entry may also list
 * `retiredKeys` by name. `keys` keeps every key; `retiredKeys` lists the
 * retired ones (and is absent when none is).
 */
export function parseTagNamespaces(reader: WorldReader, value: unknown): Record<string, WorldTagNamespace> {
  if (value === undefined) return {};
  const catalogue: Record<string, WorldTagNamespace> = {};
  for (const [name, entry] of Object.entries(reader.object(value, 'tagNamespaces'))) {
    const path = `tagNamespaces.${name}`;
    const record = reader.object(entry, path);
    const keys = reader.array(record['keys'], `${path}.keys`).map((key, index) => parseTagKey(reader, key, `${path}.keys[${index}]`));
    rejectRepeats(
      reader,
      keys.map((key) => key.name),
      (index) => `${path}.keys[${index}]`,
    );
    const retired = record['retired'] ?? false;
    if (typeof retired !== 'boolean') reader.fail(`${path}.retired`, `must be a boolean, got ${JSON.stringify(retired)}`);
    // `retiredKeys` is how a World object keeps them, so a world written back from one loads the same.
    const listed = record['retiredKeys'] === undefined ? [] : reader.array(record['retiredKeys'], `${path}.retiredKeys`);
    const names = keys.map((key) => key.name);
    listed.forEach((key, index) => {
      if (!names.includes(reader.string(key, `${path}.retiredKeys[${index}]`)))
        reader.fail(`${path}.retiredKeys[${index}]`, `names ${JSON.stringify(key)}, which is not in keys`);
    });
    const retiredKeys = keys.filter((key) => key.retired || listed.includes(key.name)).map((key) => key.name);
    catalogue[name] = { keys: names, ...(retiredKeys.length > 0 ? { retiredKeys } : {}), retired };
  }
  return catalogue;
}
