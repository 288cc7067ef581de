/**
 * Failed authentication attempts per source IP, in fixed one-minute windows. Past the limit the
 * IP is refused (429) until its window ends, whatever it presents, so keys cannot be guessed at
 * speed. Synchronous and in memory: it sits on every request's path.
 */

export interface FailedAttemptsOptions {
  /** Failures allowed per IP and window (default 20). */
  maxFailures?: number;
  windowMs?: number;
  /** Tracked IPs; past it, windows that ended are swept, then the oldest dropped (default 100,000). */
  maxTracked?: number;
  now?: () => number;
}

interface Window {
  startedAt: number;
  failures: number;
}

export class FailedAttempts {
  private readonly windows = new Map<string, Window>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxTracked: number;
  private readonly now: () => number;
  private lastFailureAt: number | undefined;

  constructor(opts: FailedAttemptsOptions = {}) {
    this.maxFailures = opts.maxFailures ?? 20;
    this.windowMs = opts.windowMs ?? 60_000;
    this.maxTracked = opts.maxTracked ?? 100_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Whether anyone can be blocked: only with a failure within the last window (a window starts at
   * a failure). Without one the request path skips building the subject and looking it up.
   */
  get counting(): boolean {
    return this.lastFailureAt !== undefined && this.now() - this.lastFailureAt < this.windowMs;
  }

  /** Milliseconds until `ip` may try again; 0 when it is not blocked. */
  blockedFor(ip: string): number {
    const w = this.windows.get(ip);
    if (!w || w.failures < this.maxFailures) return 0;
    const left = w.startedAt + this.windowMs - this.now();
    if (left > 0) return left;
    this.windows.delete(ip);
    return 0;
  }

  /** Counts one failure of `ip`. */
  fail(ip: string): void {
    const now = this.now();
    this.lastFailureAt = now;
    let w = this.windows.get(ip);
    if (!w || now - w.startedAt >= this.windowMs) {
      if (!w && this.windows.size >= this.maxTracked) this.sweep(now);
      w = { startedAt: now, failures: 0 };
      this.windows.set(ip, w);
    }
    w.failures++;
  }

  private sweep(now: number): void {
    for (const [ip, w] of this.windows) if (now - w.startedAt >= this.windowMs) this.windows.delete(ip);
    while (this.windows.size >= this.maxTracked) {
      const oldest = this.windows.keys().next();
      if (oldest.done) break;
      this.windows.delete(oldest.value);
    }
  }
}
