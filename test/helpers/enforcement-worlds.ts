/**
 * Changes to fake worlds for the enforcement tests: nodes that already carry
 * their pool's tag, VMs that are no pool's node (tampered, or born with our
 * keys), pools in a second compartment, and the edits another writer or OKE
 * makes while the function runs (a changed tag, a renamed or resized pool).
 * Each works on a {@link World}, before a fake loads it or on `api.world`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorld, type World, type WorldInstance, type WorldNodePool } from '../../src/local/world';
import { buildWorld, fakeOcid, type BuildWorldOptions, NODEPOOL_TAG_KEY, NODEPOOL_TAG_NAMESPACE, nodeInstanceAt, poolAt } from './worlds';

/** The defined tags a VM starts with besides ours: a tenancy default tag and a cost-centre tag, both to be kept. */
export const OTHER_DEFINED_TAGS = Object.freeze({
  'Oracle-Tags': { CreatedBy: 'ocid1.user.oc1..aaaaaaaaexampleoperator', CreatedOn: '2026-10-02T08:15:00.000Z' },
  finance: { costcenter: 'cc-1042' },
});

/** A creation time `minutes` before now, as OCI writes `timeCreated`. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

/** Our key set to `value`, as a defined-tags namespace entry. */
export function ourTag(value: string): Record<string, Record<string, string>> {
  return { [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: value } };
}

/** One of our keys' value (the pool key by default) on the instance as it is now, if any. */
export function ourValueOf(instance: WorldInstance | undefined, key = NODEPOOL_TAG_KEY): unknown {
  return instance?.definedTags[NODEPOOL_TAG_NAMESPACE]?.[key];
}

/** A world built by {@link buildWorld} whose every node already carries its pool's name, as after a first run. */
export function taggedWorld(options: BuildWorldOptions = {}): World {
  const world = buildWorld(options);
  for (const pool of world.nodePools) {
    for (const node of pool.nodes) setOurValue(instanceOf(world, node.id), pool.name);
  }
  return world;
}

/** The cluster key the `cluster_tag_name` tests configure; {@link clusterTaggedWorld} declares it. */
export const CLUSTER_TAG_KEY = 'oke-cluster-name';

/** Like {@link taggedWorld}, with the cluster key declared and every node carrying its cluster's name too. */
export function clusterTaggedWorld(options: Omit<BuildWorldOptions, 'tagNamespaces'> = {}): World {
  const world = taggedWorld({
    ...options,
    tagNamespaces: { [NODEPOOL_TAG_NAMESPACE]: { keys: [NODEPOOL_TAG_KEY, CLUSTER_TAG_KEY], retired: false } },
  });
  for (const pool of world.nodePools) {
    const cluster = world.clusters.find((candidate) => candidate.id === pool.clusterId);
    for (const node of nodesOf(world, pool)) setOurValue(node, cluster?.name ?? '', CLUSTER_TAG_KEY);
  }
  return world;
}

/** Sets one of our keys (the pool key by default) on the instance, keeping every other tag (what another writer, or a tamperer, does). */
export function setOurValue(instance: WorldInstance, value: string, key = NODEPOOL_TAG_KEY): void {
  const ours = instance.definedTags[NODEPOOL_TAG_NAMESPACE] ?? {};
  instance.definedTags = { ...instance.definedTags, [NODEPOOL_TAG_NAMESPACE]: { ...ours, [key]: value } };
}

export interface LooseVmOptions {
  /** Makes the OCID unique. */
  readonly seed: string;
  readonly compartmentId: string;
  /** Our key's value; absent: the VM carries none of our keys. */
  readonly ourValue?: string;
  /** `oke-*` metadata copied from a real node, as an impostor would set it; absent: none. */
  readonly okeMetadataOf?: WorldInstance;
  /** Default: created two days ago. */
  readonly timeCreated?: string;
}

