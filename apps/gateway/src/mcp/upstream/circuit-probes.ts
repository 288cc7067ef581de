/**
 * Background probes of open circuits (docs/ARCHITECTURE.md, "Upstream failures"): when a server's
 * circuit opens, a probe is due at the end of its cool-down, so a server that recovers serves
 * again without a client call having to be the probe. One timer per server; timers never keep the
 * process alive and all end with the pool.
 */
import type { ServerEntry } from "./server-directory";

export class CircuitProbes {
  private readonly timers = new Map<ServerEntry, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly probe: (entry: ServerEntry) => Promise<void>) {}

  /** Probes `entry` in `delayMs` (replacing a probe already due). */
  schedule(entry: ServerEntry, delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(entry));
    const timer = setTimeout(() => {
      this.timers.delete(entry);
      void this.probe(entry).catch(() => undefined);
    }, delayMs);
    timer.unref();
    this.timers.set(entry, timer);
  }

  get pending(): number {
    return this.timers.size;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
