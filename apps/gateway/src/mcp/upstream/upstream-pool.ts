/**
 * The gateway's upstream connections on this instance (docs/ARCHITECTURE.md Upstreams): started lazily, one
 * shared per server or one per downstream session (`per_session`), concurrent first calls sharing
 * one start; crashes restarted with backoff behind a circuit breaker; per-server timeouts and caller
 * cancellation sent upstream as `notifications/cancelled`; idle upstreams reaped; lifecycle and
 * (bounded) child stderr written as server events, never to the gateway's own output.
 */
import { connectUpstream, RELAYED_CLIENT_CAPABILITIES, type ConnectUpstreamOptions, type UpstreamConnection, type UpstreamExit } from "@switchyard/core/upstream";
import type { ServerPolicy } from "@switchyard/core/servers";
import type { ClientCapabilities, Implementation } from "@modelcontextprotocol/sdk/types.js";
import type { ServerInfo } from "@switchyard/shared";
import { ListToolsResultSchema, McpError, ProgressNotificationSchema, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import type { ServerConfig } from "@switchyard/shared";
import type { ZodType } from "zod";
import { DEFAULT_HEALTH, type HealthOptions } from "./server-health";
import { ProgressRouter, startCall, type CallControl, type ProgressUpdate } from "./call-control";
import { PassthroughCallToolResultSchema } from "./call-tool-result";
import { CircuitProbes } from "./circuit-probes";
import { DirectRequests } from "./direct-requests";
import { ListChangedHub, type ListChangedListener } from "./list-changed";
import { ServerDirectory, type LoadedServer, type ServerEntry } from "./server-directory";
import { JSONRPC, UpstreamError } from "../jsonrpc-errors";
import { isSessionNotFound, toUpstreamError } from "./classify-failure";
import { UpstreamEvents, type ServerEventInput } from "./upstream-events";
import { relayedCapabilitiesOf, wireServerRequests, type CallerRef, type DownstreamRelay } from "./server-requests";
import { UpstreamSlot, type CloseReason } from "./upstream-slot";
import { exitIfClosed, sleep, unlessAborted } from "./waiting";

export type { ProgressUpdate } from "./call-control";
export type { ListChangedKind } from "./list-changed";
export type { CallerRef, DownstreamRelay, RelayStats, RelayTarget, UpstreamSource } from "./server-requests";

export interface UpstreamCallOptions {
  projectId: string;
  serverId: string;
  /** downstream session id; used for per_session isolation and progress routing */
  sessionId: string;
  signal?: AbortSignal;
  onProgress?: (p: ProgressUpdate) => void;
  /** The downstream request this serves: sampling, elicitation, roots and log lines meanwhile go to it. */
  caller?: CallerRef;
  /** The downstream client's capabilities: what a per_session upstream's Client declares of sampling, elicitation and roots. */
  clientCapabilities?: ClientCapabilities;
  /** A per_session upstream started for this one request (a catalogue listing): closed once nothing runs on it. */
  release?: boolean;
}

/** The params of a tools/call as they go upstream (the caller's progress token is replaced by the pool's). */
export type UpstreamToolCall = {
  name: string;
  arguments?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
};

export interface UpstreamPoolDeps {
  /** from core getServerConfig */
  loadServer: (projectId: string, serverId: string) => Promise<LoadedServer>;
  /** fire-and-forget */
  recordEvent: (e: ServerEventInput) => void;
  policy: ServerPolicy;
  scratchRoot: string;
  /** Package caches shared by stdio servers (connectUpstream's default under scratchRoot otherwise). */
  packageCacheDir?: string;
  /** Connect limit of a package runner's first start (connectUpstream's default otherwise). */
  installTimeoutMs?: number;
  selfUrls: string[];
  /** PATH for stdio children (the gateway's own); connectUpstream's default otherwise. */
  childPath?: string;
  /** The sandbox stdio children run in (docs/SECURITY.md). */
  sandbox?: ConnectUpstreamOptions["sandbox"];
  /** reap idle upstreams (default 10 min) */
  idleTimeoutMs?: number;
  /** spawn/connect + initialize limit, apart from call timeouts (default 30 s) */
  connectTimeoutMs?: number;
  /** restart backoff and circuit breaker tuning */
  health?: Partial<HealthOptions>;
  clientInfo?: Implementation;
  capabilities?: ClientCapabilities;
  /** Where upstream sampling/elicitation/roots requests, log lines and resource updates go; without it the upstream Client declares none. */
  relay?: DownstreamRelay;
  /** How tools/call goes upstream (`HotPath.upstream`, mcp/transport/route.ts): DirectRequests (default) or the SDK Client. */
  callRoute?: "direct" | "sdk";
}

interface Acquired {
  slot: UpstreamSlot;
  entry: ServerEntry;
  conn: UpstreamConnection;
  /** Absent when tools/call goes through the SDK Client (`callRoute: "sdk"`). */
  direct: DirectRequests | undefined;
}

/** The pool's key for a per_session upstream: the server's key and the downstream session's id. */
const slotKey = (serverKey: string, sessionId: string) => `${serverKey}\u0000${sessionId}`;

const DEFAULT_IDLE_MS = 10 * 60_000;
const MAX_DRAIN_MS = 30_000;
/** How long a (re)started upstream may take to accept the log level before calls go ahead without it. */
const LEVEL_TIMEOUT_MS = 5_000;
/** How long the background probe of an open circuit waits for the ping of the upstream it started. */
const PROBE_PING_MS = 10_000;
/** The session a per_session server's probe upstream is started for (stopped again once it answered). */
const PROBE_SESSION = "circuit-probe";
const MAX_TOOL_PAGES = 100;

export class UpstreamPool {
  private readonly slots = new Map<string, UpstreamSlot>();
  /** Every slot not yet fully closed, retired ones included: what close() must end. */
  private readonly everySlot = new Set<UpstreamSlot>();
  private readonly servers: ServerDirectory;
  private readonly listChanges = new ListChangedHub();
  private readonly progress = new ProgressRouter();
  private readonly events: UpstreamEvents;
  private readonly shutdown = new AbortController();
  private readonly idleMs: number;
  private readonly healthOptions: HealthOptions;
  private readonly reaper: NodeJS.Timeout;
  private readonly probes = new CircuitProbes((entry) => this.probe(entry));
  private closing: Promise<void> | undefined;

  constructor(private readonly deps: UpstreamPoolDeps) {
    this.idleMs = deps.idleTimeoutMs ?? DEFAULT_IDLE_MS;
    this.healthOptions = { ...DEFAULT_HEALTH, ...deps.health };
    this.events = new UpstreamEvents(deps.recordEvent);
    this.servers = new ServerDirectory(deps.loadServer, this.healthOptions);
    this.reaper = setInterval(() => this.reap(), Math.max(50, Math.min(this.idleMs / 2, 30_000)));
    this.reaper.unref();
  }

  callTool(opts: UpstreamCallOptions, params: UpstreamToolCall): Promise<CallToolResult> {
    return this.run(opts, async (conn, call, direct) => {
      // The upstream's answer is untrusted input: its envelope is checked, its content passed through.
      if (!direct) return conn.client.request({ method: "tools/call", params: call.shape(params) }, PassthroughCallToolResultSchema, call.options);
      const request = direct.request("tools/call", call.shape(params));
      call.onStop(request.cancel);
      return PassthroughCallToolResultSchema.parse(await request.result);
    });
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
    const slot = this.slots.get(key) ?? this.slots.get(slotKey(key, opts.sessionId));
    if (!slot?.conn) return;
    try {
      await slot.conn.client.notification({ method: n.method, ...(n.params ? { params: n.params } : {}) });
    } catch (e) {
      throw toUpstreamError(e, { serverName: slot.label, timeoutMs: slot.timeoutMs, aborted: false, timedOut: false, crashed: slot.crashed, closedByGateway: slot.retired });
    }
  }

  /** What the upstream said of itself at initialize (starts it when it is not running). */
  serverInfo(opts: UpstreamCallOptions): Promise<ServerInfo> {
    return this.run(opts, (conn) => Promise.resolve(conn.serverInfo));
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
    return this.listChanges.subscribe(cb);
  }

  /** closes per_session upstreams of that downstream session */
  async releaseSession(sessionId: string): Promise<void> {
    const mine = [...this.everySlot].filter((s) => s.sessionId === sessionId);
    await Promise.all(mine.map((s) => this.retire(s, "session_ended", false)));
  }

  /** config changed: running calls finish (bounded by the server's timeout), then the upstream closes; the next call rebuilds */
  async invalidate(serverId: string): Promise<void> {
    this.servers.drop(serverId);
    const affected = [...this.everySlot].filter((s) => s.serverId === serverId);
    await Promise.all(affected.map((s) => this.retire(s, "config_changed", true)));
  }

  stats(): { upstreams: number; processes: number; openCircuits: number } {
    // A slot leaves `everySlot` when its connection ends, so every one with a connection is live.
    const live = [...this.everySlot].filter((s) => s.conn !== undefined);
    return {
      upstreams: live.length,
      processes: live.filter((s) => s.conn?.pid !== undefined).length,
      openCircuits: this.servers.openCircuits(),
    };
  }

  /** ends every child; no orphans */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.reaper);
      this.probes.close();
      this.shutdown.abort();
      await Promise.all([...this.everySlot].map((s) => this.retire(s, "shutdown", false)));
      this.servers.clear();
      this.listChanges.clear();
    })();
    return this.closing;
  }

  // ---- calls ----

  private async run<T>(opts: UpstreamCallOptions, send: (conn: UpstreamConnection, call: CallControl, direct: DirectRequests | undefined) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const ready = this.readyNow(opts);
      const { slot, entry, conn, direct } = ready ?? (await this.acquire(opts));
      const call = startCall(slot.timeoutMs, opts.signal, opts.onProgress, this.progress);
      slot.begin(opts.caller);
      try {
        const result = await send(conn, call, direct);
        entry.health.recordSuccess();
        return result;
      } catch (e) {
        const aborted = opts.signal?.aborted ?? false;
        if (attempt === 0 && !aborted && isSessionNotFound(e)) {
          void this.retire(slot, "session_expired", true);
          continue;
        }
        const closedConnection = e instanceof McpError && e.code === JSONRPC.connectionClosed ? await exitIfClosed(conn) : undefined;
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
          this.countFailure(entry, slot);
          void this.retire(slot, "unreachable", true);
        }
        throw failure;
      } finally {
        slot.end(opts.caller);
        call.dispose();
        if (opts.release && slot.sessionId !== null && slot.inflight === 0) void this.retire(slot, "idle", false);
      }
    }
  }

  /** The caller's upstream when it is loaded, connected and current: the common case, with no waiting. */
  private readyNow(opts: UpstreamCallOptions): Acquired | undefined {
    if (this.closing || opts.signal?.aborted) return undefined;
    const entry = this.servers.peek(opts.projectId, opts.serverId);
    const config = entry?.loaded?.config;
    if (!entry || !config?.enabled) return undefined;
    const slot = this.slots.get(config.isolation === "per_session" ? slotKey(entry.key, opts.sessionId) : entry.key);
    if (!slot?.conn || slot.retired) return undefined;
    return { slot, entry, conn: slot.conn, direct: slot.direct };
  }

  /** The caller's connected upstream, started (once, however many callers wait) when there is none. */
  private async acquire(opts: UpstreamCallOptions): Promise<Acquired> {
    for (;;) {
      if (this.closing) throw new UpstreamError("unavailable", "the gateway is shutting down");
      if (opts.signal?.aborted) throw new UpstreamError("cancelled", "call was cancelled");
      const entry = this.servers.entry(opts.projectId, opts.serverId);
      const { config } = await unlessAborted(this.servers.load(entry), opts.signal);
      // Invalidated while loading: load the new configuration.
      if (!this.servers.isCurrent(entry)) continue;
      if (!config.enabled) throw new UpstreamError("unavailable", `server ${config.name} is disabled`);
      const perSession = config.isolation === "per_session";
      const key = perSession ? slotKey(entry.key, opts.sessionId) : entry.key;
      let slot = this.slots.get(key);
      if (!slot) {
        const admission = entry.health.admit();
        if (!admission.ok) {
          throw new UpstreamError("circuit_open", `upstream ${config.name} keeps failing; not retrying for ${Math.ceil(admission.retryInMs / 1000)} s`);
        }
        const created = new UpstreamSlot(key, opts.projectId, opts.serverId, perSession ? opts.sessionId : null, config.name, config.timeoutMs);
        this.slots.set(key, created);
        this.everySlot.add(created);
        created.starting(this.start(created, entry, config, admission.probe, opts.clientCapabilities));
        slot = created;
      }
      let conn = slot.conn;
      if (!conn) {
        if (!slot.connecting) throw new UpstreamError("unavailable", `upstream ${slot.label} is not running`);
        conn = await unlessAborted(slot.connecting, opts.signal);
      }
      // Retired while starting (config changed, session ended): start again with the new state.
      if (slot.retired) continue;
      return { slot, entry, conn, direct: slot.direct };
    }
  }

  private async start(slot: UpstreamSlot, entry: ServerEntry, config: ServerConfig, probe: boolean, clientCapabilities: ClientCapabilities | undefined): Promise<UpstreamConnection> {
    const delay = entry.health.backoffMs(probe);
    if (delay > 0) await sleep(delay, this.shutdown.signal);
    if (this.closing || slot.retired) {
      this.forget(slot);
      throw new UpstreamError("unavailable", `upstream ${config.name} was stopped before it started`);
    }
    const restart = entry.health.crashedLast;
    const startedAt = Date.now();
    // A per_session upstream declares what its client declared; a shared one what the gateway can relay during calls.
    const relayed = !this.deps.relay ? {} : slot.sessionId !== null ? relayedCapabilitiesOf(clientCapabilities) : RELAYED_CLIENT_CAPABILITIES;
    const capabilities = { ...this.deps.capabilities, ...relayed };
    this.events.track(slot, config);
    let conn: UpstreamConnection;
    try {
      conn = await connectUpstream(
        { serverId: slot.serverId, config },
        {
          policy: this.deps.policy,
          scratchRoot: this.deps.scratchRoot,
          selfUrls: this.deps.selfUrls,
          ...(this.deps.childPath ? { childPath: this.deps.childPath } : {}),
          ...(this.deps.packageCacheDir ? { packageCacheDir: this.deps.packageCacheDir } : {}),
          ...(this.deps.installTimeoutMs ? { installTimeoutMs: this.deps.installTimeoutMs } : {}),
          ...(this.deps.sandbox ? { sandbox: this.deps.sandbox } : {}),
          ...(this.deps.connectTimeoutMs ? { connectTimeoutMs: this.deps.connectTimeoutMs } : {}),
          ...(this.deps.clientInfo ? { clientInfo: this.deps.clientInfo } : {}),
          capabilities,
          onStderr: (line) => this.events.stderr(slot, line),
        },
      );
    } catch (e) {
      this.forget(slot);
      this.events.failedToStart(slot, e);
      this.countFailure(entry, slot);
      throw new UpstreamError("unavailable", this.events.scrubText(slot, `upstream ${config.name} failed to start: ${e instanceof Error ? e.message : String(e)}`), { cause: e });
    }
    entry.health.recordConnected();
    if (this.closing || slot.retired) {
      await conn.close();
      this.forget(slot);
      throw new UpstreamError("unavailable", `upstream ${config.name} was stopped while starting`);
    }
    const transport = conn.client.transport;
    if (!transport) {
      await conn.close();
      this.forget(slot);
      throw new UpstreamError("unavailable", `upstream ${config.name} lost its transport while starting`);
    }
    // Set up with the connection, so a slot with `conn` has `direct` too when the route wants it.
    slot.connected(conn, this.deps.callRoute !== "sdk" ? new DirectRequests(transport) : undefined);
    // Progress is routed by the pool's own tokens (see call-control.ts), replacing the SDK's routing.
    conn.client.setNotificationHandler(ProgressNotificationSchema, (n) => this.progress.dispatch(n.params));
    this.listChanges.watch(conn.client, slot.projectId, slot.serverId);
    if (this.deps.relay) {
      wireServerRequests(conn.client, capabilities, { projectId: slot.projectId, serverId: slot.serverId, sessionId: slot.sessionId }, slot.calls, this.deps.relay, slot.timeoutMs);
    }
    void conn.closed.then((exit) => this.ended(slot, entry, exit));
    this.events.started(slot, conn, restart, Date.now() - startedAt);
    await Promise.all([this.restoreLogLevel(slot, conn), this.restoreSubscriptions(slot, conn)]);
    return conn;
  }

  /**
   * A started (or restarted) upstream that offers resource subscriptions hears `resources/subscribe`
   * again, once per URI its sessions still subscribe to, so `notifications/resources/updated` go on.
   */
  private async restoreSubscriptions(slot: UpstreamSlot, conn: UpstreamConnection): Promise<void> {
    if (!this.deps.relay || !conn.client.getServerCapabilities()?.resources?.subscribe) return;
    const uris = this.deps.relay.subscriptions({ projectId: slot.projectId, serverId: slot.serverId, sessionId: slot.sessionId });
    const timeout = Math.min(slot.timeoutMs, LEVEL_TIMEOUT_MS);
    await Promise.all(uris.map((uri) => conn.client.subscribeResource({ uri }, { timeout }).catch(() => undefined)));
  }

  /**
   * A started (or restarted: crash, circuit recovery, idle stop) upstream hears the level
   * `logging/setLevel` asked of it before any call runs on it; a refusal leaves it at its default.
   */
  private async restoreLogLevel(slot: UpstreamSlot, conn: UpstreamConnection): Promise<void> {
    if (!this.deps.relay || !conn.client.getServerCapabilities()?.logging) return;
    const level = this.deps.relay.logLevel({ projectId: slot.projectId, serverId: slot.serverId, sessionId: slot.sessionId });
    if (level === undefined) return;
    await conn.client.setLoggingLevel(level, { timeout: Math.min(slot.timeoutMs, LEVEL_TIMEOUT_MS) }).catch(() => undefined);
  }

  private ended(slot: UpstreamSlot, entry: ServerEntry, exit: UpstreamExit): void {
    this.forget(slot);
    if (exit.expected) return this.events.exited(slot);
    slot.markCrashed();
    entry.health.crashedLast = true;
    this.events.crashed(slot, exit);
    this.countFailure(entry, slot);
  }

  private countFailure(entry: ServerEntry, slot: UpstreamSlot): void {
    if (!entry.health.recordFailure()) return;
    this.events.circuitOpened(slot, entry.health.consecutiveFailures, this.healthOptions.cooldownMs);
    this.probes.schedule(entry, this.healthOptions.cooldownMs);
  }

  /**
   * The background probe of an open circuit: starts the server's upstream (half-open) and pings it.
   * A shared upstream stays up for the next calls; a per-session one is stopped again. A failed
   * start or a crash reopens the circuit, which schedules the next probe; a client call that got
   * to probe first leaves nothing to do.
   */
  private async probe(entry: ServerEntry): Promise<void> {
    const config = entry.loaded?.config;
    if (this.closing || !this.servers.isCurrent(entry) || entry.health.state !== "open" || !config?.enabled) return;
    const perSession = config.isolation === "per_session";
    const key = perSession ? slotKey(entry.key, PROBE_SESSION) : entry.key;
    if (this.slots.has(key)) return;
    const admission = entry.health.admit();
    if (!admission.ok) return this.probes.schedule(entry, Math.max(1, admission.retryInMs));
    const slot = new UpstreamSlot(key, entry.projectId, entry.serverId, perSession ? PROBE_SESSION : null, config.name, config.timeoutMs);
    this.slots.set(key, slot);
    this.everySlot.add(slot);
    const connecting = this.start(slot, entry, config, admission.probe, undefined);
    slot.starting(connecting);
    try {
      const conn = await connecting;
      await conn.client.ping({ timeout: Math.min(config.timeoutMs, PROBE_PING_MS) });
      entry.health.recordSuccess();
    } catch {
      // counted where it happened: a failed start or a crash (a slow ping alone says little)
    }
    if (perSession) await this.retire(slot, "idle", false);
  }

  // ---- lifecycle ----

  private retire(slot: UpstreamSlot, reason: CloseReason, drain: boolean): Promise<void> {
    if (this.slots.get(slot.key) === slot) this.slots.delete(slot.key);
    return slot.retire(reason, async () => {
      const conn = slot.conn ?? (await slot.connecting?.catch(() => undefined));
      if (!conn) return this.forget(slot);
      if (drain) await slot.drained(Math.min(slot.timeoutMs, MAX_DRAIN_MS));
      await conn.close();
    });
  }

  private forget(slot: UpstreamSlot): void {
    if (this.slots.get(slot.key) === slot) this.slots.delete(slot.key);
    this.everySlot.delete(slot);
  }

  private reap(): void {
    const now = Date.now();
    for (const slot of this.slots.values()) {
      if (slot.idleAt(now, this.idleMs)) void this.retire(slot, "idle", false);
    }
    // Forget configs of healthy servers with nothing running, so the cache stays as small as what runs.
    const running = new Set([...this.everySlot].map((s) => `${s.projectId}:${s.serverId}`));
    for (const entry of this.servers.evict(running)) this.events.forget(entry.projectId, entry.serverId);
  }
}
