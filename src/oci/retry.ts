/**
 * One retry policy for every OCI operation: 429, 409 IncorrectState, 5xx and
 * network errors are retried with full-jitter exponential backoff, and no
 * attempt or wait may run past the invocation's deadline. The SDK's own
 * retrier and circuit breaker are switched off (see clients.ts) so the two
 * never fight.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallScope, RetryPolicy } from '../call-scope';
import { DeadlineError, OciCallError } from '../errors';

/** The failure of one attempt, classified. */
export interface AttemptFailure {
  readonly statusCode: number | undefined;
  readonly serviceCode: string | undefined;
  readonly message: string;
  readonly opcRequestId: string | undefined;
  readonly retryable: boolean;
}

const attemptSignal = new AsyncLocalStorage<AbortSignal>();

/** The abort signal of the attempt in progress, read by the HTTP client. */
export function currentAttemptSignal(): AbortSignal | undefined {
  return attemptSignal.getStore();
}

function field(error: object, name: string): unknown {
  return (error as Record<string, unknown>)[name];
}

/**
 * Classifies an error thrown by an SDK call. The SDK throws `OciError` with
 * `statusCode`/`serviceCode`; fetch throws TypeError or AbortError for
 * network problems. `statusCode` is tested rather than `instanceof`, which
 * breaks when two copies of oci-common are installed.
 */
export function classifyFailure(error: unknown): AttemptFailure {
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof field(error, 'statusCode') === 'number' &&
    (field(error, 'statusCode') as number) > 0
  ) {
    const statusCode = field(error, 'statusCode') as number;
    const serviceCode = typeof field(error, 'serviceCode') === 'string' ? (field(error, 'serviceCode') as string) : undefined;
    const rawMessage = field(error, 'message');
    const message = typeof rawMessage === 'string' ? (rawMessage.replace(/^Error returned by [^.]*\.\s*/, '').split('\n')[0] ?? '') : '';
    const opcRequestId = typeof field(error, 'opcRequestId') === 'string' ? (field(error, 'opcRequestId') as string) : undefined;
    const retryable = statusCode === 429 || statusCode >= 500 || (statusCode === 409 && serviceCode === 'IncorrectState');
    return { statusCode, serviceCode, message: message.slice(0, 500), opcRequestId, retryable };
  }
  // The SDK's retrier rethrows network failures as plain objects ({ message: 'fetch failed', … }), not Errors.
  const name = error instanceof Error ? error.name : 'NetworkError';
  const rawMessage =
    typeof error === 'object' && error !== null && typeof field(error, 'message') === 'string'
      ? (field(error, 'message') as string)
      : String(error);
  const cause = typeof error === 'object' && error !== null ? (field(error, 'cause') as { code?: unknown } | undefined) : undefined;
  const causeCode = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  const message = `${name}: ${rawMessage}${causeCode}`;
  return { statusCode: undefined, serviceCode: undefined, message: message.slice(0, 500), opcRequestId: undefined, retryable: true };
}

/** Full-jitter exponential backoff: a random wait up to base·2^attempt, capped. */
export function backoffDelayMs(policy: RetryPolicy, retryNumber: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryNumber);
  return Math.floor(random() * ceiling);
}

/**
 * Runs `call` under the retry policy. Each attempt gets an abort signal
 * bounded by the attempt timeout and the deadline. A failure that is not
 * retryable, or that is still failing when attempts or time run out, is
 * thrown as {@link OciCallError} naming the operation and resource.
 * A non-retryable failure may be turned into a value by `onFailure`
 * (for example 404 → undefined) instead of being thrown.
 */
export async function callWithRetry<T>(
  scope: CallScope,
  operation: string,
  resourceId: string,
  call: () => Promise<T>,
  onFailure?: (failure: AttemptFailure) => { value: T } | undefined,
): Promise<T> {
  const { deadline, policy, stats } = scope;
  let last: AttemptFailure | undefined;
  let attemptsMade = 0;
  for (let attempt = 0; attempt < policy.maxAttempts; attempt += 1) {
    const budget = deadline.remainingMs() - policy.reserveMs;
    if (budget <= 0) {
      throw new DeadlineError(
        operation,
        resourceId,
        last ? `${describeFailure(last)} (gave up after ${attempt} attempt(s): the deadline is near)` : 'no time left before the deadline',
      );
    }
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`attempt timed out after ${Math.min(policy.attemptTimeoutMs, budget)} ms`)),
      Math.min(policy.attemptTimeoutMs, budget),
    );
    stats.apiCalls += 1;
    attemptsMade += 1;
    if (attempt > 0) stats.retries += 1;
    try {
      return await attemptSignal.run(controller.signal, call);
    } catch (error) {
      last = classifyFailure(error);
      if (!last.retryable) {
        const handled = onFailure?.(last);
        if (handled) return handled.value;
        throw new OciCallError(operation, resourceId, last.statusCode, last.serviceCode, last.message, last.opcRequestId, { cause: error });
      }
      const delay = backoffDelayMs(policy, attempt, scope.random);
      if (attempt + 1 >= policy.maxAttempts) break;
      if (deadline.remainingMs() - policy.reserveMs - delay <= 0) {
        throw new DeadlineError(
          operation,
          resourceId,
          `${describeFailure(last)} (gave up after ${attemptsMade} attempt(s): the deadline is near)`,
          { cause: error },
        );
      }
      scope.logger.log('warn', 'retrying OCI call', {
        operation,
        resourceId,
        attempt: attempt + 1,
        statusCode: last.statusCode,
        serviceCode: last.serviceCode,
        error: last.message,
        delayMs: delay,
      });
      await scope.sleep(delay);
    } finally {
      clearTimeout(timer);
    }
  }
  const failure = last as AttemptFailure;
  throw new OciCallError(
    operation,
    resourceId,
    failure.statusCode,
    failure.serviceCode,
    `${failure.message} (gave up after ${attemptsMade} attempt(s))`,
    failure.opcRequestId,
  );
}

function describeFailure(failure: AttemptFailure): string {
  const request = failure.opcRequestId ? ` (opc-request-id ${failure.opcRequestId})` : '';
  return failure.statusCode === undefined
    ? `network error: ${failure.message}`
    : `${failure.statusCode} ${failure.serviceCode ?? 'Unknown'}: ${failure.message}${request}`;
}
