/**
 * The invocation's clock. Fn passes the deadline only as the `Fn-Deadline`
 * header, so when it is absent the configured `timeout_seconds` is used.
 */

export type Clock = () => number;

export class Deadline {
  constructor(
    /** Epoch milliseconds at which the invocation must have answered. */
    readonly at: number,
    private readonly now: Clock = Date.now,
  ) {}

  /**
   * The deadline from an `Fn-Deadline` header value, or `fallbackSeconds`
   * from now when the header is missing or unparseable. A header that lies
   * further out than the fallback allows is trusted: Fn set it.
   */
  static fromHeader(header: string | null | undefined, fallbackSeconds: number, now: Clock = Date.now): Deadline {
    const parsed = header ? Date.parse(header) : Number.NaN;
    return new Deadline(Number.isFinite(parsed) ? parsed : now() + fallbackSeconds * 1000, now);
  }

  static inSeconds(seconds: number, now: Clock = Date.now): Deadline {
    return new Deadline(now() + seconds * 1000, now);
  }

  /** Milliseconds left; negative once passed. */
  remainingMs(): number {
    return this.at - this.now();
  }
}

/** Waits `ms` milliseconds. Injected so tests can run without real waits. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
