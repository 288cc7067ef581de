/** One upstream connection of the pool: a shared one per server, or one per downstream session. */
import type { UpstreamConnection } from "@switchyard/core/upstream";
import type { DirectRequests } from "./direct-requests";
import type { CallerRef } from "./server-requests";

export type CloseReason = "idle" | "config_changed" | "session_ended" | "shutdown" | "session_expired" | "unreachable";

export const CLOSE_REASON_TEXT: Record<CloseReason, string> = {
  idle: "stopped after being idle",
  config_changed: "stopped: configuration changed",
  session_ended: "stopped: client session ended",
  shutdown: "stopped: gateway shutting down",
  session_expired: "stopped: upstream forgot the session, reconnecting",
  unreachable: "stopped: upstream unreachable",
};

export class UpstreamSlot {
  conn: UpstreamConnection | undefined;
  /** The hot path's requests on `conn` (set with it). */
  direct: DirectRequests | undefined;
  connecting: Promise<UpstreamConnection> | undefined;
  inflight = 0;
  /** The downstream requests running on this upstream now (who gets its server requests and log lines). */
  readonly calls = new Set<CallerRef>();
  lastUsed = Date.now();
  /** Out of the pool's map: no new calls; closed once drained. */
  retired = false;
  closeReason: CloseReason | undefined;
  /** The connection ended without us asking. */
  crashed = false;
  closing: Promise<void> | undefined;
  private drainWaiters: (() => void)[] = [];

  constructor(
    readonly key: string,
    readonly projectId: string,
    readonly serverId: string,
    /** Set for per_session upstreams. */
    readonly sessionId: string | null,
    /** The server's name, for messages. */
    readonly label: string,
    /** The server's per-call timeout. */
    readonly timeoutMs: number,
  ) {}

  begin(): void {
    this.inflight++;
    this.lastUsed = Date.now();
  }

  end(): void {
    this.inflight--;
    this.lastUsed = Date.now();
    if (this.inflight === 0) for (const wake of this.drainWaiters.splice(0)) wake();
  }

  /** Resolves when no call runs on this upstream, or after `maxMs`. */
  drained(maxMs: number): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      timer.unref();
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
