/**
 * Faults that change the shape of a successful answer: a node pool without
 * its `nodes`, node entries without an `id`, an instance without its ETag.
 */
import type { WorldNodePool } from '../world-types';

/** How a field a fault takes away is sent: left out of the JSON (`absent`), or as `null`. */
export type Omission = 'absent' | 'null';

export const OMISSIONS: readonly Omission[] = ['absent', 'null'];

export interface NodePoolWithoutNodesFault {
  /** The pool whose GetNodePool answers lose `nodes`; absent: every pool. */
  readonly nodePoolId?: string;
  /** How many answers; absent: every answer until the faults are cleared. */
  readonly times?: number;
  /** How `nodes` is sent; default `absent`. */
  readonly as?: Omission;
}

export interface NodesWithoutIdFault {
  readonly nodePoolId: string;
  /** How many id-less entries (a name, the pool id, lifecycleState CREATING) each answer lists after the pool's nodes. */
  readonly count: number;
  /** How many answers; absent: every answer until the faults are cleared. */
  readonly times?: number;
  /** How `id` is sent; default `absent`. */
  readonly as?: Omission;
}

export interface HideNodeIdsFault {
  readonly nodePoolId: string;
  /** The nodes (by their instance's OCID) listed without `id`. */
  readonly instanceIds: readonly string[];
  /** How many answers; absent: every answer until the faults are cleared. */
  readonly times?: number;
  /** How `id` is sent; default `absent`. */
  readonly as?: Omission;
}

export interface OmitEtagFault {
  readonly instanceId: string;
  /** The operation whose answers lose the `etag` header; absent: both GetInstance and UpdateInstance. */
  readonly operation?: 'GetInstance' | 'UpdateInstance';
  /** How many answers; absent: every answer until the faults are cleared. */
  readonly times?: number;
}

/** A GetNodePool answer-shape fault as queued. */
export type NodePoolShapeFault =
  | { kind: 'withoutNodes'; nodePoolId: string | undefined; as: Omission }
  | { kind: 'nodesWithoutId'; nodePoolId: string; count: number; as: Omission }
  | { kind: 'hideNodeIds'; nodePoolId: string; instanceIds: ReadonlySet<string>; as: Omission };

/** A node entry as GetNodePool lists it, whose instance id a fault may take away. */
export interface NodeEntry {
  id?: string | null;
  name: string;
  lifecycleState?: string;
  [field: string]: unknown;
}

function withoutId({ id: _id, ...rest }: NodeEntry, as: Omission): NodeEntry {
  return as === 'null' ? { ...rest, id: null } : rest;
}

/**
 * The GetNodePool body for `pool` listing `nodes`, after the due shape faults:
 * ids taken away first, then id-less entries added, then `nodes` itself
 * taken away.
 */
export function shapeNodePoolBody(pool: WorldNodePool, nodes: readonly NodeEntry[], faults: readonly NodePoolShapeFault[]): unknown {
  let listed = [...nodes];
  for (const fault of faults) {
    if (fault.kind === 'hideNodeIds') {
      listed = listed.map((node) => (typeof node.id === 'string' && fault.instanceIds.has(node.id) ? withoutId(node, fault.as) : node));
    }
  }
  for (const fault of faults) {
    if (fault.kind !== 'nodesWithoutId') continue;
    for (let index = 0; index < fault.count; index += 1) {
      const name = `${pool.name}-creating-${listed.length + 1}`;
      listed.push(withoutId({ nodePoolId: pool.id, name, lifecycleState: 'CREATING' }, fault.as));
    }
  }
  const body: Record<string, unknown> = { ...pool, nodes: listed };
  const withoutNodes = faults.find((fault) => fault.kind === 'withoutNodes');
  if (withoutNodes?.as === 'null') body['nodes'] = null;
  if (withoutNodes?.as === 'absent') delete body['nodes'];
  return body;
}
