/**
 * Per-key (or per console user) request limits in one-minute windows. With Redis the count is
 * cluster-wide; without it, or whenever Redis does not answer, each instance counts locally
 * ("fail open locally") and the fallback is counted for the metrics.
 */
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface CallRateLimiterOptions {
  /** Limit for keys without their own `rate_limit_per_minute`. */
  defaultPerMinute: number;
  redis?: Redis;
  keyPrefix?: string;
  /** Redis failed for one request and the local count decided instead. */
  onFailOpen?: (e: unknown) => void;
}

const WINDOW_MS = 60_000;
const ALLOWED: RateDecision = { allowed: true };

/**
 * Fixed one-minute windows in memory, synchronous: the per-instance count (no Redis, or Redis
 * down). Cheaper on the request path than a promise-based limiter.
 */
export class LocalWindows {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();
  private lastSweep = Date.now();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes `units` at once, or nothing when they do not all fit in what is left of the window. */
  take(subject: string, limit: number, units = 1): RateDecision {
    const now = this.now();
    if (now - this.lastSweep > WINDOW_MS) this.sweep(now);
    let w = this.windows.get(subject);
    if (!w || now - w.startedAt >= WINDOW_MS) {
      w = { startedAt: now, count: 0 };
      this.windows.set(subject, w);
    }
    if (w.count + units > limit) return { allowed: false, retryAfterMs: Math.max(1, w.startedAt + WINDOW_MS - now) };
    w.count += units;
    return ALLOWED;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [subject, w] of this.windows) if (now - w.startedAt >= WINDOW_MS) this.windows.delete(subject);
  }
}

/**
 * With Redis, an instance takes a subject's budget in shares of this fraction of its limit (one
 * unit for limits under 100) and spends them from memory: one Redis round trip per share, not per
 * request. The cluster never admits more than the limit; it may refuse up to one share per
 * instance early (units taken but not yet spent when the window ends).
 */
const SHARE_OF_LIMIT = 1 / 100;

/** Units of a subject's window taken from Redis and not yet spent here. */
interface Lease {
  points: number;
  left: number;
  /** When the Redis window it was taken from ends (epoch ms). */
  until: number;
  /** A share being taken: requests arriving meanwhile wait for it instead of taking their own. */
  taking?: Promise<unknown>;
}

export class CallRateLimiter {
  // One Redis limiter per distinct limit: rate-limiter-flexible fixes the points per instance.
  private readonly shared = new Map<number, RateLimiterRedis>();
  private readonly local = new LocalWindows();
  private readonly leases = new Map<string, Lease>();
  private lastSweep = Date.now();

  constructor(private readonly opts: CallRateLimiterOptions) {}

  /**
   * Takes `units` requests (one per JSON-RPC request of a POST) from `subject`'s budget for the
   * current minute. Answers without a promise when the units are in memory (the local count, or a
   * share of the cluster's taken earlier): no async hop, no Redis round trip on most requests.
   */
  consume(subject: string, perMinute: number | null, units = 1): RateDecision | Promise<RateDecision> {
    const points = perMinute ?? this.opts.defaultPerMinute;
    if (!this.opts.redis) return this.local.take(subject, points, units);
    const lease = this.leases.get(subject);
    if (lease && lease.points === points && lease.left >= units && lease.until > Date.now()) {
      lease.left -= units;
      return ALLOWED;
    }
    return this.takeShare(subject, points, units, lease);
  }

  private async takeShare(subject: string, points: number, units: number, lease: Lease | undefined): Promise<RateDecision> {
    if (lease?.taking && lease.points === points) {
      await lease.taking.catch(() => undefined);
      return this.consume(subject, points, units);
    }
    const share = Math.max(units, Math.floor(points * SHARE_OF_LIMIT));
    const next: Lease = { points, left: 0, until: 0 };
    const taking = takeShared(this.redisLimiter(points), subject, share);
    next.taking = taking;
    this.leases.set(subject, next);
    this.sweepLeases();
    try {
      const decision = await taking;
      if (!decision.allowed) return decision;
      next.left = share - units;
      next.until = decision.until;
      return ALLOWED;
    } catch (e) {
      this.opts.onFailOpen?.(e);
      return this.local.take(subject, points, units);
    } finally {
      next.taking = undefined;
    }
  }

  /** Drops the leases of windows that ended, at most once a window. */
  private sweepLeases(): void {
    const now = Date.now();
    if (now - this.lastSweep < WINDOW_MS) return;
    this.lastSweep = now;
    for (const [subject, lease] of this.leases) if (!lease.taking && lease.until <= now) this.leases.delete(subject);
  }

  private get prefix(): string {
    return this.opts.keyPrefix ?? "sy:rl";
  }

  private redisLimiter(points: number): RateLimiterRedis {
    const existing = this.shared.get(points);
    if (existing) return existing;
    const limiter = new RateLimiterRedis({
      storeClient: this.opts.redis,
      points,
      duration: 60,
      keyPrefix: `${this.prefix}:${points}`,
      // Fail fast instead of queueing behind a reconnect: the request path must not wait on Redis.
      rejectIfRedisNotReady: true,
    });
    this.shared.set(points, limiter);
    return limiter;
  }
}

async function takeShared(limiter: RateLimiterRedis, subject: string, units: number): Promise<{ allowed: true; until: number } | { allowed: false; retryAfterMs: number }> {
  try {
    const res = await limiter.consume(subject, units);
    return { allowed: true, until: Date.now() + res.msBeforeNext };
  } catch (e) {
    // rate-limiter-flexible rejects with a RateLimiterRes when the budget is spent, with an Error otherwise.
    if (e instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, e.msBeforeNext) };
    throw e;
  }
}
