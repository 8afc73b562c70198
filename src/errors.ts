/**
 * Error classes. Each says whether it fails the invocation (it is thrown and
 * the FDK answers 502) or is an expected outcome that becomes a result object.
 */

/** Base class of every error this project raises on purpose. */
export class TaggerError extends Error {
  /** True when the invocation must fail (HTTP 502 from the FDK). */
  readonly failsInvocation: boolean = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TaggerError';
  }
}

/** A configuration key has a missing or bad value. Raised at start-up. */
export class ConfigError extends TaggerError {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`config ${key}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** An OCI API call failed after every allowed retry. Fails the invocation. */
export class OciCallError extends TaggerError {
  constructor(
    readonly operation: string,
    readonly resourceId: string,
    readonly statusCode: number | undefined,
    readonly serviceCode: string | undefined,
    readonly detail: string,
    readonly opcRequestId?: string,
    options?: { cause?: unknown },
  ) {
    const status = statusCode === undefined ? 'network error' : `${statusCode} ${serviceCode ?? 'Unknown'}`;
    const request = opcRequestId ? ` (opc-request-id ${opcRequestId})` : '';
    super(`${operation} ${resourceId} failed: ${status}: ${detail}${request}`, options);
    this.name = 'OciCallError';
  }
}

/**
 * The deadline stopped an operation: no time was left to start it, or to
 * retry it after a retryable failure. Fails the invocation; a reconcile run
 * treats it as "stop here and hand back a resume token".
 */
export class DeadlineError extends TaggerError {
  constructor(
    readonly operation: string,
    readonly resourceId: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} ${resourceId} failed: ${detail}`, options);
    this.name = 'DeadlineError';
  }
}

/** The instance's tags kept changing under us (412 after every re-read). Fails the invocation. */
export class TagConflictError extends TaggerError {
  constructor(
    readonly instanceId: string,
    readonly attempts: number,
  ) {
    super(`UpdateInstance ${instanceId}: the instance's tags changed between read and write ${attempts} times in a row (412 NoEtagMatch)`);
    this.name = 'TagConflictError';
  }
}

/** A tag value breaks OCI's limits (for example a pool name over 256 characters). Fails the invocation. */
export class TagValueError extends TaggerError {
  constructor(message: string) {
    super(message);
    this.name = 'TagValueError';
  }
}

/**
 * GetCluster answered 404 while `cluster_tag_name` needs the cluster's name:
 * the cluster is gone, or the caller may not read it (OCI says
 * NotAuthorizedOrNotFound for both). Fails the invocation.
 */
export class ClusterNotFoundError extends OciCallError {
  constructor(clusterId: string) {
    super(
      'GetCluster',
      clusterId,
      404,
      'NotAuthorizedOrNotFound',
      'the cluster name is needed for cluster_tag_name, but the cluster is missing or may not be read (grant read cluster-family)',
    );
    this.name = 'ClusterNotFoundError';
  }
}

/**
 * UpdateInstance answered 412: the ETag sent as `If-Match` is stale. The
 * writer re-reads and merges again; it never reaches the invocation's answer.
 */
export class EtagMismatchError extends TaggerError {
  constructor(readonly instanceId: string) {
    super(`UpdateInstance ${instanceId}: 412 NoEtagMatch`);
    this.name = 'EtagMismatchError';
  }
}

/** A reconcile resume token that this tool did not issue, or that was issued for another request. */
export class ResumeTokenError extends TaggerError {
  /** A bad token is the caller's mistake: the invocation answers `rejected`. */
  override readonly failsInvocation = false;

  constructor(message: string) {
    super(`resume token: ${message}`);
    this.name = 'ResumeTokenError';
  }
}

/** Bad command-line usage: an unknown flag, a missing argument, a bad flag value. The CLI exits 2. */
export class UsageError extends TaggerError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A world file (the embedded fake's state) is missing, unreadable or malformed; the message names the file. */
export class WorldFileError extends TaggerError {
  constructor(
    readonly file: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`world file ${file}: ${detail}`, options);
    this.name = 'WorldFileError';
  }
}

/**
 * Membership could not be decided: a read failed, a pool answered without
 * its nodes, a listed pool answered 404. Nothing was written; the invocation
 * fails with the reason, so the alarm on function errors fires.
 */
export class MembershipUnknownError extends TaggerError {
  constructor(
    readonly instanceId: string,
    readonly reason: string,
  ) {
    super(`membership of ${instanceId} is unknown, so nothing was written: ${reason}`);
    this.name = 'MembershipUnknownError';
  }
}

/** GetInstance answered without an ETag, twice: without `If-Match` a write could overwrite a concurrent change, so none is made. */
export class MissingEtagError extends TaggerError {
  constructor(readonly instanceId: string) {
    super(
      `GetInstance ${instanceId} answered without an ETag (twice), so no write was made: UpdateInstance needs If-Match to lose nothing`,
    );
    this.name = 'MissingEtagError';
  }
}

/**
 * A function-mode reconcile that left instances unknown or failed. It fails
 * the invocation (502) so that the alarm on function errors fires; the
 * message carries the counts and the resume token, if any.
 */
export class ReconcileUnverifiedError extends TaggerError {
  constructor(
    readonly summary: {
      readonly unknown: number;
      readonly failed: number;
      readonly counts: object;
      readonly resume?: string;
      readonly [field: string]: unknown;
    },
  ) {
    const resume = summary.resume === undefined ? '' : `; resume with "resume":"${summary.resume}"`;
    const failures = Array.isArray(summary['failures']) ? summary['failures'] : [];
    const first = failures.length > 0 ? `; first failure: ${JSON.stringify(failures[0])}` : '';
    const warnings = Array.isArray(summary['warnings']) ? `; ${summary['warnings'].slice(0, 3).join('; ')}` : '';
    super(
      `reconcile is not verified: ${summary.unknown} unknown, ${summary.failed} failed; counts ${JSON.stringify(summary.counts)}${warnings}${first}${resume}`,
    );
    this.name = 'ReconcileUnverifiedError';
  }
}

/**
 * A pool or cluster event whose writes failed for some nodes after every
 * retry. The other nodes were written; the invocation fails (502) with the
 * counts and the first failure, so that the alarm fires and the schedule heals.
 */
export class PoolWritesFailedError extends TaggerError {
  constructor(
    readonly resourceId: string,
    readonly failed: number,
    readonly applied: number,
    firstFailure: string,
  ) {
    super(`${resourceId}: ${failed} node write(s) failed, ${applied} written; first failure: ${firstFailure}`);
    this.name = 'PoolWritesFailedError';
  }
}

/** Formats an error with its chain of causes on one line, for logs. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(' <- caused by ');
}
