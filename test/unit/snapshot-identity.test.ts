/**
 * snapshotIdentity over in-memory Identity ports: what it reads, and that
 * what it returns loads back as a world file.
 */
import { OciCallError, TaggerError } from '../../src/errors';
import { parseWorld } from '../../src/local/world';
import { snapshotIdentity } from '../../src/oci/snapshot-identity';
import { compartmentOcid, dynamicGroupOcid, ID_TENANCY, policyOcid } from '../helpers/identity-world';
import { emptyAccessWorld, MemoryAccessCloud, notAuthorized, type MemoryAccessWorld } from '../helpers/memory-access-ports';

const NAMESPACE_ID = 'ocid1.tagnamespace.oc1..aaaaaaaaokenodepooltags000000000000000000000000000000';
const LEGACY_ID = 'ocid1.tagnamespace.oc1..aaaaaaaalegacy0000000000000000000000000000000000000000';

function tenancy(): MemoryAccessWorld {
  return {
    ...emptyAccessWorld(ID_TENANCY),
    compartments: [
      { id: compartmentOcid('apps'), name: 'apps', parentId: ID_TENANCY, lifecycleState: 'ACTIVE' },
      { id: compartmentOcid('apps-prod'), name: 'apps-prod', parentId: compartmentOcid('apps'), lifecycleState: 'ACTIVE' },
      { id: compartmentOcid('gone'), name: 'gone', parentId: ID_TENANCY, lifecycleState: 'DELETED' },
    ],
    dynamicGroups: [
      {
        id: dynamicGroupOcid('pool-apps'),
        name: 'pool-apps',
        matchingRule: "ALL {tag.oke-nodepool-tags.oke-nodepool-name.value = 'apps'}",
        compartmentId: ID_TENANCY,
        lifecycleState: 'ACTIVE',
      },
    ],
    policies: [
      { id: policyOcid('root'), name: 'root', compartmentId: ID_TENANCY, statements: ['Allow group a to read all-resources in tenancy'] },
      {
        id: policyOcid('prod'),
        name: 'prod',
        compartmentId: compartmentOcid('apps-prod'),
        statements: ['Allow dynamic-group pool-apps to read buckets in compartment apps:apps-prod'],
        lifecycleState: 'ACTIVE',
      },
    ],
    tagNamespaces: [
      {
        id: NAMESPACE_ID,
        name: 'oke-nodepool-tags',
        compartmentId: ID_TENANCY,
        isRetired: false,
        keys: [
          { name: 'oke-nodepool-name', isRetired: false },
          { name: 'old-name', isRetired: true },
        ],
      },
      { id: LEGACY_ID, name: 'Legacy', compartmentId: ID_TENANCY, isRetired: true, keys: [{ name: 'owner', isRetired: true }] },
    ],
  };
}

describe('snapshotIdentity', () => {
  it('reads the tree, groups, every live compartment’s policies and the tag catalogue in world-file shapes', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(tenancy());

    // Act
    const snapshot = await snapshotIdentity(cloud.ports().identity, ID_TENANCY);
    const world = parseWorld({ clusters: [], nodePools: [], instances: [], ...JSON.parse(JSON.stringify(snapshot)) }, 'snapshot');

    // Assess
    expect(snapshot.compartments.map((compartment) => [compartment.name, compartment.compartmentId])).toEqual([
      ['apps', ID_TENANCY],
      ['apps-prod', compartmentOcid('apps')],
      ['gone', ID_TENANCY],
    ]);
    expect(snapshot.policies.map((policy) => [policy.name, policy.lifecycleState])).toEqual([
      ['root', 'ACTIVE'],
      ['prod', 'ACTIVE'],
    ]);
    expect(cloud.calls.filter((call) => call === 'ListPolicies')).toHaveLength(3);
    expect(snapshot.tagNamespaces).toEqual({
      'oke-nodepool-tags': { keys: ['oke-nodepool-name', 'old-name'], retiredKeys: ['old-name'], retired: false },
      Legacy: { keys: ['owner'], retiredKeys: ['owner'], retired: true },
    });
    expect(world.dynamicGroups).toEqual(snapshot.dynamicGroups);
    expect(world.tagNamespaces).toEqual(snapshot.tagNamespaces);
    expect(world.tenancyId).toBe(ID_TENANCY);
  });

  it('fails when a compartment’s policies cannot be read, rather than write a world without them', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(tenancy());
    cloud.failures.set(`ListPolicies ${compartmentOcid('apps-prod')}`, notAuthorized('ListPolicies', compartmentOcid('apps-prod')));

    // Act
    const snapshot = snapshotIdentity(cloud.ports().identity, ID_TENANCY);

    // Assess
    await expect(snapshot).rejects.toThrow(OciCallError);
    await expect(snapshot).rejects.toThrow(compartmentOcid('apps-prod'));
  });

  it('fails on a Default-domain group answered without its rule, which a world file cannot hold', async () => {
    // Prepare
    const world = tenancy();
    world.dynamicGroups.push({ id: dynamicGroupOcid('blank'), name: 'blank', matchingRule: undefined, compartmentId: ID_TENANCY });
    const cloud = new MemoryAccessCloud(world);

    // Act
    const snapshot = snapshotIdentity(cloud.ports().identity, ID_TENANCY);

    // Assess
    await expect(snapshot).rejects.toThrow(TaggerError);
    await expect(snapshot).rejects.toThrow(`ListDynamicGroups answered ${dynamicGroupOcid('blank')} without its matching rule`);
  });
});
