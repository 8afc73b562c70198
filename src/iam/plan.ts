/**
 * The IAM plan: from the node pools found in the scope to the exact dynamic
 * groups, policies and Events rules a least-privilege setup needs. Pure:
 * the renderers turn one plan into a bash script or Terraform, and the CLI
 * supplies the facts.
 */
import { LAUNCH_EVENT_TYPE } from '../event/event-types';
import { PoolNameCollisionError, UnrepresentableNameError, type PoolProblem } from './errors';
import { buildName, disambiguate, isValidName, shortHash } from './names';
import { iamString, iamValueProblem } from './quote';
import { checkMatchingRule, checkPolicyStatement } from './validate';

/** What discovery found about one node pool. */
export interface PoolFact {
  readonly id: string;
  readonly name: string;
  readonly clusterId: string;
  readonly clusterName: string;
  /** The pool's own compartment (where ListNodePools found it). */
  readonly compartmentId: string;
  /** Compartments of the instances behind its nodes; empty when no node could be looked at. */
  readonly nodeCompartmentIds: readonly string[];
}

export interface IamInput {
  readonly tagNamespace: string;
  readonly tagName: string;
  readonly clusterTagName: string | undefined;
  /** The scope searched (`--compartment`), also the function's `compartment_id`. */
  readonly compartmentIds: readonly string[];
  readonly functionId: string | undefined;
  readonly functionCompartmentId: string;
  /** Compartment holding the tag namespace; undefined means the tenancy (root). */
  readonly tagNamespaceCompartmentId: string | undefined;
  readonly identityDomain: string | undefined;
  /** First segment of every generated name, e.g. `oke`. */
  readonly namePrefix: string;
  /** Leave out pools whose names cannot be written safely, with a warning, instead of refusing. */
  readonly skipUnsafeNames: boolean;
  readonly pools: readonly PoolFact[];
}

export type DynamicGroupKind = 'function' | 'pool' | 'cluster';

export interface DynamicGroupPlan {
  readonly kind: DynamicGroupKind;
  readonly name: string;
  readonly description: string;
  readonly matchingRule: string;
  /** What the group stands for, for comments: the raw pool/cluster name and OCIDs. */
  readonly about: {
    readonly poolName?: string;
    readonly poolId?: string;
    readonly clusterName?: string;
    readonly clusterId?: string;
    readonly compartmentIds: readonly string[];
  };
  readonly qualifiedByCluster: boolean;
  /** Notes for the reader, e.g. "no nodes: assumed the pool's compartment". */
  readonly notes: readonly string[];
}

export interface PolicyPlan {
  readonly name: string;
  readonly description: string;
  readonly statements: readonly string[];
}

export interface EventsRulePlan {
  readonly name: string;
  readonly compartmentId: string;
  readonly description: string;
  /** The rule's condition as an object; `conditionJson` is its exact text. */
  readonly condition: { readonly eventType: readonly string[]; readonly data: { readonly compartmentId: readonly string[] } };
  readonly conditionJson: string;
}

export type SkippedPool = PoolProblem;

export interface IamPlan {
  readonly tagNamespace: string;
  readonly tagNamespaceCompartmentId: string | undefined;
  /** Keys to create in the namespace: the pool key and, when set, the cluster key. */
  readonly tagKeys: readonly string[];
  readonly identityDomain: string | undefined;
  readonly functionId: string | undefined;
  readonly functionCompartmentId: string;
  readonly compartmentIds: readonly string[];
  readonly dynamicGroups: readonly DynamicGroupPlan[];
  readonly policies: readonly PolicyPlan[];
  readonly eventsRules: readonly EventsRulePlan[];
  /** Commented-out examples of grants for the pool groups (never applied). */
  readonly examples: readonly string[];
  /** Statements showing how to keep others from using the tag namespace (never applied). */
  readonly restrictionExamples: readonly string[];
  /** Loud warnings: collisions handled, pools skipped, assumptions made. */
  readonly warnings: readonly string[];
  readonly skipped: readonly SkippedPool[];
}

