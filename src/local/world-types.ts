/**
 * The shapes of a world: the state the fake OCI API serves, in the REST
 * API's own JSON shapes (camelCase, as `GET /instances/{id}` etc. return
 * them). Resources carry an index signature because fields this project does
 * not know are kept and served back unchanged.
 */

/** Defined tags: namespace → key → value. */
export type WorldDefinedTags = Record<string, Record<string, unknown>>;

/** A node of a node pool, as `GetNodePool` lists it in `nodes[]`. */
export interface WorldNode {
  /** OCID of the compute instance backing the node. */
  id: string;
  name: string;
  lifecycleState?: string;
  [field: string]: unknown;
}

export interface WorldCluster {
  id: string;
  name: string;
  compartmentId: string;
  lifecycleState?: string;
  [field: string]: unknown;
}

export interface WorldNodePool {
  id: string;
  name: string;
  clusterId: string;
  compartmentId: string;
  lifecycleState?: string;
  nodes: WorldNode[];
  [field: string]: unknown;
}

export interface WorldInstance {
  id: string;
  compartmentId: string;
  displayName: string;
  lifecycleState: string;
  availabilityDomain?: string;
  shape?: string;
  region?: string;
  timeCreated?: string;
  metadata: Record<string, string>;
  definedTags: WorldDefinedTags;
  freeformTags: Record<string, string>;
  [field: string]: unknown;
}

/** One tag namespace of the tenancy's tag catalogue. */
export interface WorldTagNamespace {
  /** Every key of the namespace, retired ones included. */
  keys: string[];
  /** The keys that are retired (written `{"name": "…", "retired": true}` in a world file). */
  retiredKeys?: string[];
  retired: boolean;
}

/** A compartment below the tenancy. `compartmentId` is its parent. */
export interface WorldCompartment {
  id: string;
  name: string;
  compartmentId: string;
  lifecycleState: string;
  [field: string]: unknown;
}

/** A dynamic group of the Default identity domain (classic IAM). */
export interface WorldDynamicGroup {
  id: string;
  name: string;
  matchingRule: string;
  /** Always the tenancy. */
  compartmentId: string;
  lifecycleState: string;
  [field: string]: unknown;
}

export interface WorldPolicy {
  id: string;
  name: string;
  compartmentId: string;
  statements: string[];
  lifecycleState: string;
  [field: string]: unknown;
}

export interface WorldEventRuleAction {
  actionType: string;
  functionId?: string;
  isEnabled: boolean;
  [field: string]: unknown;
}

/** An Events rule; `condition` is a JSON string, as the API stores it. */
export interface WorldEventRule {
  id: string;
  displayName: string;
  compartmentId: string;
  condition: string;
  isEnabled: boolean;
  lifecycleState: string;
  actions: { actions: WorldEventRuleAction[] };
  [field: string]: unknown;
}

export interface WorldFunction {
  id: string;
  displayName: string;
  applicationId: string;
  compartmentId: string;
  config: Record<string, string>;
  lifecycleState: string;
  /** Synchronous invocations: 1 to 300 seconds. */
  timeoutInSeconds?: number;
  /** Detached invocations (what Resource Scheduler makes): 5 to 3600 seconds. */
  detachedModeTimeoutInSeconds?: number;
  image?: string;
  memoryInMBs?: number;
  [field: string]: unknown;
}

export interface WorldScheduleParameter {
  parameterType: string;
  value?: unknown;
  [field: string]: unknown;
}

/** A Resource Scheduler schedule. */
export interface WorldSchedule {
  id: string;
  displayName: string;
  compartmentId: string;
  /** `START_RESOURCE` or `STOP_RESOURCE`. */
  action: string;
  /** `CRON` or `ICAL`. */
  recurrenceType: string;
  recurrenceDetails: string;
  resources: { id: string; parameters?: WorldScheduleParameter[]; [field: string]: unknown }[];
  lifecycleState: string;
  [field: string]: unknown;
}

/** A dynamic resource group of an identity domain other than Default (SCIM shape). */
export interface WorldDomainDynamicGroup {
  id: string;
  ocid: string;
  displayName: string;
  /** `null` reproduces the list/get answers that leave the rule out. */
  matchingRule: string | null;
  [field: string]: unknown;
}

/** An identity domain other than Default, served at `/domains/<id>` below the fake's URL. */
export interface WorldIdentityDomain {
  id: string;
  displayName: string;
  /** The domain's URL as ListDomains returns it, e.g. `https://idcs-abc123.identity.oraclecloud.com:443`. */
  url: string;
  compartmentId: string;
  lifecycleState: string;
  dynamicResourceGroups: WorldDomainDynamicGroup[];
  [field: string]: unknown;
}

/** Everything the fake OCI API knows. The access keys (compartments to identityDomains) are absent from worlds that need none. */
export interface World {
  clusters: WorldCluster[];
  nodePools: WorldNodePool[];
  instances: WorldInstance[];
  /** Tag namespace name → its keys. `Oracle-Tags` default tags are always accepted on top of this. */
  tagNamespaces: Record<string, WorldTagNamespace>;
  /** The tenancy: the root of `compartments` and the `compartmentId` of dynamic groups. */
  tenancyId?: string;
  compartments?: WorldCompartment[];
  dynamicGroups?: WorldDynamicGroup[];
  policies?: WorldPolicy[];
  /** Events rules. */
  rules?: WorldEventRule[];
  functions?: WorldFunction[];
  /** Resource Scheduler schedules. */
  schedules?: WorldSchedule[];
  identityDomains?: WorldIdentityDomain[];
}
