/** The log of requests that reached a route, which tests read to assert what the client sent. */
import type { OciOperation } from './services';

/** One request that reached a route, in arrival order. */
export interface ApiCall {
  readonly operation: OciOperation;
  /** The OCID in the path; for List operations, the `compartmentId` query parameter. */
  readonly resourceId?: string;
  /** HTTP status answered; 0 when no response was sent (dropped connection, or still in flight). */
  readonly status: number;
  /** UpdateInstance only: the top-level body fields that were sent, in the order sent. */
  readonly sentFields?: readonly string[];
  /** UpdateInstance only: the `if-match` header, when sent. */
  readonly ifMatch?: string;
}

/** What a route handler may record about the request it serves. */
export interface CallDetails {
  sentFields?: string[];
  ifMatch?: string;
}

/** A logged call while it is being served: its status is set once the answer is sent. */
export interface LoggedCall extends CallDetails {
  readonly operation: OciOperation;
  readonly resourceId?: string;
  status: number;
}

export class CallLog {
  private readonly entries: LoggedCall[] = [];

  /** Logs a request as it arrives; the caller updates the returned entry. */
  record(operation: OciOperation, resourceId: string | undefined): LoggedCall {
    const call: LoggedCall = { operation, status: 0, ...(resourceId === undefined ? {} : { resourceId }) };
    this.entries.push(call);
    return call;
  }

  /** Copies of every logged call, in arrival order. */
  list(): ApiCall[] {
    return this.entries.map((call) => ({
      ...call,
      ...(call.sentFields === undefined ? {} : { sentFields: [...call.sentFields] }),
    }));
  }

  count(operation?: OciOperation): number {
    return operation === undefined ? this.entries.length : this.entries.filter((call) => call.operation === operation).length;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
