/**
 * Screening of the pool facts before any group is planned: pools whose names
 * collide across clusters (refused without a cluster tag, qualified by it
 * with one), and pools whose names cannot be quoted or that no tag can tell
 * apart (refused, or skipped with --skip-unsafe-names).
 */
import { PoolNameCollisionError, UnrepresentableNameError } from './errors';
import { instanceCompartments, type IamInput, type PoolFact, type SkippedPool } from './model';
import { iamValueProblem } from './quote';

/** The pools that get a dynamic group, and what screening found on the way. */
export interface ScreenedPools {
  /** Pools that get a dynamic group, sorted by pool name, cluster name and OCID. */
  readonly usable: readonly PoolFact[];
  readonly skipped: readonly SkippedPool[];
  /** Usable pools that share their name with another: their rules also match the cluster tag. */
  readonly collidingIds: ReadonlySet<string>;
  /** Warnings on the skipped and the colliding pools, in that order. */
  readonly warnings: readonly string[];
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

/** Throws {@link PoolNameCollisionError} when pool names collide and no cluster tag can tell the pools apart. */
function refuseUnqualifiedCollisions(pools: readonly PoolFact[], clusterTagName: string | undefined): void {
  const collisions = collidingNames(pools);
  if (collisions.length === 0 || clusterTagName !== undefined) return;
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

function problemOf(pool: PoolFact, problem: string): SkippedPool {
  return { poolId: pool.id, poolName: pool.name, clusterName: pool.clusterName, problem };
}

/** Pools whose pool name (or, with a cluster tag, cluster name) cannot be quoted in a matching rule. */
function unquotablePools(pools: readonly PoolFact[], clusterTagName: string | undefined): SkippedPool[] {
  return pools.flatMap((pool) => {
    const poolProblem = iamValueProblem(pool.name);
    if (poolProblem !== undefined) return [problemOf(pool, `the node pool name cannot be used in a matching rule: ${poolProblem}`)];
    const clusterProblem = clusterTagName !== undefined ? iamValueProblem(pool.clusterName) : undefined;
    if (clusterProblem !== undefined) return [problemOf(pool, `the cluster name cannot be used in a matching rule: ${clusterProblem}`)];
    return [];
  });
}

/** Pools that no tag can tell apart: the same pool name, cluster name and instance compartments. */
function indistinguishablePools(pools: readonly PoolFact[], bad: Set<string>): SkippedPool[] {
  const problems: SkippedPool[] = [];
  const identity = (pool: PoolFact) =>
    JSON.stringify([pool.name.toLowerCase(), pool.clusterName.toLowerCase(), instanceCompartments(pool)]);
  const seen = new Map<string, PoolFact>();
  for (const pool of pools.filter((candidate) => !bad.has(candidate.id))) {
    const twin = seen.get(identity(pool));
    if (twin === undefined) {
      seen.set(identity(pool), pool);
      continue;
    }
    for (const member of [twin, pool]) {
      if (bad.has(member.id)) continue;
      problems.push(
        problemOf(
          member,
          `pools ${twin.id} and ${pool.id} have the same pool name, the same cluster name and the same instance compartment, so no tag can tell their nodes apart; rename one pool or one cluster`,
        ),
      );
      bad.add(member.id);
    }
  }
  return problems;
}

/** Refuses the pools (or collects skipped ones) whose names cannot be quoted or told apart. */
function screenNames(pools: readonly PoolFact[], input: IamInput): { usable: PoolFact[]; skipped: SkippedPool[] } {
  const problems = unquotablePools(pools, input.clusterTagName);
  const bad = new Set(problems.map((problem) => problem.poolId));
  problems.push(...indistinguishablePools(pools, bad));
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
  return { usable: pools.filter((pool) => !bad.has(pool.id)), skipped: problems };
}

/**
 * Screens the input's pools. Throws {@link PoolNameCollisionError} when pool
 * names collide and no cluster tag is configured, and
 * {@link UnrepresentableNameError} for names that cannot be written safely
 * (unless `skipUnsafeNames`).
 */
export function screenPools(input: IamInput): ScreenedPools {
  const sorted = [...input.pools].sort(
    (a, b) => a.name.localeCompare(b.name, 'en') || a.clusterName.localeCompare(b.clusterName, 'en') || a.id.localeCompare(b.id),
  );
  refuseUnqualifiedCollisions(sorted, input.clusterTagName);
  const { usable, skipped } = screenNames(sorted, input);
  const warnings = skipped.map(
    (problem) =>
      `SKIPPED node pool ${JSON.stringify(problem.poolName)} (${problem.poolId}) in cluster ${JSON.stringify(problem.clusterName)}: ${problem.problem}. Its nodes get no dynamic group.`,
  );
  const collisions = collidingNames(usable);
  for (const group of collisions) {
    warnings.push(
      `node pool name ${JSON.stringify(group[0]?.name)} is used in ${group.length} clusters (${group.map((pool) => JSON.stringify(pool.clusterName)).join(', ')}): ` +
        `their rules also match the cluster tag ${input.tagNamespace}.${input.clusterTagName ?? '?'}. The function must write that tag (config key cluster_tag_name=${input.clusterTagName ?? '?'}), or these groups stay empty.`,
    );
  }
  return { usable, skipped, collidingIds: new Set(collisions.flat().map((pool) => pool.id)), warnings };
}
