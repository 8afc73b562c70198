/**
 * What `iam` would print for the deployment doctor found: the function's
 * least-privilege statements, the Events→Functions statement, the
 * function's and the pools' dynamic-group rules, and the compartments the
 * Events rules and the schedule must cover. doctor asks its questions from
 * this plan, so the list of permissions exists once, in `policies.ts`.
 */
import { PoolNameCollisionError } from './errors';
import { planDynamicGroups } from './groups';
import { instanceCompartments, unique, type IamInput, type PoolFact } from './model';
import { planPolicies } from './policies';
import { screenPools, type ScreenedPools } from './screen';
import type { DoctorFacts, WatchedCompartments } from './doctor-model';

export interface DoctorPlan {
  readonly watched: WatchedCompartments;
  /** `undefined` when GetFunction failed: then no check may guess it (a 404 still plans with the scope, to name a fix). */
  readonly functionCompartmentId: string | undefined;
  /** The statements of the function's policy, as `iam` prints them. */
  readonly functionStatements: readonly string[];
  /** The statement that lets the Events service invoke the function; `undefined` when the function's compartment is not known. */
  readonly eventsStatement: string | undefined;
  /** The function group's name and matching rule, as `iam` prints them. */
  readonly functionGroup: { readonly name: string; readonly matchingRule: string };
  /** The matching rule `iam` plans for each pool, by pool OCID. */
  readonly poolGroupRules: ReadonlyMap<string, string>;
}

const NAME_PREFIX = 'oke';

function screened(input: IamInput): ScreenedPools {
  try {
    return screenPools(input);
  } catch (error) {
    // Same-named pools without a cluster tag: the pool-group check reports the sharing; the grants are planned all the same.
    if (!(error instanceof PoolNameCollisionError)) throw error;
    return { usable: input.pools, skipped: [], collidingIds: new Set(), warnings: [] };
  }
}

/**
 * Where the pools' instances and the pools live, as `iam` subscribes its
 * Events rules and writes the schedule's body; the scope when there is no pool.
 */
export function watchedCompartments(pools: readonly PoolFact[], scope: readonly string[]): WatchedCompartments {
  if (pools.length === 0) return { instanceCompartmentIds: unique(scope), poolCompartmentIds: unique(scope) };
  return {
    instanceCompartmentIds: unique(pools.flatMap(instanceCompartments)),
    poolCompartmentIds: unique(pools.map((pool) => pool.compartmentId)),
  };
}

/** The plan for what doctor read; the scope stands for the pools when they could not be read. */
export function planForFacts(facts: DoctorFacts): DoctorPlan {
  const { settings } = facts;
  const pools: readonly PoolFact[] = facts.pools.ok ? facts.pools.value : [];
  const fn = facts.fn.ok ? facts.fn.value : undefined;
  const namespace = facts.tags.ok ? facts.tags.value.namespace : undefined;
  const known = facts.fn.ok;
  // The other statements and the groups do not name the function's compartment, so they are planned with a stand-in.
  const functionCompartmentId = fn?.compartmentId ?? settings.compartmentIds[0] ?? facts.iam.tree.tenancyId;
  const input: IamInput = {
    tagNamespace: settings.tagNamespace,
    tagName: settings.tagName,
    clusterTagName: settings.clusterTagName,
    compartmentIds: settings.compartmentIds,
    functionId: settings.functionId,
    functionCompartmentId,
    tagNamespaceCompartmentId:
      namespace === undefined || namespace.compartmentId === facts.iam.tree.tenancyId ? undefined : namespace.compartmentId,
    identityDomain: undefined,
    namePrefix: NAME_PREFIX,
    skipUnsafeNames: true,
    pools,
    reconcileSchedule: 'none',
  };
  const screen = screened(input);
  const groups = planDynamicGroups(input, screen);
  const grants = planPolicies(input, screen.usable, groups);
  // The function's statements may run over several policies (-fn, then -fn-2, … after the Events policy).
  const [functionPolicy, eventsPolicy, ...overflow] = grants.policies;
  const poolGroupRules = new Map<string, string>();
  for (const group of groups.poolGroups) if (group.about.poolId !== undefined) poolGroupRules.set(group.about.poolId, group.matchingRule);
  return {
    watched: watchedCompartments(pools, settings.compartmentIds),
    functionCompartmentId: known ? functionCompartmentId : undefined,
    functionStatements: [...(functionPolicy?.statements ?? []), ...overflow.flatMap((policy) => policy.statements)],
    eventsStatement: known ? (eventsPolicy?.statements[0] ?? '') : undefined,
    functionGroup: { name: groups.functionGroup.name, matchingRule: groups.functionGroup.matchingRule },
    poolGroupRules,
  };
}
