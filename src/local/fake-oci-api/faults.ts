/**
 * Scripted misbehaviour of the fake: failed, dropped and delayed requests,
 * competing tag writes, nodes that join their pool late, node pools denied
 * to the caller, and answers missing what a real tenancy sometimes leaves out.
 */
import {
  OMISSIONS,
  type HideNodeIdsFault,
  type NodePoolShapeFault,
  type NodePoolWithoutNodesFault,
  type NodesWithoutIdFault,
  type OmitEtagFault,
  type Omission,
} from './answer-shape-faults';
import { FaultQueue, usesOf } from './fault-queue';
import { nonNegative, oneOf, positiveInteger } from './option-checks';
import {
  DEFAULT_CODES,
  inScope,
  scopeOf,
  type DelayFault,
  type DropConnectionFault,
  type FailFault,
  type RequestFault,
} from './request-faults';
import type { OciOperation } from './services';

export interface ConcurrentTagWriteFault {
  readonly instanceId: string;
  /** How many GetInstance answers are followed by a competing write. Default 1. */
  readonly times?: number;
  /** Receives a copy of the current defined tags and returns the competing writer's result. */
  readonly mutate: (definedTags: Record<string, Record<string, unknown>>) => Record<string, Record<string, unknown>>;
}

export interface LateNodeFault {
  readonly instanceId: string;
  readonly nodePoolId: string;
  /** The node is missing from this many successful GetNodePool answers of the pool, then appears. */
  readonly hiddenForGets: number;
}

export interface NodePoolNotFoundFault {
  /** The pool GetNodePool answers 404 for; absent: every pool. */
  readonly nodePoolId?: string;
  /** How many answers; absent: every answer until the faults are cleared. */
  readonly times?: number;
}

interface PendingLateNode {
  instanceId: string;
  nodePoolId: string;
  hiddenForGets: number;
  answeredGets: number;
}

/**
 * Scripted misbehaviour. Request faults (fail, dropConnection, delay) are kept
 * in one queue: each request consumes the first one whose scope matches it.
 * The others apply to every answer they match. A fault whose `times` may be
 * left out then applies to every matching answer until {@link clear}.
 */
export class FaultInjector {
  private readonly requestFaults = new FaultQueue<RequestFault>();
  private readonly tagWrites = new FaultQueue<ConcurrentTagWriteFault>();
  private lateNodes: PendingLateNode[] = [];
  private readonly deniedNodePools = new FaultQueue<{ nodePoolId: string | undefined }>();
  private readonly nodePoolShapes = new FaultQueue<NodePoolShapeFault>();
  private readonly omittedEtags = new FaultQueue<OmitEtagFault>();

  /** The next `times` matching requests are answered `status` with an OCI error body. */
  fail(fault: FailFault): void {
    if (!(fault.status in DEFAULT_CODES)) throw new RangeError(`fail: unsupported status ${fault.status}`);
    const code = fault.code ?? DEFAULT_CODES[fault.status];
    this.requestFaults.add(
      { kind: 'fail', scope: scopeOf(fault), status: fault.status, code },
      positiveInteger(fault.times, 'fail: times'),
    );
  }

  /** The next `times` matching requests have their socket destroyed without any response. */
  dropConnection(fault: DropConnectionFault): void {
    this.requestFaults.add({ kind: 'drop', scope: scopeOf(fault) }, positiveInteger(fault.times, 'dropConnection: times'));
  }

  /** The next `times` matching requests wait `ms` longer before being served normally. */
  delay(fault: DelayFault): void {
    const ms = nonNegative(fault.ms, 'delay: ms');
    this.requestFaults.add({ kind: 'delay', scope: scopeOf(fault), ms }, positiveInteger(fault.times, 'delay: times'));
  }

  /**
   * Right after a GetInstance of `instanceId` has been answered, another writer
   * replaces the instance's defined tags with `mutate(current)` and the ETag
   * changes, so an UpdateInstance carrying the ETag just read gets 412.
   */
  concurrentTagWrite(fault: ConcurrentTagWriteFault): void {
    this.tagWrites.add({ ...fault }, positiveInteger(fault.times ?? 1, 'concurrentTagWrite: times'));
  }

  /**
   * The instance is left out of the pool's `nodes` in the first
   * `hiddenForGets` successful GetNodePool answers for that pool; after that it
   * is listed (and added to the pool if the world did not list it).
   */
  lateNode(fault: LateNodeFault): void {
    if (!Number.isInteger(fault.hiddenForGets) || fault.hiddenForGets < 0) {
      throw new RangeError(`lateNode: hiddenForGets must be a non-negative integer, got ${fault.hiddenForGets}`);
    }
    this.lateNodes.push({
      instanceId: fault.instanceId,
      nodePoolId: fault.nodePoolId,
      hiddenForGets: fault.hiddenForGets,
      answeredGets: 0,
    });
  }

  /**
   * GetNodePool of a pool that exists answers 404 NotAuthorizedOrNotFound,
   * while ListNodePools still lists the pool: what a caller without `read
   * cluster-family` on the pool's compartment meets.
   */
  nodePoolNotFound(fault: NodePoolNotFoundFault = {}): void {
    this.deniedNodePools.add({ nodePoolId: fault.nodePoolId }, usesOf(fault.times, 'nodePoolNotFound: times'));
  }

