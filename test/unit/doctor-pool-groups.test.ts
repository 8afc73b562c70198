import { ids, okeMetadata } from '../helpers/memory-ports';
import type { MemoryAccessWorld } from '../helpers/memory-access-ports';
import { APPS, checksAfter, KEY, NAMESPACE, result, SETTINGS, WORKERS } from '../helpers/doctor-world';

const WEB = `pools.group.${ids.pool('web')}`;
const BATCH = `pools.group.${ids.pool('batch')}`;

/** A second cluster with its own pool named "web", whose nodes share the workers compartment. */
function addStagingWeb(world: MemoryAccessWorld): void {
  const cluster = ids.cluster('staging');
  world.clusters.push({ id: cluster, name: 'staging', compartmentId: APPS });
  world.pools.push({
    id: ids.pool('stagingweb'),
    name: 'web',
    clusterId: cluster,
    compartmentId: APPS,
    lifecycleState: 'ACTIVE',
    nodeIds: [ids.instance('sweb-0')],
  });
  world.instances.push({
    id: ids.instance('sweb-0'),
    compartmentId: WORKERS,
    lifecycleState: 'RUNNING',
    timeCreated: '2026-01-01T00:00:00.000Z',
    metadata: okeMetadata(ids.pool('stagingweb'), cluster),
    definedTags: { [NAMESPACE]: { [KEY]: 'web' } },
    freeformTags: {},
  });
}

describe("doctor: the pools' groups", () => {
  it('fails for a pool without a group, and prints the rule iam plans for it', async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups = world.dynamicGroups.filter((group) => group.name !== 'oke-pool-batch');
    });

    const batch = result(checks, BATCH);
    expect(batch.status).toBe('fail');
    expect(batch.fix).toBe(
      `a group with the rule iam plans: All {instance.compartment.id = '${WORKERS}', tag.${NAMESPACE}.${KEY}.value = 'batch'}`,
    );
    expect(result(checks, WEB).status).toBe('ok');
  });

  it('fails when two same-named pools of two clusters share one group', async () => {
    const checks = await checksAfter(addStagingWeb);

    const web = result(checks, WEB);
    expect(web.status).toBe('fail');
    expect(web.found).toBe(`dynamic group oke-pool-web also matches the nodes of pool staging/web: the pools share one group`);
    expect(result(checks, `pools.group.${ids.pool('stagingweb')}`).status).toBe('fail');
    expect(result(checks, BATCH).status).toBe('ok');
  });

  it('is satisfied once each same-named pool has a rule on the cluster tag too', async () => {
    const checks = await checksAfter(
      (world) => {
        addStagingWeb(world);
        for (const instance of world.instances) {
          const cluster = instance.metadata['oke-cluster-id'] === ids.cluster('staging') ? 'staging' : 'prod';
          instance.definedTags[NAMESPACE] = { ...instance.definedTags[NAMESPACE], 'oke-cluster-name': cluster };
        }
        world.functions = world.functions.map((fn) => ({ ...fn, config: { ...fn.config, cluster_tag_name: 'oke-cluster-name' } }));
        world.tagNamespaces = world.tagNamespaces.map((namespace) => ({
          ...namespace,
          keys: [...namespace.keys, { name: 'oke-cluster-name', isRetired: false }],
        }));
        world.dynamicGroups = world.dynamicGroups.map((group) =>
          group.name === 'oke-pool-web'
            ? {
                ...group,
                matchingRule: `All {instance.compartment.id = '${WORKERS}', tag.${NAMESPACE}.${KEY}.value = 'web', tag.${NAMESPACE}.oke-cluster-name.value = 'prod'}`,
              }
            : group,
        );
        world.dynamicGroups.push({
          id: 'ocid1.dynamicgroup.oc1..stagingweb',
          name: 'oke-pool-staging-web',
          compartmentId: world.tenancyId,
          lifecycleState: 'ACTIVE',
          matchingRule: `All {instance.compartment.id = '${WORKERS}', tag.${NAMESPACE}.${KEY}.value = 'web', tag.${NAMESPACE}.oke-cluster-name.value = 'staging'}`,
        });
      },
      { ...SETTINGS, clusterTagName: 'oke-cluster-name' },
    );

    expect(result(checks, WEB).status).toBe('ok');
    expect(result(checks, `pools.group.${ids.pool('stagingweb')}`).status).toBe('ok');
  });

  it('fails when the group admits another compartment than the one the nodes live in', async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups = world.dynamicGroups.map((group) =>
        group.name === 'oke-pool-web' ? { ...group, matchingRule: group.matchingRule?.replace(WORKERS, APPS) } : group,
      );
    });

    expect(result(checks, WEB).status).toBe('fail');
  });
});
