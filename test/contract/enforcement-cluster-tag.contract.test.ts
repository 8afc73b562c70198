/**
 * Contract tests of enforcement with `cluster_tag_name`: the built
 * dist/func.js under the Fn contract sets the cluster key beside the pool
 * key, pays one GetCluster for it, and follows a cluster rename.
 */
import { UPDATE_CLUSTER_EVENT_TYPE } from '../../src/event/event-types';
import type { World } from '../../src/local/world';
import { instanceUpdated, ociEvent, useFunctionOverFake } from '../helpers/enforcement-function';
import { CLUSTER_TAG_KEY, clusterTaggedWorld, nodesOf, ourValueOf, setOurValue } from '../helpers/enforcement-worlds';
import { clusterAt, nodeInstanceAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

/** Two clusters; pools pool-1 and pool-3 in cluster-1, pool-2 in cluster-2; every node carries both keys. */
const world = (): World => clusterTaggedWorld({ clusters: 2, pools: 3, nodesPerPool: 2 });

describe('enforcement with cluster_tag_name under the Fn contract', () => {
  const fake = useFunctionOverFake(world, { cluster_tag_name: CLUSTER_TAG_KEY });

  it('answers the echo of its own write unchanged in three calls, one of them GetCluster, without a write', async () => {
    const node = nodeInstanceAt(fake.api.world, 1, 0);
    setOurValue(node, 'old-cluster-name', CLUSTER_TAG_KEY);
    const fix = await fake.fn.call(instanceUpdated(node.id, TEST_COMPARTMENT_ID));
    fake.api.resetCalls();

    const echo = await fake.fn.call(instanceUpdated(node.id, TEST_COMPARTMENT_ID));

    expect(fix.json).toMatchObject({ outcome: 'tagged', tags: { 'oke-nodepool-name': 'pool-2', [CLUSTER_TAG_KEY]: 'cluster-2' } });
    expect(echo.json).toMatchObject({ outcome: 'unchanged', apiCalls: 3 });
    expect(fake.api.calls.map((call) => call.operation)).toEqual(['GetInstance', 'GetNodePool', 'GetCluster']);
  });

  it('re-tags every node of every pool of a renamed cluster, keeping their pool names', async () => {
    const cluster = clusterAt(fake.api.world, 0);
    cluster.name = 'production';
    const pools = fake.api.world.nodePools.filter((pool) => pool.clusterId === cluster.id);

    const response = await fake.fn.call(ociEvent(UPDATE_CLUSTER_EVENT_TYPE, cluster.id, TEST_COMPARTMENT_ID));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcome: 'reconciled', clusterId: cluster.id, clusterName: 'production', complete: true });
    expect(response.json.pools).toEqual(
      pools.map((pool) => expect.objectContaining({ outcome: 'reconciled', nodePoolId: pool.id, counts: { tag: 0, fix: 2, ok: 0 } })),
    );
    for (const pool of pools) {
      const nodes = nodesOf(fake.api.world, pool);
      expect(nodes.map((node) => [ourValueOf(node), ourValueOf(node, CLUSTER_TAG_KEY)])).toEqual([
        [pool.name, 'production'],
        [pool.name, 'production'],
      ]);
    }
  });
});
