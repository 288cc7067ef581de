/**
 * The gateway's upstream connections on this instance (SPEC §4 Upstreams): started lazily, one
 * shared per server or one per downstream session (`per_session`), concurrent first calls sharing
 * one start; crashes restarted with backoff behind a circuit breaker; per-server timeouts and caller
 * cancellation sent upstream as `notifications/cancelled`; idle upstreams reaped; lifecycle and
 * (bounded) child stderr written as server events, never to the gateway's own output.
 */
import { connectUpstream, type ServerPolicy, type UpstreamConnection, type UpstreamExit } from "@switchyard/core";
import type { McpServer } from "@switchyard/db";
import type { ClientCapabilities, Implementation } from "@modelcontextprotocol/sdk/types.js";
import {
  ListToolsResultSchema,
  McpError,
  ProgressNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { isAppError, type EventLevel, type ServerConfig, type ServerEventCategory } from "@switchyard/shared";
import type { ZodType } from "zod";
import { DEFAULT_HEALTH, ServerHealth, type HealthOptions } from "./upstream/server-health";
import { LineBudget } from "./upstream/line-budget";
import { ProgressRouter, startCall, type CallControl, type ProgressUpdate } from "./upstream/call-control";
import { PassthroughCallToolResultSchema } from "./upstream/call-tool-result";
import { CONNECTION_CLOSED, isSessionNotFound, toUpstreamError, UpstreamError } from "./upstream/upstream-error";
import { CLOSE_REASON_TEXT, UpstreamSlot, type CloseReason } from "./upstream/upstream-slot";

export { UpstreamError, isUpstreamError, type UpstreamFailureKind } from "./upstream/upstream-error";
export type { ProgressUpdate } from "./upstream/call-control";

export interface UpstreamCallOptions {
  projectId: string;
  serverId: string;
  /** downstream session id; used for per_session isolation and progress routing */
  sessionId: string;
  signal?: AbortSignal;
  onProgress?: (p: ProgressUpdate) => void;
}

export interface UpstreamPoolDeps {
  /** from core getServerConfig */
  loadServer: (projectId: string, serverId: string) => Promise<{ row: McpServer; config: ServerConfig }>;
  /** fire-and-forget */
  recordEvent: (e: { projectId: string; serverId: string; level: EventLevel; category: ServerEventCategory; message: string; details?: Record<string, unknown> }) => void;
  policy: ServerPolicy;
  scratchRoot: string;
  selfUrls: string[];
  /** reap idle upstreams (default 10 min) */
  idleTimeoutMs?: number;
  /** spawn/connect + initialize limit, apart from call timeouts (default 30 s) */
  connectTimeoutMs?: number;
  /** restart backoff and circuit breaker tuning */
  health?: Partial<HealthOptions>;
  clientInfo?: Implementation;
  capabilities?: ClientCapabilities;
}

export type ListChangedKind = "tools" | "prompts" | "resources";
type ListChangedListener = (projectId: string, serverId: string, kind: ListChangedKind) => void;

interface ServerEntry {
  key: string;
  projectId: string;
  serverId: string;
  loading?: Promise<{ row: McpServer; config: ServerConfig }>;
  health: ServerHealth;
  stderrBudget: LineBudget;
}

const DEFAULT_IDLE_MS = 10 * 60_000;
const MAX_DRAIN_MS = 30_000;
const MAX_TOOL_PAGES = 100;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** Waits for `promise` unless the caller gives up first (the work goes on for other waiters). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new UpstreamError("cancelled", `${what} was cancelled`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new UpstreamError("cancelled", `${what} was cancelled`));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener("abort", onAbort), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/** The exit of a connection that is already closed, or undefined when it still runs. */
async function exitIfClosed(conn: UpstreamConnection): Promise<UpstreamExit | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const stillOpen = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 100)));
  const exit = await Promise.race([conn.closed, stillOpen]);
  clearTimeout(timer);
  return exit;
}

export class UpstreamPool {
  private readonly slots = new Map<string, UpstreamSlot>();
  /** Every slot not yet fully closed, retired ones included: what close() must end. */
  private readonly everySlot = new Set<UpstreamSlot>();
  private readonly servers = new Map<string, ServerEntry>();
  private readonly listeners = new Set<ListChangedListener>();
  private readonly progress = new ProgressRouter();
  private readonly shutdown = new AbortController();
  private readonly idleMs: number;
  private readonly healthOptions: HealthOptions;
  private readonly reaper: NodeJS.Timeout;
  private closing: Promise<void> | undefined;

  constructor(private readonly deps: UpstreamPoolDeps) {
    this.idleMs = deps.idleTimeoutMs ?? DEFAULT_IDLE_MS;
    this.healthOptions = { ...DEFAULT_HEALTH, ...deps.health };
    this.reaper = setInterval(() => this.reap(), Math.max(50, Math.min(this.idleMs / 2, 30_000)));
    this.reaper.unref();
  }

