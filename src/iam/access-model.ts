/**
 * The reads `explain` and `doctor` make beyond the enforcement ports:
 * Identity (compartments, dynamic groups, policies, the tag catalogue),
 * identity domains, Events, Functions and Resource Scheduler. Adapters in
 * `src/oci/access-adapters.ts` and `src/oci/identity-domain-adapter.ts` implement them with the OCI SDK; tests
 * implement them in memory (`test/helpers/memory-access-ports.ts`). Nothing
 * here imports an `oci-*` type.
 *
 * Every list follows every page. A read the caller may not make throws
 * `OciCallError` (404 NotAuthorizedOrNotFound or 401/403), naming the
 * operation and the OCID, so the caller can say which grant it lacks.
 */
import type { DefinedTags, Ports } from '../tagging/model';

export interface CompartmentInfo {
  readonly id: string;
  readonly name: string;
  /** The parent compartment (`compartmentId` in the API); the tenancy for a top-level compartment. */
  readonly parentId: string;
  readonly lifecycleState?: string | undefined;
}

export interface DynamicGroupInfo {
  readonly id: string;
  readonly name: string;
  /** The rule as stored; `undefined` when the API answered null (identity domains may), which makes the group unknown. */
  readonly matchingRule: string | undefined;
  readonly compartmentId: string;
  readonly lifecycleState?: string | undefined;
  /** The identity domain's display name; `undefined` for the Default domain (the classic IAM API). */
  readonly domain?: string | undefined;
}

export interface PolicyInfo {
  readonly id: string;
  readonly name: string;
  readonly compartmentId: string;
  readonly statements: readonly string[];
  readonly lifecycleState?: string | undefined;
}

export interface TagKeyInfo {
  readonly name: string;
  readonly isRetired: boolean;
}

export interface TagNamespaceInfo {
  readonly id: string;
  readonly name: string;
  readonly compartmentId: string;
  readonly isRetired: boolean;
  readonly lifecycleState?: string | undefined;
}

export interface EventRuleActionInfo {
  readonly actionType: string;
  readonly functionId?: string | undefined;
  readonly isEnabled: boolean;
}

export interface EventRuleInfo {
  readonly id: string;
  readonly displayName: string;
  readonly compartmentId: string;
  /** The rule's condition: a JSON string, as the API stores it. */
  readonly condition: string;
  readonly isEnabled: boolean;
  readonly lifecycleState?: string | undefined;
  /** The rule's actions; `undefined` in a summary (ListRules does not return them). */
  readonly actions?: readonly EventRuleActionInfo[] | undefined;
}

export interface FunctionInfo {
  readonly id: string;
  readonly displayName: string;
  readonly applicationId: string;
  readonly compartmentId: string;
  readonly config: Readonly<Record<string, string>>;
  readonly lifecycleState?: string | undefined;
  readonly timeoutInSeconds?: number | undefined;
  readonly detachedModeTimeoutInSeconds?: number | undefined;
  readonly definedTags?: DefinedTags | undefined;
}

export interface ScheduleResourceInfo {
  readonly id: string;
  /** The `BODY` parameter's value, when the schedule passes one. */
  readonly body?: string | undefined;
}

export interface ScheduleInfo {
  readonly id: string;
  readonly displayName: string;
  readonly compartmentId: string;
  /** `START_RESOURCE` or `STOP_RESOURCE`. */
  readonly action: string;
  /** `CRON` or `ICAL`. */
  readonly recurrenceType: string;
  readonly recurrenceDetails: string;
  readonly lifecycleState?: string | undefined;
  readonly resources: readonly ScheduleResourceInfo[];
}

/** The Identity API (classic IAM: the Default domain) as `explain` and `doctor` see it. */
export interface IdentityPort {
  /** The tenancy's compartments below the root (ListCompartments, `compartmentIdInSubtree`, `accessLevel=ANY`), every state. */
  listCompartments(tenancyId: string): Promise<CompartmentInfo[]>;
  /** The Default domain's dynamic groups (ListDynamicGroups on the tenancy). */
  listDynamicGroups(tenancyId: string): Promise<DynamicGroupInfo[]>;
  /** The policies attached to one compartment (ListPolicies). */
  listPolicies(compartmentId: string): Promise<PolicyInfo[]>;
  /** The tag namespaces of the tenancy and its compartments (ListTagNamespaces, `includeSubcompartments`). */
  listTagNamespaces(tenancyId: string): Promise<TagNamespaceInfo[]>;
  /** The keys of one namespace (ListTags). */
  listTagKeys(tagNamespaceId: string): Promise<TagKeyInfo[]>;
}

/** One identity domain's dynamic resource groups (SCIM), read with their matching rules. */
export interface IdentityDomainPort {
  /** The domain's display name, as policy subjects spell it (`'<domain>'/'<group>'`). */
  readonly domain: string;
  listDynamicGroups(): Promise<DynamicGroupInfo[]>;
}

export interface EventsPort {
  /** The rules of one compartment (ListRules); summaries, without actions. */
  listRules(compartmentId: string): Promise<EventRuleInfo[]>;
  /** One rule with its actions, or `undefined` on 404. */
  getRule(ruleId: string): Promise<EventRuleInfo | undefined>;
}

export interface FunctionsPort {
  /** The function, or `undefined` on 404. */
  getFunction(functionId: string): Promise<FunctionInfo | undefined>;
}

export interface ResourceSchedulerPort {
  /** The schedules of one compartment (ListSchedules), with their resources. */
  listSchedules(compartmentId: string): Promise<ScheduleInfo[]>;
}

/** Everything `explain` and `doctor` read, bound to one run's call scope. */
export interface AccessPorts extends Ports {
  /** The tenancy whose compartments, groups and policies are read. */
  readonly tenancyId: string;
  readonly identity: IdentityPort;
  /** The identity domains named with `--identity-domain-url`; empty when none were. */
  readonly identityDomains: readonly IdentityDomainPort[];
  readonly events: EventsPort;
  readonly functions: FunctionsPort;
  readonly resourceScheduler: ResourceSchedulerPort;
}
