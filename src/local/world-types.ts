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
  keys: string[];
  retired: boolean;
}

/** Everything the fake OCI API knows. */
export interface World {
  clusters: WorldCluster[];
  nodePools: WorldNodePool[];
  instances: WorldInstance[];
  /** Tag namespace name → its keys. `Oracle-Tags` default tags are always accepted on top of this. */
  tagNamespaces: Record<string, WorldTagNamespace>;
}
