/**
 * The dynamic groups of the plan: one per usable node pool (matched by the
 * pool-name tag, and by the cluster tag where pool names collide), one per
 * cluster when a cluster tag is configured, and the function's own group.
 */
import { buildName, disambiguate } from './names';
import { instanceCompartments, unique, type DynamicGroupPlan, type IamInput, type PoolFact } from './model';
import { iamString } from './quote';
import type { ScreenedPools } from './screen';

/** The planned groups, each kind apart, and the warnings planning them raised. */
export interface PlannedGroups {
  readonly functionGroup: DynamicGroupPlan;
  readonly poolGroups: readonly DynamicGroupPlan[];
  readonly clusterGroups: readonly DynamicGroupPlan[];
  readonly warnings: readonly string[];
}

/** A rule admitting instances of `compartments` that carry every one of `tags`. */
function compartmentRule(compartments: readonly string[], tags: readonly string[]): string {
  const all = (id: string) => `All {instance.compartment.id = ${iamString(id)}, ${tags.join(', ')}}`;
  if (compartments.length === 1) return all(compartments[0] as string);
  // Nodes spread over several compartments: one All {…} per compartment, any of which admits the node.
  return `Any {${compartments.map(all).join(', ')}}`;
}

function withoutKey<T extends { readonly key: string }>({ key: _key, ...rest }: T): Omit<T, 'key'> {
  return rest;
}

function poolGroups(input: IamInput, screened: ScreenedPools): DynamicGroupPlan[] {
  return disambiguate(
    screened.usable.map((pool) => {
      const qualify = screened.collidingIds.has(pool.id);
      const compartments = instanceCompartments(pool);
      const tags = [`tag.${input.tagNamespace}.${input.tagName}.value = ${iamString(pool.name)}`];
      if (qualify && input.clusterTagName !== undefined)
        tags.push(`tag.${input.tagNamespace}.${input.clusterTagName}.value = ${iamString(pool.clusterName)}`);
      const notes: string[] = [];
      if (pool.nodeCompartmentIds.length === 0)
        notes.push("no node could be looked at: assumed the instances live in the node pool's compartment");
      if (compartments.length > 1) notes.push(`nodes found in ${compartments.length} compartments: the rule admits any of them`);
      return {
        key: pool.id,
        kind: 'pool' as const,
        name: buildName(`${input.namePrefix}-pool`, qualify ? [pool.clusterName, pool.name] : [pool.name]),
        description: `Nodes of OKE node pool ${pool.id} (cluster ${pool.clusterId}), matched by the tag oke-nodepool-tagger writes`,
        matchingRule: compartmentRule(compartments, tags),
        about: {
          poolName: pool.name,
          poolId: pool.id,
          clusterName: pool.clusterName,
          clusterId: pool.clusterId,
          compartmentIds: compartments,
        },
        qualifiedByCluster: qualify,
        notes,
      };
    }),
  ).map(withoutKey);
}

function clusterGroups(input: IamInput, usable: readonly PoolFact[], clusterTagName: string): DynamicGroupPlan[] {
  return disambiguate(
    [...new Map(usable.map((pool) => [pool.clusterId, pool])).values()]
      .sort((a, b) => a.clusterName.localeCompare(b.clusterName, 'en') || a.clusterId.localeCompare(b.clusterId))
      .map((sample) => {
        const compartments = unique(usable.filter((pool) => pool.clusterId === sample.clusterId).flatMap(instanceCompartments));
        const tag = `tag.${input.tagNamespace}.${clusterTagName}.value = ${iamString(sample.clusterName)}`;
        return {
          key: sample.clusterId,
          kind: 'cluster' as const,
          name: buildName(`${input.namePrefix}-cluster`, [sample.clusterName]),
          description: `Nodes of every node pool of OKE cluster ${sample.clusterId}, matched by the tag oke-nodepool-tagger writes`,
          matchingRule: compartmentRule(compartments, [tag]),
          about: { clusterName: sample.clusterName, clusterId: sample.clusterId, compartmentIds: compartments },
          qualifiedByCluster: false,
          notes: [] as string[],
        };
      }),
  ).map(withoutKey);
}

/** One warning per cluster name that several clusters share: their cluster groups overlap. */
function sharedClusterNameWarnings(groups: readonly DynamicGroupPlan[]): string[] {
  const clustersByName = new Map<string, number>();
  for (const group of groups) {
    const key = (group.about.clusterName ?? '').toLowerCase();
    clustersByName.set(key, (clustersByName.get(key) ?? 0) + 1);
  }
  const warnings: string[] = [];
  for (const group of groups) {
    const count = clustersByName.get((group.about.clusterName ?? '').toLowerCase()) ?? 0;
    if (count > 1 && group.about.clusterName !== undefined && clustersByName.delete(group.about.clusterName.toLowerCase())) {
      warnings.push(
        `cluster name ${JSON.stringify(group.about.clusterName)} is used by ${count} clusters: each of their cluster groups also admits the other clusters' nodes that share an instance compartment.`,
      );
    }
  }
  return warnings;
}

function functionGroup(input: IamInput): DynamicGroupPlan {
  const rule = [
    `resource.type = 'fnfunc'`,
    `resource.compartment.id = ${iamString(input.functionCompartmentId)}`,
    ...(input.functionId ? [`resource.id = ${iamString(input.functionId)}`] : []),
  ];
  return {
    kind: 'function',
    name: `${input.namePrefix}-nodepool-tagger-fn`,
    description: input.functionId
      ? `The oke-nodepool-tagger function ${input.functionId}`
      : `OCI Functions in compartment ${input.functionCompartmentId} (add --function-id to narrow this to the tagger)`,
    matchingRule: `ALL {${rule.join(', ')}}`,
    about: { compartmentIds: [input.functionCompartmentId] },
    qualifiedByCluster: false,
    notes: input.functionId
      ? []
      : [
          "without --function-id every function in the compartment gets the tagger's rights; pass --function-id once the function is deployed",
        ],
  };
}

/** How the warning about a missing --function-id begins (it does not apply where the function's group is built elsewhere). */
export const NO_FUNCTION_ID_WARNING = 'no --function-id:';

/** Plans the function's, the pools' and (with a cluster tag) the clusters' dynamic groups. */
export function planDynamicGroups(input: IamInput, screened: ScreenedPools): PlannedGroups {
  const clusters = input.clusterTagName === undefined ? [] : clusterGroups(input, screened.usable, input.clusterTagName);
  const warnings = sharedClusterNameWarnings(clusters);
  if (!input.functionId)
    warnings.push(
      `${NO_FUNCTION_ID_WARNING} the function's dynamic group admits EVERY function in compartment ${input.functionCompartmentId}. Re-run with --function-id after "fn deploy".`,
    );
  return { functionGroup: functionGroup(input), poolGroups: poolGroups(input, screened), clusterGroups: clusters, warnings };
}
