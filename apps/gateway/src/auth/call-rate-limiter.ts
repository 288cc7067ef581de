/**
 * Per-key (or per console user) request limits in one-minute windows. With Redis the count is
 * cluster-wide; without it, or whenever Redis does not answer, each instance counts locally
 * ("fail open locally") and the fallback is counted for the metrics.
 */
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface CallRateLimiterOptions {
  /** Limit for keys without their own `rate_limit_per_minute`. */
  defaultPerMinute: number;
  redis?: Redis;
  keyPrefix?: string;
  /** Redis failed for one request and the local count decided instead. */
  onFailOpen?: (e: unknown) => void;
}

export class CallRateLimiter {
  // One limiter per distinct limit: rate-limiter-flexible fixes the points per instance.
  private readonly local = new Map<number, RateLimiterMemory>();
  private readonly shared = new Map<number, RateLimiterRedis>();

  constructor(private readonly opts: CallRateLimiterOptions) {}

  /** Takes one request from `subject`'s budget for the current minute. */
  async consume(subject: string, perMinute: number | null): Promise<RateDecision> {
    const points = perMinute ?? this.opts.defaultPerMinute;
    if (this.opts.redis) {
      try {
        return await take(this.limiter(this.shared, points, (p) => this.redisLimiter(p)), subject);
      } catch (e) {
        this.opts.onFailOpen?.(e);
      }
    }
    return take(
      this.limiter(this.local, points, (p) => new RateLimiterMemory({ points: p, duration: 60, keyPrefix: this.prefix })),
      subject,
    );
  }

  private get prefix(): string {
    return this.opts.keyPrefix ?? "sy:rl";
  }

  private redisLimiter(points: number): RateLimiterRedis {
    return new RateLimiterRedis({
      storeClient: this.opts.redis,
      points,
      duration: 60,
      keyPrefix: `${this.prefix}:${points}`,
      // Fail fast instead of queueing behind a reconnect: the request path must not wait on Redis.
      rejectIfRedisNotReady: true,
    });
  }

  private limiter<T extends RateLimiterAbstract>(cache: Map<number, T>, points: number, make: (points: number) => T): T {
    let limiter = cache.get(points);
    if (!limiter) {
      limiter = make(points);
      cache.set(points, limiter);
    }
    return limiter;
  }
}

async function take(limiter: RateLimiterAbstract, subject: string): Promise<RateDecision> {
  try {
    await limiter.consume(subject);
    return { allowed: true };
  } catch (e) {
    // rate-limiter-flexible rejects with a RateLimiterRes when the budget is spent, with an Error otherwise.
    if (e instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, e.msBeforeNext) };
    throw e;
  }
}