  /** GetNodePool answers 200 with the pool but without its `nodes` (left out, or `"nodes": null`). */
  nodePoolWithoutNodes(fault: NodePoolWithoutNodesFault = {}): void {
    const as = omission(fault.as, 'nodePoolWithoutNodes');
    this.nodePoolShapes.add({ kind: 'withoutNodes', nodePoolId: fault.nodePoolId, as }, usesOf(fault.times, 'nodePoolWithoutNodes: times'));
  }

  /**
   * GetNodePool of the pool also lists `count` nodes without an `id`, as OKE
   * lists a node before its instance exists: each has a name, the pool's id
   * and lifecycleState CREATING.
   */
  nodesWithoutId(fault: NodesWithoutIdFault): void {
    const count = positiveInteger(fault.count, 'nodesWithoutId: count');
    const as = omission(fault.as, 'nodesWithoutId');
    this.nodePoolShapes.add(
      { kind: 'nodesWithoutId', nodePoolId: fault.nodePoolId, count, as },
      usesOf(fault.times, 'nodesWithoutId: times'),
    );
  }

  /** GetNodePool of the pool lists the nodes of `instanceIds` without their `id`. */
  hideNodeIds(fault: HideNodeIdsFault): void {
    if (fault.instanceIds.length === 0) throw new RangeError('hideNodeIds: instanceIds must not be empty');
    const as = omission(fault.as, 'hideNodeIds');
    const instanceIds = new Set(fault.instanceIds);
    this.nodePoolShapes.add(
      { kind: 'hideNodeIds', nodePoolId: fault.nodePoolId, instanceIds, as },
      usesOf(fault.times, 'hideNodeIds: times'),
    );
  }

  /**
   * Successful GetInstance and UpdateInstance answers for the instance (or
   * those of `operation` only) carry no `etag` header. The instance's ETag
   * still changes with every write and is still checked against `if-match`.
   */
  omitEtag(fault: OmitEtagFault): void {
    if (fault.operation !== undefined) oneOf(fault.operation, ['GetInstance', 'UpdateInstance'], 'omitEtag: operation');
    this.omittedEtags.add({ ...fault }, usesOf(fault.times, 'omitEtag: times'));
  }

  /** Forgets every fault not yet consumed. */
  clear(): void {
    for (const queue of this.queues()) queue.clear();
    this.lateNodes = [];
  }

  /** How many faults are still waiting to be consumed (each counted once, whatever its `times`). */
  get pending(): number {
    return this.queues().reduce((sum, queue) => sum + queue.size, this.lateNodes.length);
  }

  /** @internal Takes one use of the first request fault matching the call. */
  takeRequestFault(operation: OciOperation, resourceId: string | undefined): RequestFault | undefined {
    return this.requestFaults.takeFirst((fault) => inScope(fault.scope, operation, resourceId));
  }

  /** @internal Takes one use of each competing write registered for the instance. */
  takeTagWrites(instanceId: string): ConcurrentTagWriteFault[] {
    return this.tagWrites.takeAll((write) => write.instanceId === instanceId);
  }

  /**
   * @internal Called once per successful GetNodePool answer: returns the
   * instance ids to hide this time and those whose hiding just ended.
   */
  takeLateNodes(nodePoolId: string): { hidden: Set<string>; appearing: string[] } {
    const hidden = new Set<string>();
    const appearing: string[] = [];
    for (const late of this.lateNodes) {
      if (late.nodePoolId !== nodePoolId) continue;
      if (late.answeredGets < late.hiddenForGets) hidden.add(late.instanceId);
      else appearing.push(late.instanceId);
      late.answeredGets += 1;
    }
    this.lateNodes = this.lateNodes.filter((late) => late.nodePoolId !== nodePoolId || late.answeredGets <= late.hiddenForGets);
    return { hidden, appearing };
  }

  /** @internal Whether this GetNodePool of an existing pool is answered 404; takes one use if so. */
  takeNodePoolNotFound(nodePoolId: string): boolean {
    return this.deniedNodePools.takeFirst((fault) => fault.nodePoolId === undefined || fault.nodePoolId === nodePoolId) !== undefined;
  }

  /** @internal Takes one use of each answer-shape fault of the pool, for a successful GetNodePool answer. */
  takeNodePoolShapes(nodePoolId: string): NodePoolShapeFault[] {
    return this.nodePoolShapes.takeAll((fault) => fault.nodePoolId === undefined || fault.nodePoolId === nodePoolId);
  }

  /** @internal Whether this successful answer goes without its ETag; takes one use if so. */
  takeOmittedEtag(operation: OciOperation, instanceId: string): boolean {
    const due = (fault: OmitEtagFault): boolean =>
      fault.instanceId === instanceId && (fault.operation === undefined || fault.operation === operation);
    return this.omittedEtags.takeFirst(due) !== undefined;
  }

  private queues(): FaultQueue<unknown>[] {
    return [this.requestFaults, this.tagWrites, this.deniedNodePools, this.nodePoolShapes, this.omittedEtags];
  }
}

function omission(as: Omission | undefined, name: string): Omission {
  return as === undefined ? 'absent' : oneOf(as, OMISSIONS, `${name}: as`);
}
