/**
 * The value `explain` answers with, and `--json` prints: one instance, its
 * verified pool and cluster, our tags expected against actual, what the
 * function would do now, the dynamic groups that match it (or would), and
 * the policy statements that name those groups. Every answer that rests on
 * a read that failed is `'unknown'`, never `false` and never "ok".
 */
import type { UnreadPart } from './tenancy-iam';

/** `true`, `false`, or `'unknown'` when a read failed or OCI's rule cannot be decided locally. */
export type Tri = boolean | 'unknown';

/** What the function would do now, for an `updateinstance` event. */
export type ExplainAction = 'tag' | 'fix' | 'remove' | 'report' | 'none' | 'unknown';

export interface ExplainedInstance {
  readonly id: string;
  readonly displayName: string | undefined;
  readonly compartmentId: string;
  /** The compartment's path of names (`root:apps:prod`), or its OCID when the tree does not hold it. */
  readonly compartmentPath: string;
  readonly lifecycleState: string | undefined;
  readonly timeCreated: string | undefined;
  /** The `oke-*` metadata the lookup starts from: hints, never proof. */
  readonly okeHints: {
    readonly nodePoolId: string | undefined;
    readonly clusterId: string | undefined;
    readonly hasOkeMetadata: boolean;
  };
}

/** The pool whose `nodes` list the instance: verified, not taken from the hints. */
export interface ExplainedNodePool {
  readonly id: string;
  readonly name: string;
  readonly compartmentId: string | undefined;
  readonly compartmentPath: string | undefined;
  readonly lifecycleState: string | undefined;
  /** `hint`: its oke-pool-id named the pool; `scan`: found by reading the pools of the searched compartments. */
  readonly foundVia: 'hint' | 'scan' | undefined;
}

export interface ExplainedCluster {
  readonly id: string;
  readonly name: string;
  readonly compartmentId: string | undefined;
  readonly compartmentPath: string | undefined;
}

/** Where a rule stopped parsing: 0-based `offset`, 1-based `line` and `column`. */
export interface RuleSyntaxProblem {
  readonly message: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface ExplainedDynamicGroup {
  readonly id: string;
  readonly name: string;
  /** The identity domain's name; `Default` for the classic IAM API's groups. */
  readonly domain: string;
  /** The rule as stored; `null` when the identity domain answered none. */
  readonly matchingRule: string | null;
  readonly lifecycleState: string | undefined;
  /** The rule against the instance as it is. */
  readonly matchesNow: Tri;
  /** The rule against the instance with our keys as the function would set them (or without them, for a proven non-member). */
  readonly matchesWhenCorrect: Tri;
  /** Why a match is unknown, when one is. */
  readonly unknownReason?: string;
  /** Set when the rule does not parse. */
  readonly ruleError?: RuleSyntaxProblem;
}

/**
 * How a statement was found to concern the node: `names-group`, it names one
 * of its groups; `any-principal`, an `any-user` or `any-group` statement
 * whose condition is absent, holds for an instance principal, or is not
 * evaluated; `domain-not-read`, it names a dynamic group that was not read
 * (of an identity domain not named or not listed, or an OCID no domain read
 * holds), which may be one of the node's; `not-parsed`, it did not parse
 * and its text names one of the node's groups, another domain's group, or
 * any-user / any-group. The last two make the answer incomplete.
 */
export type StatementBasis = 'names-group' | 'any-principal' | 'domain-not-read' | 'not-parsed';

export interface ExplainedStatement {
  readonly policyId: string;
  readonly policyName: string;
  /** The compartment the policy is attached to, which is where its `in compartment …` locations start. */
  readonly compartmentId: string;
  readonly compartmentPath: string;
  readonly statement: string;
  /**
   * The group the statement names, as policies write it (`name`, or `Domain/name` outside Default); `null` for
   * `any-user` and `any-group`, for a statement not parsed that names none of the node's groups, and for a group named by OCID that was not read.
   */
  readonly dynamicGroup: string | null;
  /** The group's OCID; `null` for `any-user` and `any-group`, and for a group named by name that was not read. */
  readonly dynamicGroupId: string | null;
  readonly basis: StatementBasis;
  /** Why it is listed when it does not simply name the group: `may apply; condition not evaluated`, why an any-user / any-group statement applies, `may apply; the group's domain was not read`, or the parse error. */
  readonly note?: string;
}

export interface ExplainResult {
  /** `'unknown'` when GetInstance failed. */
  readonly instance: ExplainedInstance | 'unknown';
  /** `null` when the instance is in no pool. */
  readonly nodePool: ExplainedNodePool | null | 'unknown';
  readonly cluster: ExplainedCluster | null | 'unknown';
  /** The enforcement membership rule's answer. */
  readonly member: Tri;
  readonly memberReason: string;
  /** The namespace our keys live in. */
  readonly tagNamespace: string;
  readonly expectedTags: Readonly<Record<string, string>> | 'unknown';
  readonly actualTags: Readonly<Record<string, unknown>> | 'unknown';
  readonly action: ExplainAction;
  readonly actionReason: string;
  readonly dynamicGroups: readonly ExplainedDynamicGroup[];
  readonly statements: readonly ExplainedStatement[];
  /** Reads that failed: every answer built on them is unknown or incomplete. */
  readonly unread: readonly UnreadPart[];
  /** What was not asked for and so not seen: identity domains not named (those statements name, by name), group OCIDs no domain read holds. */
  readonly notSeen: readonly string[];
  /** True when everything was read and decided. */
  readonly complete: boolean;
}
