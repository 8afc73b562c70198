/**
 * Renames that reach beyond one compartment or one cluster, through the
 * built dist/func.js: a pool whose nodes live in another compartment, and a
 * cluster renamed onto another cluster's name under the cluster key.
 */
import { UPDATE_CLUSTER_EVENT_TYPE } from '../../src/event/event-types';
import type { World } from '../../src/local/world';
import { logLines, nodePoolUpdated, ociEvent, useFunctionOverFake } from '../helpers/enforcement-function';
import { CLUSTER_TAG_KEY, clusterTaggedWorld, exampleWorld, nodesOf, ourValueOf } from '../helpers/enforcement-worlds';
import { clusterAt, poolAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

describe('updatenodepool.end for a pool whose nodes live in another compartment', () => {
  // The demo tenancy keeps its pools in one compartment and their instances in another.
  const fake = useFunctionOverFake(exampleWorld);

  it('re-tags every node of the renamed pool', async () => {
    const pool = poolAt(fake.api.world, 0);
    pool.name = 'web';

    const response = await fake.fn.call(nodePoolUpdated(pool.id, pool.compartmentId));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcome: 'reconciled', nodePoolId: pool.id, complete: true, unseenNodes: 0 });
    expect(nodesOf(fake.api.world, pool).map((node) => ourValueOf(node))).toEqual(['web', 'web']);
  });
});

describe('updatecluster.end with cluster_tag_name for a cluster renamed onto another cluster’s name', () => {
  // cluster-1 holds pool-1, cluster-2 holds pool-2 renamed pool-1: two pools, two distinct (cluster, pool) groups.
  const world = (): World => {
    const built = clusterTaggedWorld({ clusters: 2, pools: 2, nodesPerPool: 2 });
    const pool = poolAt(built, 1);
    pool.name = 'pool-1';
    for (const node of nodesOf(built, pool))
      node.definedTags['oke-nodepool-tags'] = { 'oke-nodepool-name': 'pool-1', [CLUSTER_TAG_KEY]: 'cluster-2' };
    return built;
  };
  const fake = useFunctionOverFake(world, { cluster_tag_name: CLUSTER_TAG_KEY });

  it('writes nothing, since that would move the nodes into the other cluster’s pool group, and logs the collision', async () => {
    const cluster = clusterAt(fake.api.world, 1);
    cluster.name = 'cluster-1';

    const response = await fake.fn.call(ociEvent(UPDATE_CLUSTER_EVENT_TYPE, cluster.id, TEST_COMPARTMENT_ID));

    expect(response.status).toBe(200);
    expect(response.json.pools).toEqual([expect.objectContaining({ outcome: 'reported', nodePoolId: poolAt(fake.api.world, 1).id })]);
    expect(fake.api.count('UpdateInstance')).toBe(0);
    expect(nodesOf(fake.api.world, poolAt(fake.api.world, 1)).map((node) => ourValueOf(node, CLUSTER_TAG_KEY))).toEqual([
      'cluster-2',
      'cluster-2',
    ]);
    expect(await logLines(fake.fn, 'node pool name collision')).toHaveLength(1);
  });
});