/** Adds a VM that no node pool lists, with {@link OTHER_DEFINED_TAGS} (declared in the catalogue) and a freeform tag, and returns it. */
export function addLooseVm(world: World, options: LooseVmOptions): WorldInstance {
  const metadata = Object.fromEntries(Object.entries(options.okeMetadataOf?.metadata ?? {}).filter(([key]) => key.startsWith('oke-')));
  const vm: WorldInstance = {
    id: fakeOcid('instance', `loose/${options.seed}`),
    compartmentId: options.compartmentId,
    displayName: `vm-${options.seed}`,
    availabilityDomain: 'Uocm:US-ASHBURN-AD-1',
    faultDomain: 'FAULT-DOMAIN-2',
    lifecycleState: 'RUNNING',
    shape: 'VM.Standard.E4.Flex',
    region: 'iad',
    timeCreated: options.timeCreated ?? minutesAgo(2 * 24 * 60),
    metadata: { ssh_authorized_keys: 'ssh-ed25519 AAAAC3Nza... opc@example', ...metadata },
    definedTags: { ...structuredClone(OTHER_DEFINED_TAGS), ...(options.ourValue === undefined ? {} : ourTag(options.ourValue)) },
    freeformTags: { team: 'data' },
  };
  world.instances.push(vm);
  world.tagNamespaces['finance'] ??= { keys: ['costcenter'], retired: false };
  return vm;
}

/**
 * Adds `count` new nodes to the pool, as a scale-up does: instances created
 * minutes ago with OKE's metadata and none of our keys, listed by the pool.
 */
export function scaleUp(world: World, poolIndex: number, count: number): WorldInstance[] {
  const pool = poolAt(world, poolIndex);
  const template = nodeInstanceAt(world, poolIndex, 0);
  return Array.from({ length: count }, (_, index) => {
    const slot = pool.nodes.length;
    const instance: WorldInstance = {
      ...structuredClone(template),
      id: fakeOcid('instance', `${pool.id}/scaled-${slot}`),
      displayName: `oke-${pool.id.slice(-11)}-${slot}`,
      timeCreated: minutesAgo(3 + index),
      metadata: { ...template.metadata, 'oke-slot': String(slot) },
      definedTags: { 'Oracle-Tags': { CreatedBy: 'oke-service', CreatedOn: minutesAgo(3 + index) } },
    };
    world.instances.push(instance);
    pool.nodes.push({ id: instance.id, name: instance.displayName, lifecycleState: 'ACTIVE' });
    return instance;
  });
}

/**
 * Adds to `world` the clusters and pools of a world built with `seed` in
 * `poolCompartmentId`, with their nodes' instances in `instanceCompartmentId`:
 * pools another team keeps in a compartment a scan may leave out.
 */
export function addPoolsElsewhere(
  world: World,
  options: { readonly seed: string; readonly poolCompartmentId: string; readonly instanceCompartmentId: string; readonly pools?: number },
): WorldNodePool[] {
  const other = taggedWorld({ seed: options.seed, compartmentId: options.poolCompartmentId, pools: options.pools ?? 1 });
  for (const instance of other.instances) instance.compartmentId = options.instanceCompartmentId;
  world.clusters.push(...other.clusters);
  world.nodePools.push(...other.nodePools);
  world.instances.push(...other.instances);
  return other.nodePools;
}

/** The instance with `id`; throws instead of returning undefined so tests stay short. */
export function instanceOf(world: World, id: string): WorldInstance {
  const found = world.instances.find((instance) => instance.id === id);
  if (found === undefined) throw new Error(`world has no instance ${id}`);
  return found;
}

/** The instances behind a pool's listed nodes. */
export function nodesOf(world: World, pool: WorldNodePool): WorldInstance[] {
  return pool.nodes.map((node) => instanceOf(world, node.id));
}

/** The demo tenancy of examples/world.json: its node pools in one compartment, their instances in another. */
export function exampleWorld(): World {
  return parseWorld(JSON.parse(readFileSync(join(__dirname, '../../examples/world.json'), 'utf8')), 'examples/world.json');
}

/** Where the demo tenancy keeps its node pools and clusters. */
export const EXAMPLE_POOLS_COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaaexampleclusterscompartment000000000000000000000';
/** Where the demo tenancy keeps its instances. */
export const EXAMPLE_WORKERS_COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000';
