/**
 * The Identity keys of world files: a good world loads with its tree, groups,
 * policies, domains and retired tags; each bad field is refused by name.
 */
import { WorldFileError } from '../../src/errors';
import { parseWorld, type World } from '../../src/local/world';
import { compartmentOcid, ID_DOMAIN_URL, ID_OTHER_TENANCY, ID_TENANCY, identityWorldJson, policyOcid } from '../helpers/identity-world';

type Json = Record<string, unknown>;

/** The `index`th element of the world's list `field`, to spoil in place. */
function item(json: Json, field: string, index: number): Json {
  const value = (json[field] as Json[] | undefined)?.[index];
  if (value === undefined) throw new Error(`test world has no ${field}[${index}]`);
  return value;
}

function domainGroup(json: Json, index: number): Json {
  const value = (item(json, 'identityDomains', 0)['dynamicResourceGroups'] as Json[])[index];
  if (value === undefined) throw new Error(`test world has no domain group ${index}`);
  return value;
}

describe('world files: the Identity keys', () => {
  it('loads the tenancy, its compartments, groups, policies and domains as written', () => {
    // Prepare
    const json = identityWorldJson();

    // Act
    const world = parseWorld(json, 'identity.json');

    // Assess
    expect(world.tenancyId).toBe(ID_TENANCY);
    expect(world.compartments?.map((compartment) => compartment.name)).toEqual([
      'apps',
      'network',
      'apps-prod',
      'apps-dev',
      'apps-prod-eu',
      'retired',
    ]);
    expect(world.compartments?.[0]).toMatchObject({ description: 'the apps compartment' });
    expect(world.dynamicGroups?.map((group) => group.name)).toEqual(['pool-apps', 'tagger']);
    expect(world.policies?.[1]?.statements).toHaveLength(2);
    expect(world.identityDomains?.[0]).toMatchObject({ displayName: 'Workloads', url: ID_DOMAIN_URL });
    expect(world.identityDomains?.[0]?.dynamicResourceGroups[1]?.matchingRule).toBeNull();
  });

  it('keeps every tag key and lists the retired ones, in either spelling', () => {
    // Prepare
    const json = identityWorldJson();
    json['tagNamespaces'] = {
      ...(json['tagNamespaces'] as Json),
      Finance: { keys: ['costcenter', 'project'], retiredKeys: ['project'] },
    };

    // Act
    const world = parseWorld(json, 'identity.json');
    const reloaded = parseWorld(JSON.parse(JSON.stringify(world)), 'written-back.json');

    // Assess
    expect(world.tagNamespaces['oke-nodepool-tags']).toEqual({
      keys: ['oke-nodepool-name', 'old-pool-name'],
      retiredKeys: ['old-pool-name'],
      retired: false,
    });
    expect(world.tagNamespaces['Legacy']).toEqual({ keys: ['owner'], retired: true });
    expect(world.tagNamespaces['Finance']?.retiredKeys).toEqual(['project']);
    expect(reloaded.tagNamespaces).toEqual(world.tagNamespaces);
  });

  it('leaves the Identity keys out of a world that has none', () => {
    // Prepare
    const json = { clusters: [], nodePools: [], instances: [] };

    // Act
    const world = parseWorld(json, 'plain.json');

    // Assess
    expect(Object.keys(world).sort()).toEqual(['clusters', 'instances', 'nodePools', 'tagNamespaces']);
  });

  it('accepts compartments under any one tenancy when the world names none', () => {
    // Prepare
    const json = identityWorldJson();
    delete json['tenancyId'];

    // Act
    const world = parseWorld(json, 'identity.json');

    // Assess
    expect(world.tenancyId).toBeUndefined();
    expect(world.compartments).toHaveLength(6);
  });

  it.each<[string, (json: Json) => void, string]>([
    ['a tenancyId that is no tenancy OCID', (json) => (json['tenancyId'] = compartmentOcid('apps')), 'tenancyId'],
    ['a compartment id of another OCID type', (json) => (item(json, 'compartments', 1)['id'] = policyOcid('x')), 'compartments[1].id'],
    [
      'a compartment whose parent is not listed',
      (json) => (item(json, 'compartments', 2)['compartmentId'] = compartmentOcid('nowhere')),
      'compartments[2].compartmentId',
    ],
    [
      'a compartment in another tenancy than tenancyId',
      (json) => (item(json, 'compartments', 0)['compartmentId'] = ID_OTHER_TENANCY),
      'compartments[0].compartmentId',
    ],
    [
      'a cycle of compartment parents',
      (json) => (item(json, 'compartments', 0)['compartmentId'] = compartmentOcid('apps-prod-eu')),
      'compartments[0].compartmentId',
    ],
    [
      'a compartment in an unknown state',
      (json) => (item(json, 'compartments', 3)['lifecycleState'] = 'RUNNING'),
      'compartments[3].lifecycleState',
    ],
    ['a repeated compartment id', (json) => (item(json, 'compartments', 1)['id'] = compartmentOcid('apps')), 'compartments[1].id'],
    ['a dynamic group id of another OCID type', (json) => (item(json, 'dynamicGroups', 0)['id'] = policyOcid('x')), 'dynamicGroups[0].id'],
    [
      'a dynamic group outside the tenancy',
      (json) => (item(json, 'dynamicGroups', 1)['compartmentId'] = compartmentOcid('apps')),
      'dynamicGroups[1].compartmentId',
    ],
    [
      'a dynamic group whose rule is null',
      (json) => (item(json, 'dynamicGroups', 0)['matchingRule'] = null),
      'dynamicGroups[0].matchingRule',
    ],
    [
      'a dynamic group in an unknown state',
      (json) => (item(json, 'dynamicGroups', 0)['lifecycleState'] = 'ON'),
      'dynamicGroups[0].lifecycleState',
    ],
    ['a policy id of another OCID type', (json) => (item(json, 'policies', 0)['id'] = compartmentOcid('x')), 'policies[0].id'],
    [
      'a policy in a compartment that is not listed',
      (json) => (item(json, 'policies', 1)['compartmentId'] = compartmentOcid('nowhere')),
      'policies[1].compartmentId',
    ],
    [
      'a statement that is not a string',
      (json) => ((item(json, 'policies', 1)['statements'] as unknown[])[1] = 7),
      'policies[1].statements[1]',
    ],
    ['statements that are not an array', (json) => (item(json, 'policies', 0)['statements'] = 'Allow …'), 'policies[0].statements'],
    [
      'a domain id of another OCID type',
      (json) => (item(json, 'identityDomains', 0)['id'] = compartmentOcid('x')),
      'identityDomains[0].id',
    ],
    ['a domain without a URL', (json) => delete item(json, 'identityDomains', 0)['url'], 'identityDomains[0].url'],
    [
      'a domain URL with a path',
      (json) => (item(json, 'identityDomains', 0)['url'] = `${ID_DOMAIN_URL}/admin/v1`),
      'identityDomains[0].url',
    ],
    [
      'a domain in an unknown state',
      (json) => (item(json, 'identityDomains', 0)['lifecycleState'] = 'DELETED'),
      'identityDomains[0].lifecycleState',
    ],
    [
      'a domain group whose ocid is of another type',
      (json) => (domainGroup(json, 0)['ocid'] = policyOcid('x')),
      'identityDomains[0].dynamicResourceGroups[0].ocid',
    ],
    [
      'a domain group whose rule is neither a string nor null',
      (json) => (domainGroup(json, 2)['matchingRule'] = 3),
      'identityDomains[0].dynamicResourceGroups[2].matchingRule',
    ],
    [
      'a retired flag on a tag key that is not a boolean',
      (json) => (json['tagNamespaces'] = { ns: { keys: [{ name: 'k', retired: 'yes' }] } }),
      'tagNamespaces.ns.keys[0].retired',
    ],
    [
      'a tag key object without a name',
      (json) => (json['tagNamespaces'] = { ns: { keys: [{ retired: true }] } }),
      'tagNamespaces.ns.keys[0].name',
    ],
    [
      'a retired key that is not among the keys',
      (json) => (json['tagNamespaces'] = { ns: { keys: ['k'], retiredKeys: ['other'] } }),
      'tagNamespaces.ns.retiredKeys[0]',
    ],
  ])('refuses %s, naming the field', (_case, spoil, field) => {
    // Prepare
    const json = identityWorldJson();
    spoil(json);

    // Act
    const parse = (): World => parseWorld(json, 'worlds/identity.json');

    // Assess
    expect(parse).toThrow(WorldFileError);
    expect(parse).toThrow(`world file worlds/identity.json: ${field} `);
  });
});
