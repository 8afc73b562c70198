/**
 * Reads a tenancy's Identity part into world-file shapes: the compartment
 * tree, the Default domain's dynamic groups, every compartment's policies and
 * the tag catalogue with its retired namespaces and keys, so that `explain`
 * and `doctor` can be replayed offline against the embedded fake.
 */
import { forEachConcurrently } from '../concurrency';
import { TaggerError } from '../errors';
import type { IdentityPort } from '../iam/access-model';
import type { World, WorldCompartment, WorldDynamicGroup, WorldPolicy, WorldTagNamespace } from '../local/world-types';

/** The Identity keys of a world file. */
export interface IdentitySnapshot {
  readonly tenancyId: string;
  readonly compartments: WorldCompartment[];
  readonly dynamicGroups: WorldDynamicGroup[];
  readonly policies: WorldPolicy[];
  /** The namespaces the credentials can list, with every key and which are retired. */
  readonly tagNamespaces: World['tagNamespaces'];
}

/** Policy and tag-key reads in flight at once. */
const CONCURRENCY = 4;

/**
 * Identity's models always carry a lifecycle state, so only a port that
 * leaves it out gives none; ACTIVE keeps the world file loadable.
 */
const stateOf = (state: string | undefined): string => state ?? 'ACTIVE';

/**
 * Reads the tenancy's compartments, dynamic groups, policies (of the tenancy
 * and of every compartment not deleted) and tag catalogue. A read that fails
 * fails the snapshot: a world missing a compartment's policies would replay
 * as "no grant", which is not what the tenancy says.
 */
export async function snapshotIdentity(identity: IdentityPort, tenancyId: string): Promise<IdentitySnapshot> {
  const compartments: WorldCompartment[] = (await identity.listCompartments(tenancyId)).map((compartment) => ({
    id: compartment.id,
    name: compartment.name,
    compartmentId: compartment.parentId,
    lifecycleState: stateOf(compartment.lifecycleState),
  }));
  const dynamicGroups: WorldDynamicGroup[] = (await identity.listDynamicGroups(tenancyId)).map((group) => {
    if (group.matchingRule === undefined) throw new TaggerError(`ListDynamicGroups answered ${group.id} without its matching rule`);
    return {
      id: group.id,
      name: group.name,
      matchingRule: group.matchingRule,
      compartmentId: group.compartmentId,
      lifecycleState: stateOf(group.lifecycleState),
    };
  });

  const policyCompartments = [tenancyId, ...compartments.filter((c) => c.lifecycleState !== 'DELETED').map((c) => c.id)];
  const policiesOf: WorldPolicy[][] = policyCompartments.map(() => []);
  await forEachConcurrently(policyCompartments, CONCURRENCY, async (compartmentId, index) => {
    policiesOf[index] = (await identity.listPolicies(compartmentId)).map((policy) => ({
      id: policy.id,
      name: policy.name,
      compartmentId: policy.compartmentId,
      statements: [...policy.statements],
      lifecycleState: stateOf(policy.lifecycleState),
    }));
  });

  const namespaces = await identity.listTagNamespaces(tenancyId);
  const catalogue: World['tagNamespaces'] = {};
  const entries: WorldTagNamespace[] = namespaces.map(() => ({ keys: [], retired: false }));
  await forEachConcurrently(namespaces, CONCURRENCY, async (namespace, index) => {
    const keys = await identity.listTagKeys(namespace.id);
    const retiredKeys = keys.filter((key) => key.isRetired).map((key) => key.name);
    entries[index] = {
      keys: keys.map((key) => key.name),
      ...(retiredKeys.length > 0 ? { retiredKeys } : {}),
      retired: namespace.isRetired,
    };
  });
  namespaces.forEach((namespace, index) => {
    catalogue[namespace.name] = entries[index] ?? { keys: [], retired: namespace.isRetired };
  });

  return { tenancyId, compartments, dynamicGroups, policies: policiesOf.flat(), tagNamespaces: catalogue };
}
