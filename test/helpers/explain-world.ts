/** The in-memory tenancy `explain`'s unit tests run over: one pool, nodes of every kind, groups and policies of every kind. */
import { createCallScope } from '../../src/call-scope';
import { loadConfig } from '../../src/config';
import { Deadline } from '../../src/deadline';
import { explainInstance, type ExplainResult } from '../../src/iam/explain';
import { silentLogger } from '../../src/log';
import type { InstanceInfo } from '../../src/tagging/model';
import { emptyAccessWorld, type MemoryAccessCloud, type MemoryAccessWorld } from './memory-access-ports';
import { ids, okeMetadata } from './memory-ports';

export const tenancy = 'ocid1.tenancy.oc1..aaaaaaaaexampletenancy00000000000000000000000000000000000';
export const workers = ids.compartment('workers');
export const clusters = ids.compartment('clusters');
export const storage = ids.compartment('storage');
export const buckets = ids.compartment('buckets');
export const group = (label: string) => `ocid1.dynamicgroup.oc1..${label.padEnd(60, '0')}`;
export const policy = (label: string) => `ocid1.policy.oc1..${label.padEnd(60, '0')}`;
export const poolId = ids.pool('poola');
export const clusterId = ids.cluster('prod');
const OLD = '2026-10-01T08:00:00.000Z';
const NS = 'oke-nodepool-tags';
export const KEY = 'oke-nodepool-name';
export const POOL_RULE = `All {tag.${NS}.${KEY}.value = 'pool-a'}`;
export const BROKEN_RULE = `All {instance.id = '${ids.instance('member')}'`;

function node(label: string, tags: Record<string, unknown> | undefined, metadata = okeMetadata(poolId, clusterId)): InstanceInfo {
  return {
    id: ids.instance(label),
    compartmentId: workers,
    displayName: label,
    lifecycleState: 'RUNNING',
    timeCreated: OLD,
    metadata,
    definedTags: tags === undefined ? {} : { [NS]: tags },
    freeformTags: {},
  };
}

/** A tenancy with one pool (member, untagged, stale are its nodes; impostor carries the tag) and groups of every kind. */
export function world(options: { broken?: boolean; domains?: boolean } = {}): MemoryAccessWorld {
  const base = emptyAccessWorld(tenancy);
  return {
    ...base,
    instances: [
      node('member', { [KEY]: 'pool-a' }),
      node('untagged', undefined),
      node('stale', { [KEY]: 'old-name' }),
      node('impostor', { [KEY]: 'pool-a' }, {}),
    ],
    pools: [
      {
        id: poolId,
        name: 'pool-a',
        clusterId,
        compartmentId: clusters,
        lifecycleState: 'ACTIVE',
        nodeIds: ['member', 'untagged', 'stale'].map(ids.instance),
      },
    ],
    clusters: [{ id: clusterId, name: 'prod', compartmentId: clusters }],
    compartments: [
      { id: workers, name: 'workers', parentId: tenancy, lifecycleState: 'ACTIVE' },
      { id: clusters, name: 'clusters', parentId: tenancy, lifecycleState: 'ACTIVE' },
      { id: storage, name: 'storage', parentId: tenancy, lifecycleState: 'ACTIVE' },
      { id: buckets, name: 'buckets', parentId: storage, lifecycleState: 'ACTIVE' },
    ],
    dynamicGroups: [
      { id: group('poola'), name: 'pool-a-nodes', matchingRule: POOL_RULE, compartmentId: tenancy, lifecycleState: 'ACTIVE' },
      { id: group('workers'), name: 'workers-all', matchingRule: `Any {instance.compartment.id = '${workers}'}`, compartmentId: tenancy },
      { id: group('one'), name: 'just-member', matchingRule: `Any {instance.id = '${ids.instance('member')}'}`, compartmentId: tenancy },
      {
        id: group('nested'),
        name: 'nested',
        matchingRule: `Any {All {tag.${NS}.${KEY}.value = 'pool-a', instance.compartment.id = '${workers}'}, instance.id = '${ids.instance('elsewhere')}'}`,
        compartmentId: tenancy,
      },
      { id: group('storage'), name: 'storage-only', matchingRule: `All {instance.compartment.id = '${storage}'}`, compartmentId: tenancy },
      ...(options.broken === true ? [{ id: group('broken'), name: 'broken', matchingRule: BROKEN_RULE, compartmentId: tenancy }] : []),
    ],
    domains:
      options.domains === false
        ? []
        : [
            {
              domain: 'Prod',
              dynamicGroups: [
                { id: group('prodnodes'), name: 'prod-nodes', matchingRule: POOL_RULE, compartmentId: tenancy, domain: 'Prod' },
              ],
            },
          ],
    policies: [
      {
        id: policy('basics'),
        name: 'node-basics',
        compartmentId: tenancy,
        statements: [
          'Allow dynamic-group pool-a-nodes to read repos in tenancy',
          "Allow dynamic-group 'Default'/'WORKERS-ALL' to use log-content in tenancy",
          'Allow dynamic-group storage-only to manage all-resources in tenancy',
          "Allow any-user to read objects in tenancy where request.principal.type = 'instance'",
          "Allow any-user to inspect buckets in tenancy where request.user.id = 'ocid1.user.oc1..someone'",
          'Allow any-group to inspect compartments in tenancy',
        ],
      },
      {
        id: policy('bucketb'),
        name: 'bucket-b-access',
        compartmentId: buckets,
        statements: [
          `Allow dynamic-group id ${group('one')} to manage objects in compartment id ${buckets} where target.bucket.name = 'bucket-b'`,
        ],
      },
      {
        id: policy('prod'),
        name: 'prod-domain',
        compartmentId: storage,
        statements: ["Allow dynamic-group 'prod'/'prod-nodes' to read buckets in compartment buckets"],
      },
    ],
  };
}

/** Explains the instance labelled `label` with the function's configuration from `env`. */
export async function explain(cloud: MemoryAccessCloud, label: string, env: Record<string, string> = {}): Promise<ExplainResult> {
  const scope = createCallScope({ deadline: Deadline.inSeconds(30), logger: silentLogger });
  return explainInstance(cloud.ports(), ids.instance(label), { config: loadConfig(env), scope });
}
