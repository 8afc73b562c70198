import { Deadline } from '../../src/deadline';
import { DeadlineError, OciCallError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { backoffDelayMs, callWithRetry, classifyFailure, currentAttemptSignal } from '../../src/oci/retry';
import { DEFAULT_RETRY_POLICY, newCallStats, type CallScope } from '../../src/call-scope';

class FakeOciError extends Error {
  constructor(
    readonly statusCode: number,
    readonly serviceCode: string,
    message: string,
    readonly opcRequestId = 'req-1',
  ) {
    super(message);
  }
}

function scope(now: { t: number }, deadlineInMs = 30_000): CallScope & { slept: number[] } {
  const slept: number[] = [];
  const clock = () => now.t;
  return {
    deadline: new Deadline(now.t + deadlineInMs, clock),
    stats: newCallStats(),
    logger: silentLogger,
    policy: DEFAULT_RETRY_POLICY,
    random: () => 1,
    now: clock,
    slept,
    sleep: async (ms) => {
      slept.push(ms);
      now.t += ms;
    },
  };
}

describe('classifyFailure', () => {
  it.each([
    [429, 'TooManyRequests', true],
    [500, 'InternalServerError', true],
    [503, 'ServiceUnavailable', true],
    [409, 'IncorrectState', true],
    [409, 'Conflict', false],
    [404, 'NotAuthorizedOrNotFound', false],
    [400, 'InvalidParameter', false],
    [412, 'NoEtagMatch', false],
    [401, 'NotAuthenticated', false],
  ])('treats %i %s as retryable=%s', (status, code, retryable) => {
    expect(classifyFailure(new FakeOciError(status, code, 'x')).retryable).toBe(retryable);
  });

  it('treats network errors as retryable', () => {
    const failure = classifyFailure(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }));

    expect(failure).toMatchObject({ statusCode: undefined, retryable: true });
    expect(failure.message).toBe('TypeError: fetch failed (ECONNRESET)');
  });
});

describe('callWithRetry', () => {
  it('retries throttling with growing jittered waits and returns the eventual answer', async () => {
    const now = { t: 0 };
    const s = scope(now);
    let calls = 0;

    const value = await callWithRetry(s, 'GetNodePool', 'ocid1.nodepool.oc1..x', async () => {
      calls += 1;
      if (calls <= 3) throw new FakeOciError(429, 'TooManyRequests', 'slow down');
      return 'pool';
    });

    expect(value).toBe('pool');
    expect(s.slept).toEqual([100, 200, 400]);
    expect(s.stats).toEqual({ apiCalls: 4, retries: 3, etagConflicts: 0 });
  });

  it('does not retry a 400 and names the operation, the OCID and the service code', async () => {
    const s = scope({ t: 0 });
    const call = callWithRetry(s, 'UpdateInstance', 'ocid1.instance.oc1..x', async () => {
      throw new FakeOciError(400, 'InvalidParameter', 'Tag namespace oke-nodepool-tags does not exist');
    });

    await expect(call).rejects.toThrow(OciCallError);
    await expect(call).rejects.toThrow(
      'UpdateInstance ocid1.instance.oc1..x failed: 400 InvalidParameter: Tag namespace oke-nodepool-tags does not exist (opc-request-id req-1)',
    );
    expect(s.stats.apiCalls).toBe(1);
  });

  it('turns a handled failure into a value instead of an error', async () => {
    const s = scope({ t: 0 });

    const value = await callWithRetry(
      s,
      'GetNodePool',
      'ocid1.nodepool.oc1..x',
      async (): Promise<string | undefined> => {
        throw new FakeOciError(404, 'NotAuthorizedOrNotFound', 'gone');
      },
      (failure) => (failure.statusCode === 404 ? { value: undefined } : undefined),
    );

    expect(value).toBeUndefined();
  });

  it('stops retrying before the deadline and reports the last error', async () => {
    const now = { t: 0 };
    const s = scope(now, 1000);

    const call = callWithRetry(s, 'GetInstance', 'ocid1.instance.oc1..x', async () => {
      now.t += 100;
      throw new FakeOciError(503, 'ServiceUnavailable', 'busy');
    });

    await expect(call).rejects.toThrow(DeadlineError);
    await expect(call).rejects.toThrow(
      /GetInstance ocid1.instance.oc1..x failed: 503 ServiceUnavailable: busy \(opc-request-id req-1\) \(gave up after \d attempt\(s\): the deadline is near\)/,
    );
    expect(now.t).toBeLessThanOrEqual(1000 - DEFAULT_RETRY_POLICY.reserveMs);
  });

  it('refuses to start a call when no time is left', async () => {
    const s = scope({ t: 0 }, 100);
    let called = false;

    await expect(
      callWithRetry(s, 'GetInstance', 'ocid1.instance.oc1..x', async () => {
        called = true;
      }),
    ).rejects.toThrow(DeadlineError);
    expect(called).toBe(false);
  });

  it('gives each attempt an abort signal that fires when the attempt runs too long', async () => {
    const s = {
      ...scope({ t: Date.now() }),
      deadline: Deadline.inSeconds(30),
      policy: { ...DEFAULT_RETRY_POLICY, attemptTimeoutMs: 50, maxAttempts: 2 },
      sleep: async () => {},
    };
    const signals: AbortSignal[] = [];

    const call = callWithRetry(s, 'GetInstance', 'ocid1.instance.oc1..x', () => {
      const signal = currentAttemptSignal();
      if (!signal) throw new Error('no signal');
      signals.push(signal);
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    });

    await expect(call).rejects.toThrow(/attempt timed out after 50 ms \(gave up after 2 attempt\(s\)\)/);
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });
});

describe('backoffDelayMs', () => {
  it('caps the ceiling at the maximum delay', () => {
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 20, () => 0.999999)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs - 1);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 0, () => 0)).toBe(0);
  });
});

describe('classifyFailure on the SDK’s network error shape', () => {
  it('reads the message of a plain rejected object and retries it', () => {
    const failure = classifyFailure({ code: undefined, message: 'fetch failed', requestEndpoint: 'GET http://x' });

    expect(failure).toMatchObject({ statusCode: undefined, retryable: true, message: 'NetworkError: fetch failed' });
  });
});
