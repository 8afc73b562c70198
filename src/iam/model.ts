/**
 * The values of the IAM generator: what discovery found about each node pool
 * (the input) and the plan of dynamic groups, policies, Events rules and the
 * scheduled reconcile (the output), plus the facts about a pool that every
 * planning step reads.
 */
import type { PoolProblem } from './errors';

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
  /** The scheduled reconcile: `'none'` leaves it out; absent means hourly with the default detached timeout. */
  readonly reconcileSchedule?: ReconcileScheduleSettings | 'none';
}

/** How often the scheduled reconcile runs, and how long each detached run may take. */
export interface ReconcileScheduleSettings {
  /** A five-field cron expression, UTC. */
  readonly cron: string;
  readonly detachedTimeoutSeconds: number;
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

/** The body the schedule sends: a reconcile request that applies and prunes. */
export interface ReconcileBody {
  readonly action: 'reconcile';
  readonly poolCompartmentIds: readonly string[];
  readonly instanceCompartmentIds: readonly string[];
  readonly apply: true;
  readonly prune: true;
}

/**
 * The scheduled reconcile: an OCI Resource Scheduler schedule that invokes
 * the function (always detached) with {@link ReconcileBody}, the dynamic
 * group that is the schedule's principal, the policy that lets it invoke the
 * function, and the function's detached timeout.
 */
export interface ReconcileSchedulePlan {
  readonly name: string;
  /** Where the schedule lives: the function's compartment. */
  readonly compartmentId: string;
  readonly description: string;
  readonly cron: string;
  /** The shortest gap between two runs; the detached timeout is below it. */
  readonly intervalSeconds: number;
  readonly detachedTimeoutSeconds: number;
  readonly body: ReconcileBody;
  readonly bodyJson: string;
  /** The schedule's dynamic group; its matching rule names the schedule's OCID, known only once it exists. */
  readonly group: { readonly name: string; readonly description: string };
  readonly policy: PolicyPlan;
  /** False without --function-id: the output shows the schedule commented out. */
  readonly enabled: boolean;
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
  /** Absent with `--reconcile-schedule none`. */
  readonly reconcileSchedule: ReconcileSchedulePlan | undefined;
  /** Commented-out examples of grants for the pool groups (never applied). */
  readonly examples: readonly string[];
  /** Statements showing how to keep others from using the tag namespace (never applied). */
  readonly restrictionExamples: readonly string[];
  /** Loud warnings: collisions handled, pools skipped, assumptions made. */
  readonly warnings: readonly string[];
  readonly skipped: readonly SkippedPool[];
}

/** The distinct values, sorted. */
export function unique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Compartments the pool's instances live in: the nodes' when known, otherwise the pool's own. */
export function instanceCompartments(pool: PoolFact): readonly string[] {
  return pool.nodeCompartmentIds.length > 0 ? unique(pool.nodeCompartmentIds) : [pool.compartmentId];
}
