/**
 * Scripted misbehaviour of the fake: failed, dropped and delayed requests,
 * competing tag writes and nodes that join their pool late.
 */
import { nonNegative, positiveInteger } from './option-checks';
import type { OciOperation } from './services';

/** Statuses {@link FaultInjector.fail} can answer with. */
export type FaultStatus = 409 | 429 | 500 | 502 | 503;

/** Which requests a fault applies to; an absent field matches everything. */
export interface FaultScope {
  readonly operation?: OciOperation;
  /** Matched against {@link ApiCall.resourceId}. */
  readonly resourceId?: string;
}

export interface FailFault extends FaultScope {
  readonly times: number;
  readonly status: FaultStatus;
  /** Service code of the error body; defaults to OCI's code for the status (e.g. TooManyRequests for 429). */
  readonly code?: string;
}

export interface DropConnectionFault extends FaultScope {
  readonly times: number;
}

export interface DelayFault extends FaultScope {
  readonly times: number;
  readonly ms: number;
}

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

const DEFAULT_CODES: Record<FaultStatus, string> = {
  409: 'IncorrectState',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

/** A request fault as queued, with the uses it has left. */
export type RequestFault =
  | { kind: 'fail'; scope: FaultScope; remaining: number; status: FaultStatus; code: string }
  | { kind: 'drop'; scope: FaultScope; remaining: number }
  | { kind: 'delay'; scope: FaultScope; remaining: number; ms: number };

/** A competing tag write as queued, with the uses it has left. */
export interface PendingTagWrite {
  instanceId: string;
  remaining: number;
  mutate: ConcurrentTagWriteFault['mutate'];
}

interface PendingLateNode {
  instanceId: string;
  nodePoolId: string;
  hiddenForGets: number;
  answeredGets: number;
}

function scopeOf(fault: FaultScope): FaultScope {
  return {
    ...(fault.operation === undefined ? {} : { operation: fault.operation }),
    ...(fault.resourceId === undefined ? {} : { resourceId: fault.resourceId }),
  };
}

/**
 * Scripted misbehaviour. Request faults (fail, dropConnection, delay) are kept
 * in one queue: each request consumes the first one whose scope matches it.
 */
export class FaultInjector {
  private requestFaults: RequestFault[] = [];
  private tagWrites: PendingTagWrite[] = [];
  private lateNodes: PendingLateNode[] = [];

  /** The next `times` matching requests are answered `status` with an OCI error body. */
  fail(fault: FailFault): void {
    if (!(fault.status in DEFAULT_CODES)) throw new RangeError(`fail: unsupported status ${fault.status}`);
    this.requestFaults.push({
      kind: 'fail',
      scope: scopeOf(fault),
      remaining: positiveInteger(fault.times, 'fail: times'),
      status: fault.status,
      code: fault.code ?? DEFAULT_CODES[fault.status],
    });
  }

  /** The next `times` matching requests have their socket destroyed without any response. */
  dropConnection(fault: DropConnectionFault): void {
    this.requestFaults.push({ kind: 'drop', scope: scopeOf(fault), remaining: positiveInteger(fault.times, 'dropConnection: times') });
  }

  /** The next `times` matching requests wait `ms` longer before being served normally. */
  delay(fault: DelayFault): void {
    this.requestFaults.push({
      kind: 'delay',
      scope: scopeOf(fault),
      remaining: positiveInteger(fault.times, 'delay: times'),
      ms: nonNegative(fault.ms, 'delay: ms'),
    });
  }

  /**
   * Right after a GetInstance of `instanceId` has been answered, another writer
   * replaces the instance's defined tags with `mutate(current)` and the ETag
   * changes, so an UpdateInstance carrying the ETag just read gets 412.
   */
  concurrentTagWrite(fault: ConcurrentTagWriteFault): void {
    this.tagWrites.push({
      instanceId: fault.instanceId,
      remaining: positiveInteger(fault.times ?? 1, 'concurrentTagWrite: times'),
      mutate: fault.mutate,
    });
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

  /** Forgets every fault not yet consumed. */
  clear(): void {
    this.requestFaults = [];
    this.tagWrites = [];
    this.lateNodes = [];
  }

  /** How many faults are still waiting to be consumed (each counted once, whatever its `times`). */
  get pending(): number {
    return this.requestFaults.length + this.tagWrites.length + this.lateNodes.length;
  }

  /** @internal Takes one use of the first request fault matching the call. */
  takeRequestFault(operation: OciOperation, resourceId: string | undefined): RequestFault | undefined {
    const index = this.requestFaults.findIndex(
      (fault) =>
        (fault.scope.operation === undefined || fault.scope.operation === operation) &&
        (fault.scope.resourceId === undefined || fault.scope.resourceId === resourceId),
    );
    const fault = this.requestFaults[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.requestFaults.splice(index, 1);
    return fault;
  }

  /** @internal Takes one use of each competing write registered for the instance. */
  takeTagWrites(instanceId: string): PendingTagWrite[] {
    const due = this.tagWrites.filter((write) => write.instanceId === instanceId);
    for (const write of due) write.remaining -= 1;
    this.tagWrites = this.tagWrites.filter((write) => write.remaining > 0);
    return due;
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
}
