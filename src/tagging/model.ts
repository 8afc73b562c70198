/**
 * Domain values and the narrow ports the use cases need. Adapters in
 * `src/oci/` implement the ports with the OCI SDK; tests implement them in
 * memory. Nothing here imports an `oci-*` type.
 */

/** Defined tags: namespace → key → value, exactly as OCI returns them. */
export type DefinedTags = Record<string, Record<string, unknown>>;
/** Freeform tags: key → value. */
export type FreeformTags = Record<string, string>;

export interface InstanceInfo {
  readonly id: string;
  readonly compartmentId: string;
  readonly displayName?: string | undefined;
  readonly lifecycleState?: string | undefined;
  /** When the instance was created (ISO 8601), where the API says. */
  readonly timeCreated?: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly definedTags: DefinedTags;
  readonly freeformTags: FreeformTags;
}

/** An instance as read for a write: its state plus the ETag to send as `If-Match`. */
export interface InstanceSnapshot {
  readonly instance: InstanceInfo;
  readonly etag: string | undefined;
}

export interface NodePoolSummaryInfo {
  readonly id: string;
  readonly name: string;
  readonly clusterId: string;
  readonly compartmentId: string;
  readonly lifecycleState?: string | undefined;
}

/** One entry of a pool's `nodes[]`: the backing instance's OCID and the node's state. */
export interface PoolNode {
  readonly id: string;
  readonly lifecycleState?: string | undefined;
}

export interface NodePoolInfo extends NodePoolSummaryInfo {
  /** OCIDs of the instances backing the pool's nodes (`nodes[].id`). */
  readonly nodeIds: readonly string[];
  /** The same nodes with their states, where the reader keeps them. */
  readonly nodes?: readonly PoolNode[];
  /** True when the answer carried no `nodes` list at all (absent or null): it says nothing about membership. */
  readonly nodesMissing?: boolean;
  /** Node entries without an instance OCID (OKE lists a node before its instance exists). */
  readonly unidentifiedNodes?: number;
}

export interface ClusterInfo {
  readonly id: string;
  readonly name: string;
  readonly compartmentId: string;
}

/** The Compute API as the use cases see it. */
export interface ComputePort {
  getInstance(instanceId: string): Promise<InstanceSnapshot>;
  /**
   * Replaces the instance's defined tags with `definedTags`, sending nothing
   * else, guarded by `If-Match: etag`. Throws `EtagMismatchError` on 412.
   */
  updateDefinedTags(instanceId: string, definedTags: DefinedTags, etag: string): Promise<InstanceSnapshot>;
  /** Every instance in the compartment, following every page. */
  listInstances(compartmentId: string): Promise<InstanceInfo[]>;
}

/** The Container Engine API as the use cases see it. */
export interface ContainerEnginePort {
  /** The pool with its nodes, or `undefined` when the API answers 404. */
  getNodePool(nodePoolId: string): Promise<NodePoolInfo | undefined>;
  /** Every node pool summary in the compartment (optionally of one cluster), following every page. */
  listNodePools(compartmentId: string, clusterId?: string): Promise<NodePoolSummaryInfo[]>;
  /** The cluster, or `undefined` when the API answers 404. */
  getCluster(clusterId: string): Promise<ClusterInfo | undefined>;
}

/** The ports one invocation or run works through, bound to its call scope. */
export interface Ports {
  readonly compute: ComputePort;
  readonly containerEngine: ContainerEnginePort;
}