/** Where the Events→Functions policy statement comes from. */
export const EVENTS_POLICY_SOURCE =
  'Oracle docs "Events and IAM Policies", section "Allow the Events Service to Deliver Events to Action Resources" (https://docs.oracle.com/iaas/Content/Events/Concepts/eventspolicy.htm)';

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** `dynamic-group name` or `dynamic-group 'domain'/'name'`. */
export function dynamicGroupSubject(name: string, identityDomain: string | undefined): string {
  return identityDomain === undefined ? `dynamic-group ${name}` : `dynamic-group ${iamString(identityDomain)}/${iamString(name)}`;
}

function location(compartmentId: string | undefined): string {
  return compartmentId === undefined ? 'tenancy' : `compartment id ${compartmentId}`;
}

/** Compartments the pool's instances live in: the nodes' when known, otherwise the pool's own. */
function instanceCompartments(pool: PoolFact): readonly string[] {
  return pool.nodeCompartmentIds.length > 0 ? unique(pool.nodeCompartmentIds) : [pool.compartmentId];
}

/** Which pools share a name (case-insensitively), grouped; pools with a unique name are left out. */
function collidingNames(pools: readonly PoolFact[]): PoolFact[][] {
  const byName = new Map<string, PoolFact[]>();
  for (const pool of pools) {
    const key = pool.name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), pool]);
  }
  return [...byName.values()].filter((group) => group.length > 1);
}

function poolRule(pool: PoolFact, input: IamInput, qualify: boolean): string {
  const tags = [`tag.${input.tagNamespace}.${input.tagName}.value = ${iamString(pool.name)}`];
  if (qualify && input.clusterTagName !== undefined)
    tags.push(`tag.${input.tagNamespace}.${input.clusterTagName}.value = ${iamString(pool.clusterName)}`);
  const compartments = instanceCompartments(pool);
  if (compartments.length === 1) return `All {instance.compartment.id = ${iamString(compartments[0] as string)}, ${tags.join(', ')}}`;
  // Nodes spread over several compartments: one All {…} per compartment, any of which admits the node.
  return `Any {${compartments.map((id) => `All {instance.compartment.id = ${iamString(id)}, ${tags.join(', ')}}`).join(', ')}}`;
}

/** Refuses the input (or collects skipped pools) for names that cannot be quoted or told apart. */
function screenPools(input: IamInput): { usable: PoolFact[]; skipped: SkippedPool[] } {
  const problems: SkippedPool[] = [];
  for (const pool of input.pools) {
    const poolProblem = iamValueProblem(pool.name);
    const clusterProblem = input.clusterTagName !== undefined ? iamValueProblem(pool.clusterName) : undefined;
    if (poolProblem !== undefined)
      problems.push({
        poolId: pool.id,
        poolName: pool.name,
        clusterName: pool.clusterName,
        problem: `the node pool name cannot be used in a matching rule: ${poolProblem}`,
      });
    else if (clusterProblem !== undefined)
      problems.push({
        poolId: pool.id,
        poolName: pool.name,
        clusterName: pool.clusterName,
        problem: `the cluster name cannot be used in a matching rule: ${clusterProblem}`,
      });
  }
  const bad = new Set(problems.map((problem) => problem.poolId));
  const candidates = input.pools.filter((pool) => !bad.has(pool.id));
  // Two pools with the same pool name, same cluster name and same instance compartments cannot be told apart by any tag.
  const identity = (pool: PoolFact) =>
    JSON.stringify([pool.name.toLowerCase(), pool.clusterName.toLowerCase(), instanceCompartments(pool)]);
  const seen = new Map<string, PoolFact>();
  for (const pool of candidates) {
    const twin = seen.get(identity(pool));
    if (twin !== undefined) {
      for (const member of [twin, pool]) {
        if (!bad.has(member.id)) {
          problems.push({
            poolId: member.id,
            poolName: member.name,
            clusterName: member.clusterName,
            problem: `pools ${twin.id} and ${pool.id} have the same pool name, the same cluster name and the same instance compartment, so no tag can tell their nodes apart; rename one pool or one cluster`,
          });
          bad.add(member.id);
        }
      }
    } else seen.set(identity(pool), pool);
  }
  if (problems.length > 0 && !input.skipUnsafeNames) {
    const lines = problems.map(
      (problem) =>
        `  - node pool ${JSON.stringify(problem.poolName)} (${problem.poolId}) in cluster ${JSON.stringify(problem.clusterName)}: ${problem.problem}`,
    );
    throw new UnrepresentableNameError(
      problems,
      `${problems.length} node pool(s) cannot be given a safe dynamic group:\n${lines.join('\n')}\nRename them (IAM string literals have no escape for ' or \\), or pass --skip-unsafe-names to generate the setup for the other pools.`,
    );
  }
  return { usable: input.pools.filter((pool) => !bad.has(pool.id)), skipped: problems };
}

