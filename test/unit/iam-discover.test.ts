/**
 * Pool discovery for `iam` over in-memory ports: which pools, nodes and
 * instances count, and what a read that answers 404 means.
 */
import { OciCallError } from '../../src/errors';
import { discoverPools } from '../../src/iam/discover';
import type { InstanceInfo, NodePoolInfo, PoolNode, Ports } from '../../src/tagging/model';
import { ids, MemoryCloud, okeMetadata } from '../helpers/memory-ports';

const CLUSTERS = ids.compartment('clusters');
const WORKERS = ids.compartment('workers');
const SPARE = ids.compartment('spare');
const CLUSTER = { id: ids.cluster('prod'), name: 'prod', compartmentId: CLUSTERS };

function instance(label: string, compartmentId: string, lifecycleState: string): InstanceInfo {
  return {
    id: ids.instance(label),
    compartmentId,
    lifecycleState,
    metadata: okeMetadata(ids.pool('apps'), CLUSTER.id),
    definedTags: {},
    freeformTags: {},
  };
}

function nodePool(name: string, nodes: readonly PoolNode[], lifecycleState = 'ACTIVE'): NodePoolInfo {
  return {
    id: ids.pool(name),
    name,
    clusterId: CLUSTER.id,
    compartmentId: CLUSTERS,
    lifecycleState,
    nodeIds: nodes.map((node) => node.id),
    nodes,
  };
}

/** Ports over the cloud whose GetInstance answers 404, as OCI does, for an instance it does not hold. */
function portsOf(cloud: MemoryCloud): Ports {
  return {
    containerEngine: cloud.containerEngine,
    compute: {
      ...cloud.compute,
      getInstance: async (instanceId) => {
        if (!cloud.world.instances.some((candidate) => candidate.id === instanceId)) {
          cloud.calls.push('GetInstance');
          throw new OciCallError(
            'GetInstance',
            instanceId,
            404,
            'NotAuthorizedOrNotFound',
            'Authorization failed or requested resource not found',
          );
        }
        return cloud.compute.getInstance(instanceId);
      },
    },
  };
}

describe('discoverPools', () => {
  it('reads a node missing from the listed compartments with GetInstance, and leaves a node answering 404 unknown', async () => {
    // Prepare
    const cloud = new MemoryCloud({
      instances: [instance('a', WORKERS, 'RUNNING')],
      pools: [nodePool('apps', [{ id: ids.instance('a') }, { id: ids.instance('missing') }])],
      clusters: [CLUSTER],
    });
    // Act
    const facts = await discoverPools(portsOf(cloud), [CLUSTERS]);
    // Assess
    expect(facts).toEqual([
      {
        id: ids.pool('apps'),
        name: 'apps',
        clusterId: CLUSTER.id,
        clusterName: 'prod',
        compartmentId: CLUSTERS,
        nodeCompartmentIds: [WORKERS],
      },
    ]);
    expect(cloud.count('GetInstance')).toBe(2);
  });

  it('leaves out the compartment of a TERMINATING or TERMINATED instance, listed or read one by one', async () => {
    // Prepare
    const cloud = new MemoryCloud({
      instances: [
        instance('live', WORKERS, 'RUNNING'),
        instance('listed', CLUSTERS, 'TERMINATING'),
        instance('read', SPARE, 'TERMINATING'),
        instance('ended', SPARE, 'TERMINATED'),
      ],
      pools: [
        nodePool(
          'apps',
          ['live', 'listed', 'read', 'ended'].map((label) => ({ id: ids.instance(label) })),
        ),
      ],
      clusters: [CLUSTER],
    });
    // Act
    const facts = await discoverPools(portsOf(cloud), [CLUSTERS]);
    // Assess
    expect(facts.map((fact) => fact.nodeCompartmentIds)).toEqual([[WORKERS]]);
  });

  it('does not look at the instance behind a DELETED node entry', async () => {
    // Prepare
    const cloud = new MemoryCloud({
      instances: [instance('live', WORKERS, 'RUNNING'), instance('former', SPARE, 'RUNNING')],
      pools: [
        nodePool('apps', [
          { id: ids.instance('live'), lifecycleState: 'ACTIVE' },
          { id: ids.instance('former'), lifecycleState: 'DELETED' },
        ]),
      ],
      clusters: [CLUSTER],
    });
    // Act
    const facts = await discoverPools(portsOf(cloud), [CLUSTERS]);
    // Assess
    expect(facts.map((fact) => fact.nodeCompartmentIds)).toEqual([[WORKERS]]);
    expect(cloud.count('GetInstance')).toBe(1);
  });

  it('gives no fact to a pool that reads as DELETED or DELETING, whatever its listing said', async () => {
    // Prepare
    const cloud = new MemoryCloud({
      instances: [],
      pools: [nodePool('apps', []), nodePool('gone', [], 'DELETED'), nodePool('draining', [], 'DELETING')],
      clusters: [CLUSTER],
    });
    // Act
    const facts = await discoverPools(portsOf(cloud), [CLUSTERS]);
    // Assess
    expect(facts.map((fact) => fact.name)).toEqual(['apps']);
  });

  it('keeps the listed order of the pools and reads each cluster once', async () => {
    // Prepare
    const names = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    const cloud = new MemoryCloud({ instances: [], pools: names.map((name) => nodePool(name, [])), clusters: [CLUSTER] });
    const progress: string[] = [];
    // Act
    const facts = await discoverPools(portsOf(cloud), [CLUSTERS], (message) => progress.push(message));
    // Assess
    expect(facts.map((fact) => fact.name)).toEqual(names);
    expect(cloud.count('GetCluster')).toBe(1);
    expect(progress[0]).toBe(`reading compartment ${CLUSTERS}`);
    expect(progress).toContain(`read node pool p7 (7/7)`);
  });

  it('fails naming the cluster when GetCluster answers 404 for a listed pool', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [nodePool('apps', [])], clusters: [] });
    // Act
    const run = discoverPools(portsOf(cloud), [CLUSTERS]);
    // Assess
    await expect(run).rejects.toThrow(OciCallError);
    await expect(discoverPools(portsOf(cloud), [CLUSTERS])).rejects.toThrow(`GetCluster ${CLUSTER.id} failed: 404`);
  });

  it('fails naming the pool when GetNodePool answers 404 for a listed pool', async () => {
    // Prepare
    const cloud = new MemoryCloud({ instances: [], pools: [nodePool('apps', [])], clusters: [CLUSTER] });
    const ports = portsOf(cloud);
    const vanishing: Ports = { ...ports, containerEngine: { ...ports.containerEngine, getNodePool: async () => undefined } };
    // Act
    const run = discoverPools(vanishing, [CLUSTERS]);
    // Assess
    await expect(run).rejects.toThrow(`GetNodePool ${ids.pool('apps')} failed: 404`);
  });
});
