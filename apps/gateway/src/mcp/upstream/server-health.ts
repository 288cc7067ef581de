/**
 * Restart backoff and circuit breaker for one server (all its upstreams, shared or per session).
 * Failures are failed connects and crashes — not timeouts, cancellations or the upstream's own
 * JSON-RPC errors, which say nothing about whether it runs. A successful call resets the count; a
 * successful connect alone does not, so a server that starts and then crashes on every call still
 * trips the breaker. While open, calls fail fast; after the cool-down one start probes (half-open):
 * the pool's own background probe (upstream-pool.ts), or a call that comes first.
 */

export interface HealthOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold: number;
  /** How long the circuit stays open before a probe (default 30 s). */
  cooldownMs: number;
  /** First restart delay after a failure, doubled per further failure (default 250 ms). */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_HEALTH: HealthOptions = { failureThreshold: 5, cooldownMs: 30_000, backoffBaseMs: 250, backoffMaxMs: 30_000 };

export type CircuitState = "closed" | "open" | "half_open";

export type Admission = { ok: true; probe: boolean } | { ok: false; retryInMs: number };

export class ServerHealth {
  private failures = 0;
  private circuit: CircuitState = "closed";
  private openedAt = 0;
  private probing = false;
  /** Whether the last upstream of this server ended in a crash (the next start is a restart). */
  crashedLast = false;

  constructor(
    private readonly options: HealthOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    return this.circuit;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Asks to start a new upstream. Open: refused until the cool-down ends, then one probe goes through. */
  admit(): Admission {
    if (this.circuit === "open") {
      const retryInMs = this.openedAt + this.options.cooldownMs - this.now();
      if (retryInMs > 0) return { ok: false, retryInMs };
      this.circuit = "half_open";
    }
    if (this.circuit === "half_open") {
      if (this.probing) return { ok: false, retryInMs: this.options.cooldownMs };
      this.probing = true;
      return { ok: true, probe: true };
    }
    return { ok: true, probe: false };
  }

  /** Delay before the next start: 0 when healthy, else exponential in the failures so far. A probe has served its cool-down. */
  backoffMs(probe: boolean): number {
    if (probe || this.failures === 0) return 0;
    return Math.min(this.options.backoffBaseMs * 2 ** (this.failures - 1), this.options.backoffMaxMs);
  }

  /** Returns true when this failure opened the circuit. */
  recordFailure(): boolean {
    this.failures++;
    const wasProbe = this.circuit === "half_open";
    this.probing = false;
    if (wasProbe || (this.circuit === "closed" && this.failures >= this.options.failureThreshold)) {
      this.circuit = "open";
      this.openedAt = this.now();
      return true;
    }
    return false;
  }

  /** The probe connected: traffic flows again (one more failure reopens, the count is not reset yet). */
  recordConnected(): void {
    if (this.circuit === "half_open") {
      this.circuit = "closed";
      this.probing = false;
    }
  }

  recordSuccess(): void {
    this.failures = 0;
    this.crashedLast = false;
    if (this.circuit === "half_open") this.probing = false;
    this.circuit = "closed";
  }
}
