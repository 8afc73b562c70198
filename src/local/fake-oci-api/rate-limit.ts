export interface RateLimitOptions {
  /** Sustained rate; tokens are refilled continuously at this rate. */
  readonly requestsPerSecond: number;
  /** Bucket size, i.e. how many requests may arrive at once. Defaults to one second's worth (at least 1). */
  readonly burst?: number;
}

/** Continuous-refill token bucket shared by all requests. */
export class TokenBucket {
  private tokens: number;
  private refilledAt = Date.now();
  private readonly rate: number;
  private readonly capacity: number;

  constructor(options: RateLimitOptions) {
    if (!(options.requestsPerSecond > 0))
      throw new RangeError(`rateLimit.requestsPerSecond must be positive, got ${options.requestsPerSecond}`);
    this.rate = options.requestsPerSecond;
    this.capacity = options.burst ?? Math.max(1, Math.floor(options.requestsPerSecond));
    if (!(this.capacity >= 1)) throw new RangeError(`rateLimit.burst must be at least 1, got ${this.capacity}`);
    this.tokens = this.capacity;
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
