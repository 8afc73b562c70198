/**
 * The values of the IAM generator: what discovery found about each node pool
 * (the input) and the plan of dynamic groups, policies and Events rules (the
 * output), plus the facts about a pool that every planning step reads.
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

/** The distinct values, sorted. */
export function unique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Compartments the pool's instances live in: the nodes' when known, otherwise the pool's own. */
export function instanceCompartments(pool: PoolFact): readonly string[] {
  return pool.nodeCompartmentIds.length > 0 ? unique(pool.nodeCompartmentIds) : [pool.compartmentId];
}
