/**
 * A small tenancy for the Identity side of the fake: a tree of compartments,
 * Default-domain dynamic groups, policies in several compartments, a tag
 * catalogue with retired parts, and one other identity domain whose groups'
 * rules come back only when asked for. Written as a world file's JSON, so
 * tests can spoil one field and see it refused.
 */
export const ID_TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaidentitytenancy00000000000000000000000000000000000';
export const ID_OTHER_TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaanothertenancy000000000000000000000000000000000000';
export const ID_DOMAIN_ID = 'ocid1.domain.oc1..aaaaaaaaworkloadsdomain00000000000000000000000000000000000';
export const ID_DOMAIN_URL = 'https://idcs-0123456789abcdef.identity.oraclecloud.com:443';

/** `ocid1.compartment.oc1..aaaaaaaa<name padded>`, a stable compartment OCID. */
export function compartmentOcid(name: string): string {
  return `ocid1.compartment.oc1..aaaaaaaa${name.replace(/[^a-z0-9]/g, '').padEnd(50, '0')}`;
}

export function dynamicGroupOcid(name: string): string {
  return `ocid1.dynamicgroup.oc1..aaaaaaaa${name.replace(/[^a-z0-9]/g, '').padEnd(50, '0')}`;
}

export function policyOcid(name: string): string {
  return `ocid1.policy.oc1..aaaaaaaa${name.replace(/[^a-z0-9]/g, '').padEnd(50, '0')}`;
}

/** Compartment names, each with its parent (undefined: the tenancy). */
export const COMPARTMENT_TREE: readonly (readonly [string, string | undefined])[] = [
  ['apps', undefined],
  ['network', undefined],
  ['apps-prod', 'apps'],
  ['apps-dev', 'apps'],
  ['apps-prod-eu', 'apps-prod'],
  ['retired', undefined],
];

/** The world file's JSON; each call returns a fresh copy to spoil. */
export function identityWorldJson(): Record<string, unknown> {
  return {
    clusters: [],
    nodePools: [],
    instances: [],
    tenancyId: ID_TENANCY,
    tagNamespaces: {
      'oke-nodepool-tags': { keys: ['oke-nodepool-name', { name: 'old-pool-name', retired: true }] },
      Legacy: { keys: ['owner'], retired: true },
    },
    compartments: COMPARTMENT_TREE.map(([name, parent]) => ({
      id: compartmentOcid(name),
      name,
      compartmentId: parent === undefined ? ID_TENANCY : compartmentOcid(parent),
      lifecycleState: name === 'retired' ? 'DELETED' : 'ACTIVE',
      description: `the ${name} compartment`,
    })),
    dynamicGroups: [
      {
        id: dynamicGroupOcid('pool-apps'),
        name: 'pool-apps',
        matchingRule: "ALL {tag.oke-nodepool-tags.oke-nodepool-name.value = 'apps'}",
        compartmentId: ID_TENANCY,
        lifecycleState: 'ACTIVE',
      },
      {
        id: dynamicGroupOcid('tagger'),
        name: 'tagger',
        matchingRule: "ALL {resource.type = 'fnfunc'}",
        compartmentId: ID_TENANCY,
        lifecycleState: 'ACTIVE',
      },
    ],
    policies: [
      {
        id: policyOcid('root-policy'),
        name: 'root-policy',
        compartmentId: ID_TENANCY,
        statements: ['Allow dynamic-group tagger to read cluster-family in tenancy'],
        lifecycleState: 'ACTIVE',
      },
      {
        id: policyOcid('apps-policy'),
        name: 'apps-policy',
        compartmentId: compartmentOcid('apps'),
        statements: [
          'Allow dynamic-group pool-apps to read buckets in compartment apps',
          'Allow group admins to manage all-resources in compartment apps',
        ],
        lifecycleState: 'ACTIVE',
      },
    ],
    identityDomains: [
      {
        id: ID_DOMAIN_ID,
        displayName: 'Workloads',
        url: ID_DOMAIN_URL,
        compartmentId: ID_TENANCY,
        lifecycleState: 'ACTIVE',
        dynamicResourceGroups: [
          {
            id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
            ocid: dynamicGroupOcid('domain-pool-web'),
            displayName: 'pool-web',
            matchingRule: "ALL {tag.oke-nodepool-tags.oke-nodepool-name.value = 'web'}",
          },
          { id: 'b1b2c3d4e5f60718293a4b5c6d7e8f90', ocid: dynamicGroupOcid('domain-pool-db'), displayName: 'pool-db', matchingRule: null },
          {
            id: 'c1b2c3d4e5f60718293a4b5c6d7e8f90',
            ocid: dynamicGroupOcid('domain-pool-batch'),
            displayName: 'pool-batch',
            matchingRule: "ALL {tag.oke-nodepool-tags.oke-nodepool-name.value = 'batch'}",
          },
        ],
      },
    ],
  };
}
