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

/**
 * Its state changes only through its methods: starting → connected → (crashed) → retired → closed;
 * calls begin and end on it, and whoever retires it first gives the reason.
 */
export class UpstreamSlot {
  private connection: UpstreamConnection | undefined;
  private directRequests: DirectRequests | undefined;
  private start: Promise<UpstreamConnection> | undefined;
  private running = 0;
  /** The downstream requests running on this upstream now (who gets its server requests and log lines). */
  private readonly callers = new Set<CallerRef>();
  private used = Date.now();
  private isRetired = false;
  private reason: CloseReason | undefined;
  private hasCrashed = false;
  private closed: Promise<void> | undefined;
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

  get conn(): UpstreamConnection | undefined {
    return this.connection;
  }

  /** The hot path's requests on `conn` (set with it). */
  get direct(): DirectRequests | undefined {
    return this.directRequests;
  }

  get connecting(): Promise<UpstreamConnection> | undefined {
    return this.start;
  }

  get inflight(): number {
    return this.running;
  }

  get calls(): ReadonlySet<CallerRef> {
    return this.callers;
  }

  get lastUsed(): number {
    return this.used;
  }

  /** Out of the pool's map: no new calls; closed once drained. */
  get retired(): boolean {
    return this.isRetired;
  }

  get closeReason(): CloseReason | undefined {
    return this.reason;
  }

  /** The connection ended without us asking. */
  get crashed(): boolean {
    return this.hasCrashed;
  }

  starting(connect: Promise<UpstreamConnection>): void {
    this.start = connect;
    connect.catch(() => undefined);
  }

  connected(conn: UpstreamConnection, direct: DirectRequests | undefined): void {
    this.connection = conn;
    this.directRequests = direct;
  }

  markCrashed(): void {
    this.hasCrashed = true;
  }

  /** Takes no new calls from now on; `close` runs once (the first reason is kept). */
  retire(reason: CloseReason, close: () => Promise<void>): Promise<void> {
    this.isRetired = true;
    this.reason ??= reason;
    this.closed ??= close();
    return this.closed;
  }

  begin(caller?: CallerRef): void {
    this.running++;
    this.used = Date.now();
    if (caller) this.callers.add(caller);
  }

  end(caller?: CallerRef): void {
    if (caller) this.callers.delete(caller);
    this.running--;
    this.used = Date.now();
    if (this.running === 0) for (const wake of this.drainWaiters.splice(0)) wake();
  }

  /** Connected, nothing running, unused for `idleMs`. */
  idleAt(now: number, idleMs: number): boolean {
    return this.connection !== undefined && this.running === 0 && now - this.used >= idleMs;
  }

  /** Resolves when no call runs on this upstream, or after `maxMs`. */
  drained(maxMs: number): Promise<void> {
    if (this.running === 0) return Promise.resolve();
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