/**
 * Plans the setup. Throws {@link PoolNameCollisionError} when pool names
 * collide and no cluster tag is configured, and
 * {@link UnrepresentableNameError} for names that cannot be written safely
 * (unless `skipUnsafeNames`).
 */
export function planIam(input: IamInput): IamPlan {
  if (!isValidName(input.namePrefix)) throw new Error(`name prefix ${JSON.stringify(input.namePrefix)} breaks the naming rule`);
  const warnings: string[] = [];
  const sortedPools = [...input.pools].sort(
    (a, b) => a.name.localeCompare(b.name, 'en') || a.clusterName.localeCompare(b.clusterName, 'en') || a.id.localeCompare(b.id),
  );
  const collisions = collidingNames(sortedPools);
  if (collisions.length > 0 && input.clusterTagName === undefined) {
    const lines = collisions.map(
      (group) =>
        `  - ${group.map((pool) => `${JSON.stringify(pool.name)} in cluster ${JSON.stringify(pool.clusterName)} (${pool.id})`).join(', ')}`,
    );
    throw new PoolNameCollisionError(
      collisions.map((group) =>
        group.map((pool) => ({ poolId: pool.id, poolName: pool.name, clusterName: pool.clusterName, problem: 'name collision' })),
      ),
      `node pool names collide across clusters, so a rule on the pool-name tag alone would put their nodes into one dynamic group:\n${lines.join('\n')}\n` +
        "Fix: re-run with --cluster-tag-name oke-cluster-name (any key name), and set the function's cluster_tag_name config key to the same value so it writes that tag: " +
        'fn config function <app> oke-nodepool-tagger cluster_tag_name oke-cluster-name',
    );
  }
  const { usable, skipped } = screenPools({ ...input, pools: sortedPools });
  for (const problem of skipped)
    warnings.push(
      `SKIPPED node pool ${JSON.stringify(problem.poolName)} (${problem.poolId}) in cluster ${JSON.stringify(problem.clusterName)}: ${problem.problem}. Its nodes get no dynamic group.`,
    );
  const collidingIds = new Set(
    collidingNames(usable)
      .flat()
      .map((pool) => pool.id),
  );
  for (const group of collidingNames(usable)) {
    warnings.push(
      `node pool name ${JSON.stringify(group[0]?.name)} is used in ${group.length} clusters (${group.map((pool) => JSON.stringify(pool.clusterName)).join(', ')}): ` +
        `their rules also match the cluster tag ${input.tagNamespace}.${input.clusterTagName ?? '?'}. The function must write that tag (config key cluster_tag_name=${input.clusterTagName ?? '?'}), or these groups stay empty.`,
    );
  }

  const poolGroups = disambiguate(
    usable.map((pool) => {
      const qualify = collidingIds.has(pool.id);
      const compartments = instanceCompartments(pool);
      const notes: string[] = [];
      if (pool.nodeCompartmentIds.length === 0)
        notes.push("no node could be looked at: assumed the instances live in the node pool's compartment");
      if (compartments.length > 1) notes.push(`nodes found in ${compartments.length} compartments: the rule admits any of them`);
      return {
        key: pool.id,
        kind: 'pool' as const,
        name: buildName(`${input.namePrefix}-pool`, qualify ? [pool.clusterName, pool.name] : [pool.name]),
        description: `Nodes of OKE node pool ${pool.id} (cluster ${pool.clusterId}), matched by the tag oke-nodepool-tagger writes`,
        matchingRule: poolRule(pool, input, qualify),
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
  );

  const clusterGroups =
    input.clusterTagName === undefined
      ? []
      : disambiguate(
          [...new Map(usable.map((pool) => [pool.clusterId, pool])).values()]
            .sort((a, b) => a.clusterName.localeCompare(b.clusterName, 'en') || a.clusterId.localeCompare(b.clusterId))
            .map((sample) => {
              const compartments = unique(usable.filter((pool) => pool.clusterId === sample.clusterId).flatMap(instanceCompartments));
              const tag = `tag.${input.tagNamespace}.${input.clusterTagName}.value = ${iamString(sample.clusterName)}`;
              const rule =
                compartments.length === 1
                  ? `All {instance.compartment.id = ${iamString(compartments[0] as string)}, ${tag}}`
                  : `Any {${compartments.map((id) => `All {instance.compartment.id = ${iamString(id)}, ${tag}}`).join(', ')}}`;
              return {
                key: sample.clusterId,
                kind: 'cluster' as const,
                name: buildName(`${input.namePrefix}-cluster`, [sample.clusterName]),
                description: `Nodes of every node pool of OKE cluster ${sample.clusterId}, matched by the tag oke-nodepool-tagger writes`,
                matchingRule: rule,
                about: { clusterName: sample.clusterName, clusterId: sample.clusterId, compartmentIds: compartments },
                qualifiedByCluster: false,
                notes: [] as string[],
              };
            }),
        );
  const clustersByName = new Map<string, number>();
  for (const group of clusterGroups) {
    const key = (group.about.clusterName ?? '').toLowerCase();
    clustersByName.set(key, (clustersByName.get(key) ?? 0) + 1);
  }
  for (const group of clusterGroups) {
    const count = clustersByName.get((group.about.clusterName ?? '').toLowerCase()) ?? 0;
    if (count > 1 && group.about.clusterName !== undefined && clustersByName.delete(group.about.clusterName.toLowerCase())) {
      warnings.push(
        `cluster name ${JSON.stringify(group.about.clusterName)} is used by ${count} clusters: each of their cluster groups also admits the other clusters' nodes that share an instance compartment.`,
      );
    }
  }

  const functionRule = [
    `resource.type = 'fnfunc'`,
    `resource.compartment.id = ${iamString(input.functionCompartmentId)}`,
    ...(input.functionId ? [`resource.id = ${iamString(input.functionId)}`] : []),
  ];
  const functionGroup: DynamicGroupPlan = {
    kind: 'function',
    name: `${input.namePrefix}-nodepool-tagger-fn`,
    description: input.functionId
      ? `The oke-nodepool-tagger function ${input.functionId}`
      : `OCI Functions in compartment ${input.functionCompartmentId} (add --function-id to narrow this to the tagger)`,
    matchingRule: `ALL {${functionRule.join(', ')}}`,
    about: { compartmentIds: [input.functionCompartmentId] },
    qualifiedByCluster: false,
    notes: input.functionId
      ? []
      : [
          "without --function-id every function in the compartment gets the tagger's rights; pass --function-id once the function is deployed",
        ],
  };
  if (!input.functionId)
    warnings.push(
      `no --function-id: the function's dynamic group admits EVERY function in compartment ${input.functionCompartmentId}. Re-run with --function-id after "fn deploy".`,
    );

  const dynamicGroups: DynamicGroupPlan[] = [
    functionGroup,
    ...poolGroups.map(({ key: _key, ...group }) => group),
    ...clusterGroups.map(({ key: _key, ...group }) => group),
  ];
  const fnSubject = dynamicGroupSubject(functionGroup.name, input.identityDomain);

  const instanceCompartmentIds = usable.length > 0 ? unique(usable.flatMap(instanceCompartments)) : unique(input.compartmentIds);
  const clusterCompartmentIds = unique([...input.compartmentIds, ...usable.map((pool) => pool.compartmentId)]);
  const statements = [
    ...clusterCompartmentIds.map((id) => `Allow ${fnSubject} to read cluster-family in compartment id ${id}`),
    ...instanceCompartmentIds.map((id) => `Allow ${fnSubject} to read instances in compartment id ${id}`),
    ...instanceCompartmentIds.map(
      (id) => `Allow ${fnSubject} to use instances in compartment id ${id} where request.permission = 'INSTANCE_UPDATE'`,
    ),
    `Allow ${fnSubject} to use tag-namespaces in ${location(input.tagNamespaceCompartmentId)} where target.tag-namespace.name = ${iamString(input.tagNamespace)}`,
  ];
  const policies: PolicyPlan[] = [
    {
      name: `${input.namePrefix}-nodepool-tagger-fn`,
      description: 'Least privilege for oke-nodepool-tagger: read node pools and instances, update instances, use only its tag namespace',
      statements,
    },
    {
      name: `${input.namePrefix}-nodepool-tagger-events`,
      description: 'Lets the Events service invoke functions (oke-nodepool-tagger)',
      statements: [`Allow service cloudEvents to use functions-family in compartment id ${input.functionCompartmentId}`],
    },
  ];

  const eventsRules = instanceCompartmentIds.map((compartmentId) => {
    const condition = { eventType: [LAUNCH_EVENT_TYPE], data: { compartmentId: [compartmentId] } };
    return {
      name: `${input.namePrefix}-nodepool-tagger-launch`,
      compartmentId,
      description: 'Sends instance launches to oke-nodepool-tagger',
      condition,
      conditionJson: JSON.stringify(condition),
    };
  });

  const exampleGroup = poolGroups[0];
  const exampleCompartment = input.compartmentIds[0] ?? input.functionCompartmentId;
  const examples = exampleGroup
    ? [
        `Allow ${dynamicGroupSubject(exampleGroup.name, input.identityDomain)} to read repos in compartment id ${exampleCompartment}`,
        `Allow ${dynamicGroupSubject(exampleGroup.name, input.identityDomain)} to read objects in compartment id ${exampleCompartment} where target.bucket.name = 'my-app-bucket'`,
      ]
    : [];
  const restrictionExamples = [
    `Allow group TagAdmins to use tag-namespaces in ${location(input.tagNamespaceCompartmentId)} where target.tag-namespace.name = ${iamString(input.tagNamespace)}`,
    `Allow group Developers to use tag-namespaces in tenancy where target.tag-namespace.name != ${iamString(input.tagNamespace)}`,
  ];

  const plan: IamPlan = {
    tagNamespace: input.tagNamespace,
    tagNamespaceCompartmentId: input.tagNamespaceCompartmentId,
    tagKeys: [input.tagName, ...(input.clusterTagName !== undefined ? [input.clusterTagName] : [])],
    identityDomain: input.identityDomain,
    functionId: input.functionId,
    functionCompartmentId: input.functionCompartmentId,
    compartmentIds: input.compartmentIds,
    dynamicGroups,
    policies,
    eventsRules,
    examples,
    restrictionExamples,
    warnings,
    skipped,
  };
  assertValidPlan(plan);
  return plan;
}

/** The checker run over every rule and statement of a plan; returns all problems. */
export function checkPlan(plan: IamPlan): string[] {
  const problems: string[] = [];
  for (const group of plan.dynamicGroups) {
    if (!isValidName(group.name)) problems.push(`dynamic group name ${JSON.stringify(group.name)} breaks the naming rule`);
    problems.push(...checkMatchingRule(group.matchingRule));
  }
  for (const policy of plan.policies) {
    if (!isValidName(policy.name)) problems.push(`policy name ${JSON.stringify(policy.name)} breaks the naming rule`);
    for (const statement of policy.statements) problems.push(...checkPolicyStatement(statement));
  }
  for (const statement of [...plan.examples, ...plan.restrictionExamples]) problems.push(...checkPolicyStatement(statement));
  for (const rule of plan.eventsRules)
    if (!isValidName(rule.name)) problems.push(`events rule name ${JSON.stringify(rule.name)} breaks the naming rule`);
  return problems;
}

function assertValidPlan(plan: IamPlan): void {
  const problems = checkPlan(plan);
  if (problems.length > 0) throw new Error(`internal error: the generated IAM text is invalid:\n${problems.join('\n')}`);
}

/** A stable Terraform/bash-friendly label for a name: `[A-Za-z0-9_]`, unique among `taken`. */
export function resourceLabel(prefix: string, name: string, taken: Set<string>): string {
  let label = `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`.toLowerCase();
  if (taken.has(label)) label = `${label}_${shortHash(name)}`;
  taken.add(label);
  return label;
}