  callTool(opts: UpstreamCallOptions, params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> }): Promise<CallToolResult> {
    return this.run(opts, (conn, call) => conn.client.request({ method: "tools/call", params: call.shape(params) }, PassthroughCallToolResultSchema, call.options));
  }

  /** generic passthrough for other methods (prompts/get, resources/read, completion/complete, ...) */
  request<T>(opts: UpstreamCallOptions, req: { method: string; params?: Record<string, unknown> }, resultSchema: ZodType<T>): Promise<T> {
    return this.run(opts, (conn, call) => {
      const params = call.shape(req.params);
      return conn.client.request({ method: req.method, ...(params ? { params } : {}) }, resultSchema, call.options);
    });
  }

  /** Sends a notification to the caller's upstream if one runs; never starts one for it. */
  async notify(opts: Omit<UpstreamCallOptions, "signal" | "onProgress">, n: { method: string; params?: Record<string, unknown> }): Promise<void> {
    const key = `${opts.projectId}:${opts.serverId}`;
    const slot = this.slots.get(key) ?? this.slots.get(`${key}\u0000${opts.sessionId}`);
    if (!slot?.conn) return;
    try {
      await slot.conn.client.notification({ method: n.method, ...(n.params ? { params: n.params } : {}) });
    } catch (e) {
      throw toUpstreamError(e, { serverName: slot.label, timeoutMs: slot.timeoutMs, aborted: false, timedOut: false, crashed: slot.crashed, closedByGateway: slot.retired });
    }
  }

  /** list tools live from one upstream (used when the cache is empty) */
  listTools(opts: UpstreamCallOptions): Promise<Tool[]> {
    return this.run(opts, async (conn, call) => {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        const result = await conn.client.request({ method: "tools/list", params: cursor ? { cursor } : {} }, ListToolsResultSchema, call.options);
        tools.push(...result.tools);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return tools;
    });
  }

  onListChanged(cb: ListChangedListener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** closes per_session upstreams of that downstream session */
  async releaseSession(sessionId: string): Promise<void> {
    const mine = [...this.everySlot].filter((s) => s.sessionId === sessionId);
    await Promise.all(mine.map((s) => this.retire(s, "session_ended", false)));
  }

  /** config changed: running calls finish (bounded by the server's timeout), then the upstream closes; the next call rebuilds */
  async invalidate(serverId: string): Promise<void> {
    for (const [key, entry] of this.servers) if (entry.serverId === serverId) this.servers.delete(key);
    const affected = [...this.everySlot].filter((s) => s.serverId === serverId);
    await Promise.all(affected.map((s) => this.retire(s, "config_changed", true)));
  }

  stats(): { upstreams: number; processes: number; openCircuits: number } {
    // A slot leaves `everySlot` when its connection ends, so every one with a connection is live.
    const live = [...this.everySlot].filter((s) => s.conn !== undefined);
    return {
      upstreams: live.length,
      processes: live.filter((s) => s.conn?.pid !== undefined).length,
      openCircuits: [...this.servers.values()].filter((e) => e.health.state !== "closed").length,
    };
  }

  /** ends every child; no orphans */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.reaper);
      this.shutdown.abort();
      await Promise.all([...this.everySlot].map((s) => this.retire(s, "shutdown", false)));
      this.servers.clear();
      this.listeners.clear();
    })();
    return this.closing;
  }

  // ---- calls ----

  private async run<T>(opts: UpstreamCallOptions, send: (conn: UpstreamConnection, call: CallControl) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const { slot, entry, conn } = await this.acquire(opts);
      const call = startCall(slot.timeoutMs, opts.signal, opts.onProgress, this.progress);
      slot.begin();
      try {
        const result = await send(conn, call);
        entry.health.recordSuccess();
        return result;
      } catch (e) {
        const aborted = opts.signal?.aborted ?? false;
        if (attempt === 0 && !aborted && isSessionNotFound(e)) {
          void this.retire(slot, "session_expired", true);
          continue;
        }
        const closedConnection = e instanceof McpError && e.code === CONNECTION_CLOSED ? await exitIfClosed(conn) : undefined;
        const failure = toUpstreamError(e, {
          serverName: slot.label,
          timeoutMs: slot.timeoutMs,
          aborted,
          timedOut: call.timedOut(),
          crashed: slot.crashed || closedConnection?.expected === false,
          closedByGateway: closedConnection?.expected === true || (slot.retired && !slot.crashed),
        });
        // A crash is counted when the connection closes; a remote upstream that stopped answering is counted here.
        if (failure.kind === "unavailable" && !slot.retired && !closedConnection) {
          this.countFailure(entry, slot.label);
          void this.retire(slot, "unreachable", true);
        }
        throw failure;
      } finally {
        slot.end();
        call.dispose();
      }
    }
  }

  private entry(projectId: string, serverId: string): ServerEntry {
    const key = `${projectId}:${serverId}`;
    let entry = this.servers.get(key);
    if (!entry) {
      entry = { key, projectId, serverId, health: new ServerHealth(this.healthOptions), stderrBudget: new LineBudget() };
      this.servers.set(key, entry);
    }
    return entry;
  }

  private async load(entry: ServerEntry): Promise<{ row: McpServer; config: ServerConfig }> {
    entry.loading ??= this.deps.loadServer(entry.projectId, entry.serverId);
    try {
      return await entry.loading;
    } catch (e) {
      entry.loading = undefined;
      throw new UpstreamError("unavailable", `server configuration could not be loaded: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  /** The caller's connected upstream, started (once, however many callers wait) when there is none. */
  private async acquire(opts: UpstreamCallOptions): Promise<{ slot: UpstreamSlot; entry: ServerEntry; conn: UpstreamConnection }> {
    for (;;) {
      if (this.closing) throw new UpstreamError("unavailable", "the gateway is shutting down");
      if (opts.signal?.aborted) throw new UpstreamError("cancelled", "call was cancelled");
      const entry = this.entry(opts.projectId, opts.serverId);
      const { config } = await unlessAborted(this.load(entry), opts.signal, "call");
      if (!config.enabled) throw new UpstreamError("unavailable", `server ${config.name} is disabled`);
      const perSession = config.isolation === "per_session";
      const key = perSession ? `${entry.key}\u0000${opts.sessionId}` : entry.key;
      let slot = this.slots.get(key);
      if (!slot) {
        const admission = entry.health.admit();
        if (!admission.ok) {
          throw new UpstreamError("circuit_open", `upstream ${config.name} keeps failing; not retrying for ${Math.ceil(admission.retryInMs / 1000)} s`);
        }
        const created = new UpstreamSlot(key, opts.projectId, opts.serverId, perSession ? opts.sessionId : null, config.name, config.timeoutMs);
        this.slots.set(key, created);
        this.everySlot.add(created);
        created.connecting = this.start(created, entry, config, admission.probe);
        created.connecting.catch(() => undefined);
        slot = created;
      }
      let conn = slot.conn;
      if (!conn) {
        if (!slot.connecting) throw new UpstreamError("unavailable", `upstream ${slot.label} is not running`);
        conn = await unlessAborted(slot.connecting, opts.signal, "call");
      }
      // Retired while starting (config changed, session ended): start again with the new state.
      if (slot.retired) continue;
      return { slot, entry, conn };
    }
  }

  private async start(slot: UpstreamSlot, entry: ServerEntry, config: ServerConfig, probe: boolean): Promise<UpstreamConnection> {
    const delay = entry.health.backoffMs(probe);
    if (delay > 0) await sleep(delay, this.shutdown.signal);
    if (this.closing || slot.retired) {
      this.forget(slot);
      throw new UpstreamError("unavailable", `upstream ${config.name} was stopped before it started`);
    }
    const restart = entry.health.crashedLast;
    const startedAt = Date.now();
    let conn: UpstreamConnection;
    try {
      conn = await connectUpstream(
        { serverId: slot.serverId, config },
        {
          policy: this.deps.policy,
          scratchRoot: this.deps.scratchRoot,
          selfUrls: this.deps.selfUrls,
          ...(this.deps.connectTimeoutMs ? { connectTimeoutMs: this.deps.connectTimeoutMs } : {}),
          ...(this.deps.clientInfo ? { clientInfo: this.deps.clientInfo } : {}),
          ...(this.deps.capabilities ? { capabilities: this.deps.capabilities } : {}),
          onStderr: (line) => this.stderr(entry, slot, line),
        },
      );
    } catch (e) {
      this.forget(slot);
      const message = e instanceof Error ? e.message : String(e);
      this.event(entry, "startup", "error", `failed to start: ${message}`, { ...this.slotDetails(slot), ...(isAppError(e) && e.details ? { error: e.details } : {}) });
      this.countFailure(entry, config.name);
      throw new UpstreamError("unavailable", `upstream ${config.name} failed to start: ${message}`, { cause: e });
    }
    entry.health.recordConnected();
    if (this.closing || slot.retired) {
      await conn.close();
      this.forget(slot);
      throw new UpstreamError("unavailable", `upstream ${config.name} was stopped while starting`);
    }
    slot.conn = conn;
    this.watchListChanges(slot, conn);
    void conn.closed.then((exit) => this.ended(slot, entry, exit));
    const what = conn.pid ? `started (pid ${conn.pid})` : `connected over ${conn.transportKind}`;
    this.event(entry, restart ? "restart" : "startup", "info", restart ? `${what} after a crash` : what, {
      ...this.slotDetails(slot),
      transport: conn.transportKind,
      serverInfo: conn.serverInfo.name,
      serverVersion: conn.serverInfo.version,
      protocolVersion: conn.serverInfo.protocolVersion,
      connectMs: Date.now() - startedAt,
    });
    return conn;
  }

  private ended(slot: UpstreamSlot, entry: ServerEntry, exit: UpstreamExit): void {
    this.forget(slot);
    if (exit.expected) {
      this.event(entry, "exit", "info", CLOSE_REASON_TEXT[slot.closeReason ?? "shutdown"], this.slotDetails(slot));
      return;
    }
    slot.crashed = true;
    entry.health.crashedLast = true;
    this.event(entry, "crash", "error", "exited unexpectedly", { ...this.slotDetails(slot), inflight: slot.inflight, stderrTail: exit.stderrTail });
    this.countFailure(entry, slot.label);
  }

  private countFailure(entry: ServerEntry, name: string): void {
    if (!entry.health.recordFailure()) return;
    const seconds = Math.round(this.healthOptions.cooldownMs / 1000);
    this.event(entry, "restart", "error", `circuit open after ${entry.health.consecutiveFailures} consecutive failures of ${name}: calls fail fast for ${seconds} s, then one call probes`, {
      failures: entry.health.consecutiveFailures,
    });
  }

  // ---- lifecycle ----

  private retire(slot: UpstreamSlot, reason: CloseReason, drain: boolean): Promise<void> {
    if (this.slots.get(slot.key) === slot) this.slots.delete(slot.key);
    slot.retired = true;
    slot.closeReason ??= reason;
    slot.closing ??= (async () => {
      const conn = slot.conn ?? (await slot.connecting?.catch(() => undefined));
      if (!conn) return this.forget(slot);
      if (drain) await slot.drained(Math.min(slot.timeoutMs, MAX_DRAIN_MS));
      await conn.close();
    })();
    return slot.closing;
  }

  private forget(slot: UpstreamSlot): void {
    if (this.slots.get(slot.key) === slot) this.slots.delete(slot.key);
    this.everySlot.delete(slot);
  }

  private reap(): void {
    const now = Date.now();
    for (const slot of this.slots.values()) {
      if (slot.conn && slot.inflight === 0 && now - slot.lastUsed >= this.idleMs) void this.retire(slot, "idle", false);
    }
    // Forget configs of healthy servers with nothing running, so the cache stays as small as what runs.
    const running = new Set([...this.everySlot].map((s) => `${s.projectId}:${s.serverId}`));
    for (const [key, entry] of this.servers) {
      if (!running.has(key) && entry.health.state === "closed" && entry.health.consecutiveFailures === 0) this.servers.delete(key);
    }
  }

  // ---- notifications and events ----

  private watchListChanges(slot: UpstreamSlot, conn: UpstreamConnection): void {
    const emit = (kind: ListChangedKind) => () => {
      for (const listener of this.listeners) {
        try {
          listener(slot.projectId, slot.serverId, kind);
        } catch {
          // One listener's failure must not keep the others from hearing about the change.
        }
      }
    };
    // Progress is routed by the pool's own tokens (see call-control.ts), replacing the SDK's routing.
    conn.client.setNotificationHandler(ProgressNotificationSchema, (n) => this.progress.dispatch(n.params));
    conn.client.setNotificationHandler(ToolListChangedNotificationSchema, emit("tools"));
    conn.client.setNotificationHandler(PromptListChangedNotificationSchema, emit("prompts"));
    conn.client.setNotificationHandler(ResourceListChangedNotificationSchema, emit("resources"));
  }

  private stderr(entry: ServerEntry, slot: UpstreamSlot, line: string): void {
    const dropped = entry.stderrBudget.take();
    if (dropped === null) return;
    this.event(entry, "stderr", "info", line, { ...this.slotDetails(slot), ...(dropped > 0 ? { droppedLines: dropped } : {}) });
  }

  private slotDetails(slot: UpstreamSlot): Record<string, unknown> {
    return { ...(slot.conn?.pid ? { pid: slot.conn.pid } : {}), ...(slot.sessionId ? { sessionId: slot.sessionId } : {}) };
  }

  private event(entry: ServerEntry, category: ServerEventCategory, level: EventLevel, message: string, details?: Record<string, unknown>): void {
    try {
      this.deps.recordEvent({ projectId: entry.projectId, serverId: entry.serverId, level, category, message, ...(details ? { details } : {}) });
    } catch {
      // Recording is fire-and-forget: a failing recorder never fails a call.
    }
  }
}
