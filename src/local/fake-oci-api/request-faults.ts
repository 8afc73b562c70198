/** Faults that replace a request's answer: a failure, a dropped connection, a delay. */
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

/** OCI's service code for each status {@link FaultInjector.fail} answers. */
export const DEFAULT_CODES: Readonly<Record<FaultStatus, string>> = {
  409: 'IncorrectState',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

/** A request fault as queued. */
export type RequestFault =
  | { kind: 'fail'; scope: FaultScope; status: FaultStatus; code: string }
  | { kind: 'drop'; scope: FaultScope }
  | { kind: 'delay'; scope: FaultScope; ms: number };

/** The scope fields of a fault's options, without the fault's other fields. */
export function scopeOf(fault: FaultScope): FaultScope {
  return {
    ...(fault.operation === undefined ? {} : { operation: fault.operation }),
    ...(fault.resourceId === undefined ? {} : { resourceId: fault.resourceId }),
  };
}

/** Whether a request of `operation` on `resourceId` is within `scope`. */
export function inScope(scope: FaultScope, operation: OciOperation, resourceId: string | undefined): boolean {
  return (
    (scope.operation === undefined || scope.operation === operation) && (scope.resourceId === undefined || scope.resourceId === resourceId)
  );
}
