import { ids, okeMetadata } from '../helpers/memory-ports';
import type { MemoryAccessWorld } from '../helpers/memory-access-ports';
import { APPS, checksAfter, KEY, NAMESPACE, poolRule, result, TENANCY, WORKERS } from '../helpers/doctor-world';

const WEB = `pools.group.${ids.pool('web')}`;
const STAGING_WEB = `pools.group.${ids.pool('stagingweb')}`;
const BATCH = `pools.group.${ids.pool('batch')}`;

function byInstanceIds(name: string, labels: readonly string[]) {
  const clauses = labels.map((label) => `instance.id = '${ids.instance(label)}'`).join(', ');
  return {
    id: `ocid1.dynamicgroup.oc1..${name}`,
    name,
    compartmentId: TENANCY,
    lifecycleState: 'ACTIVE',
    matchingRule: `Any {${clauses}}`,
  };
}

/** A second cluster with a pool named "web"; each web pool gets a group of its own, by instance OCID, and `legacy-web` matches both. */
function sharedLegacyGroup(world: MemoryAccessWorld): void {
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
  world.dynamicGroups = world.dynamicGroups.map((group) =>
    group.name === 'oke-pool-web' ? byInstanceIds('oke-pool-web', ['web-0', 'web-1']) : group,
  );
  world.dynamicGroups.push(byInstanceIds('oke-pool-staging-web', ['sweb-0']));
  world.dynamicGroups.push({ ...byInstanceIds('legacy-web', []), matchingRule: poolRule('web') });
}

describe('doctor: a group shared by pools is reported even when each pool has a group of its own', () => {
  it('fails both web pools when legacy-web matches the nodes of both clusters', async () => {
    const checks = await checksAfter(sharedLegacyGroup);

    const web = result(checks, WEB);
    expect(web.status).toBe('fail');
    expect(web.found).toContain('legacy-web');
    expect(web.found).toContain('staging/web');
    expect(result(checks, STAGING_WEB).status).toBe('fail');
    expect(result(checks, BATCH).status).toBe('ok');
  });

  it('fails two pools of one cluster that a tag rule admits together', async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups.push({
        ...byInstanceIds('web-and-batch', []),
        matchingRule: `All {instance.compartment.id = '${WORKERS}', Any {tag.${NAMESPACE}.${KEY}.value = 'web', tag.${NAMESPACE}.${KEY}.value = 'batch'}}`,
      });
    });

    expect(result(checks, WEB)).toMatchObject({ status: 'fail' });
    expect(result(checks, WEB).found).toContain('web-and-batch');
    expect(result(checks, BATCH).status).toBe('fail');
  });
});
