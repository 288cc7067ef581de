/**
 * Runs the gateway, one named step after another: foundations (database, Redis), the HTTP listener,
 * the log writer, the session plumbing shared with other instances, the MCP layer, access (keys,
 * auth), the app, the change feed, upstream warming; and on shutdown the drain of docs/DEPLOY.md
 * (refuse new work with 503 while still listening, let calls finish, release sessions, end streams,
 * stop listening, flush logs, end children, close the database). Each step takes what the earlier
 * ones built; nothing refers forward.
 */
import { mkdir } from "node:fs/promises";
import { createServer, type ServerOptions } from "node:http";
import { hostname } from "node:os";
import { join } from "node:path";
import { serve, type HttpBindings, type ServerType } from "@hono/node-server";
import { Redis } from "ioredis";
import { createDb, getApiKeyByHash, insertServerEvents, listRecentlyUsedServers, touchApiKey, type DbHandle } from "@switchyard/db";
import { checkConsoleAccess } from "@switchyard/core/console-access";
import { getServerConfig } from "@switchyard/core/services";
import { publishChange, subscribeChanges, type Change } from "@switchyard/core/changes";
import { uuidv7 } from "@switchyard/shared";
import type { Hono } from "hono";
import { Authenticator } from "./auth/authenticator";
import { CallRateLimiter } from "./auth/call-rate-limiter";
import { FailedAttempts } from "./auth/failed-attempts";
import { KeyCache } from "./auth/key-cache";
import { KeyUsage } from "./auth/key-usage";
import { LogWriter } from "@switchyard/db/call-log";
import type { Config } from "./config";
import { createApp, createFastLane, type AppDeps } from "./http/app";
import type { McpFastLane, NodeHandler } from "./http/mcp-fast-lane";
import type { TrustProxy } from "./http/client-address";
import { hostAllowlist } from "./http/host-allowlist";
import type { McpEnv } from "./http/mcp-http";
import { createLogger, type Logger } from "./logger";
import { EndpointFeatures } from "./mcp/features/endpoint-features";
import { FeatureCatalogue } from "./mcp/features/feature-catalogue";
import { FeatureRequests } from "./mcp/features/feature-requests";
import { ListCursors } from "./mcp/features/list-cursor";
import { ProjectStates } from "./mcp/projects/project-state";
import { Inflight } from "./mcp/sessions/inflight";
import { ListChanges } from "./mcp/sessions/list-changes";
import { postgresBus, redisBus, type SessionBus } from "./mcp/sessions/session-bus";
import { SessionHub, sessionChangeRecorder, type SessionAnnouncer } from "./mcp/sessions/session-hub";
import { SessionInbox } from "./mcp/sessions/session-inbox";
import { SessionRegistry } from "./mcp/sessions/session-registry";
import { SessionRelay } from "./mcp/sessions/session-relay";
import { SessionStore } from "./mcp/sessions/session-store";
import { StreamRouter } from "./mcp/sessions/stream-router";
import { ClusterCaps } from "./mcp/caps/cluster-caps";
import { CallSlots } from "./mcp/tools/call-slots";
import { SessionCaps } from "./mcp/sessions/session-caps";
import { ToolCalls } from "./mcp/tools/tool-calls";
import { ToolCatalogue } from "./mcp/tools/tool-catalogue";
import { EndpointResolver } from "./mcp/transport/endpoint-resolver";
import { SseEndpoint } from "./mcp/transport/sse-endpoint";
import { StreamableEndpoint } from "./mcp/transport/streamable-endpoint";
import { DEFAULT_HOT_PATH, type HotPath } from "./mcp/transport/route";
import { UpstreamPool } from "./mcp/upstream/upstream-pool";
import { GatewayMetrics } from "./metrics/gateway-metrics";
import { PRODUCT_VERSION } from "./package-root";
import { warmUpstreams } from "./mcp/upstream/warm-upstreams";

/** Tunables with production defaults; tests and benchmarks shorten or widen them. */
export interface GatewayOptions {
  instanceId?: string;
  maxBodyBytes?: number;
  sessionIdleTtlMs?: number;
  sseKeepAliveMs?: number;
  /** Requests per minute for keys without their own limit (default 1,200). */
  defaultRateLimitPerMinute?: number;
  failedAuthPerMinute?: number;
  keyFreshMs?: number;
  projectFreshMs?: number;
  /** How long a first tools/list waits for a never-listed server (default 30 s, the connect timeout). */
  liveListDeadlineMs?: number;
  /** How long shutdown waits for calls in flight (default 10 s; `GATEWAY_DRAIN_TIMEOUT_SECONDS`). */
  shutdownGraceMs?: number;
  logFlushIntervalMs?: number;
  upstreamIdleTimeoutMs?: number;
  /** Default: TRUST_PROXY. */
  trustProxy?: TrustProxy;
  /** Which way the hot call goes, downstream and upstream (mcp/transport/route.ts); default: the fast paths. */
  hotPath?: Partial<HotPath>;
  /** Shared servers with calls in this window are started at boot (default 1 h; 0 turns warming off). */
  warmWindowMs?: number;
}

export interface RunningGateway {
  url: string;
  instanceId: string;
  /** The Hono app, for in-process requests in tests (`app.request`). */
  app: Hono<McpEnv>;
  /** Ends sessions of a revoked key and forgets it; the console's revocation hook lands here. */
  revokeKey: (hash: string) => Promise<number>;
  /** A project's servers, settings or tools changed: reload, tell its sessions, restart changed upstreams. */
  projectChanged: (projectId: string, serverId?: string) => Promise<void>;
  sessions: SessionRegistry;
  logWriter: LogWriter;
  pool: UpstreamPool;
  /** Upstreams started at boot because they were used recently (settles when all have started or failed). */
  warmed: Promise<number>;
  close: () => Promise<void>;
}

type DbConfig = Config & { databaseUrl: string };

function hotPathOf(options: GatewayOptions): HotPath {
  return { ...DEFAULT_HOT_PATH, ...options.hotPath };
}

interface Foundations {
  log: Logger;
  onError: (context: string) => (e: unknown) => void;
  instanceId: string;
  handle: DbHandle;
  redis: Redis | undefined;
}

function openFoundations(config: DbConfig, options: GatewayOptions): Foundations {
  const log = createLogger("gateway", config.env.LOG_LEVEL);
  const onError = (context: string) => (e: unknown) => log("warn", context, { error: e instanceof Error ? e.message : String(e) });
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${uuidv7().slice(-6)}`;
  const handle = createDb(config.databaseUrl, { applicationName: "switchyard-gateway" });
  // Reconnects within half a second of Redis coming back (ioredis waits up to 2 s by default): the
  // session bus's subscriber, a duplicate of this client, is deaf to other instances until then.
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: (times) => Math.min(times * 50, 500) })
    : undefined;
  redis?.on("error", onError("redis"));
  return { log, onError, instanceId, handle, redis };
}

interface Listener {
  server: ServerType;
  url: string;
  port: number;
  /** Requests are answered 503 "starting" until the app is mounted. */
  mount: (handler: (req: Request, env: HttpBindings) => Response | Promise<Response>, lane?: McpFastLane) => void;
}

/** Listens first: the pool must know the gateway's own URL (upstreams may never point back at it). */
async function listen(config: DbConfig): Promise<Listener> {
  let handler: ((req: Request, env: HttpBindings) => Response | Promise<Response>) | undefined;
  let lane: McpFastLane | undefined;
  // The hot MCP POSTs are served by the lane from Node's request; the rest goes to node-server's listener (the app).
  const withLane = ((options: ServerOptions, listener: NodeHandler) =>
    createServer(options, (req, res) => (lane ? lane.handle(req, res, listener) : listener(req, res)))) as unknown as typeof createServer;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve(
      // An HTTP/1 server (serve's default): its bindings are always HttpBindings.
      { fetch: (req, env) => handler?.(req, env as HttpBindings) ?? new Response("starting", { status: 503 }), hostname: config.host, port: config.gatewayPort, createServer: withLane,
        // A body must arrive within GATEWAY_BODY_TIMEOUT_SECONDS (Node answers 408 and closes); streams are unaffected.
        serverOptions: { requestTimeout: config.env.GATEWAY_BODY_TIMEOUT_SECONDS * 1_000, connectionsCheckingInterval: Math.min(1_000, config.env.GATEWAY_BODY_TIMEOUT_SECONDS * 500) } },
      () => resolve(s),
    );
    s.once("error", reject);
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.gatewayPort;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  return {
    server,
    url,
    port,
    mount: (h, l) => {
      handler = h;
      lane = l;
    },
  };
}

async function startLogWriter(config: DbConfig, base: Foundations, options: GatewayOptions): Promise<LogWriter> {
  const spillDir = join(config.dataDir, "spill");
  await mkdir(spillDir, { recursive: true });
  const writer = new LogWriter({
    sql: base.handle.sql,
    spillPath: join(spillDir, "tool-calls.ndjson"),
    ...(options.logFlushIntervalMs ? { flushIntervalMs: options.logFlushIntervalMs } : {}),
    onError: base.onError("log writer"),
  });
  writer.start();
  return writer;
}

/** What sessions share with the other instances (docs/ARCHITECTURE.md, "Sessions across instances"). */
interface SessionPlumbing {
  store: SessionStore;
  inbox: SessionInbox;
  bus: SessionBus;
  registry: SessionRegistry;
  router: StreamRouter;
  listChanges: ListChanges;
  announce: SessionAnnouncer;
}

async function sessionPlumbing(base: Foundations, options: GatewayOptions): Promise<SessionPlumbing> {
  const store = new SessionStore(base.handle.db);
  const inbox = new SessionInbox();
  const bus = base.redis ? await redisBus(base.redis, base.instanceId, inbox.dispatch) : await postgresBus(base.handle.sql, base.instanceId, inbox.dispatch);
  const registry = new SessionRegistry(options.sessionIdleTtlMs ? { idleTtlMs: options.sessionIdleTtlMs } : {});
  const router = new StreamRouter({ registry, store, bus, inbox, instanceId: base.instanceId, onError: base.onError });
  const announce: SessionAnnouncer = (change) => publishChange(base.handle.sql, change);
  return { store, inbox, bus, registry, router, listChanges: new ListChanges(), announce };
}

interface McpLayer {
  states: ProjectStates;
  pool: UpstreamPool;
  hub: SessionHub;
  inflight: Inflight;
  metrics: GatewayMetrics;
  slots: CallSlots;
}

function buildMcp(config: DbConfig, options: GatewayOptions, base: Foundations, url: string, writer: LogWriter, plumbing: SessionPlumbing): McpLayer {
  const { handle, onError } = base;
  const { registry, listChanges } = plumbing;
  const states = new ProjectStates({
    db: handle.db,
    keyring: config.keyring,
    ...(options.projectFreshMs ? { freshMs: options.projectFreshMs } : {}),
    onError: onError("project state"),
  });
  const pool = new UpstreamPool({
    loadServer: async (projectId, serverId) => {
      const entry = (states.peek(projectId) ?? (await states.get(projectId)))?.byId.get(serverId);
      return entry ? { row: entry.row, config: entry.config } : getServerConfig({ db: handle.db, keyring: config.keyring }, projectId, serverId);
    },
    recordEvent: ({ projectId, serverId, ...event }) => void insertServerEvents(handle.db, projectId, serverId, [event]).catch(onError("server event")),
    policy: config.policy,
    scratchRoot: config.scratchDir,
    packageCacheDir: config.packageCacheDir,
    installTimeoutMs: config.installTimeoutMs,
    childPath: config.childPath,
    sandbox: config.sandbox,
    selfUrls: [...new Set([config.publicGatewayUrl, url])],
    ...(options.upstreamIdleTimeoutMs ? { idleTimeoutMs: options.upstreamIdleTimeoutMs } : {}),
    relay: new SessionRelay(registry, plumbing.router),
    callRoute: hotPathOf(options).upstream,
  });
  const metrics = new GatewayMetrics({ sessions: () => registry.openCounts(), pool: () => pool.stats(), logs: () => writer.stats() });
  const catalogue = new ToolCatalogue({
    pool,
    db: handle.db,
    ...(options.liveListDeadlineMs ? { liveDeadlineMs: options.liveListDeadlineMs } : {}),
    onLiveListed: (projectId) => listChanges.tell(projectId, ["tools"]),
    onError: (e, context) => onError(context)(e),
  });
  const inflight = new Inflight();
  const caps = base.redis ? new ClusterCaps(base.redis) : undefined;
  const slots = new CallSlots({
    limits: { perKey: config.env.MAX_CONCURRENT_CALLS_PER_KEY, perProject: config.env.MAX_CONCURRENT_CALLS_PER_PROJECT },
    ...(caps ? { shared: caps } : {}),
    instanceId: base.instanceId,
    onFailOpen: () => metrics.countCapFailOpen("calls"),
    onError: onError("call caps"),
  });
  const calls = new ToolCalls({ pool, writer, states, catalogue, inflight, slots, metrics });
  const featureCatalogue = new FeatureCatalogue({
    pool,
    db: handle.db,
    ...(options.liveListDeadlineMs ? { liveDeadlineMs: options.liveListDeadlineMs } : {}),
    // A first live listing was seen by this instance only: streams held elsewhere are told too.
    onLiveListed: (projectId, serverId) => listChanges.tell(projectId, ["prompts", "resources"], { serverId }),
    onError: (e, context) => onError(context)(e),
  });
  // Every instance reloads on its own (the change feed, freshness): each tells the streams it holds,
  // tools always, prompts and resources only for the servers whose lists changed.
  states.watch((projectId, state, previous) => {
    listChanges.tell(projectId, ["tools"], { local: true });
    featureCatalogue.changed(previous, state, (kind, serverId) => listChanges.tell(projectId, [kind], { serverId, local: true }));
  });
  const features = new EndpointFeatures({ pool, catalogue: featureCatalogue, cursors: new ListCursors(config.authSecret) });
  const sessionChanged = sessionChangeRecorder(plumbing.store, plumbing.announce);
  const requests = new FeatureRequests({ states, features, pool, writer, registry, inflight, sessionChanged });
  const hub = new SessionHub({
    ...plumbing,
    writer,
    pool,
    features,
    proxy: { states, catalogue, calls, requests, version: PRODUCT_VERSION },
    instanceId: base.instanceId,
    sessionCaps: new SessionCaps({
      perKey: config.env.MAX_SESSIONS_PER_KEY,
      perProject: config.env.MAX_SESSIONS_PER_PROJECT,
      ...(caps ? { shared: caps } : {}),
      // Past the store's idle expiry (TTL + a quarter, see session-hub.ts): renewed at least every quarter TTL.
      leaseMs: Math.ceil(registry.ttlMs * 1.5),
      onFailOpen: () => metrics.countCapFailOpen("sessions"),
      onError: onError("session caps"),
    }),
    log: base.log,
  });
  // An upstream's own list_changed was seen by this instance only: streams held elsewhere are told too.
  pool.onListChanged((projectId, serverId, kind) => {
    const state = states.peek(projectId);
    const changed = state?.byId.get(serverId);
    if (kind !== "tools") {
      // The catalogue is one per server: a shared upstream's new lists are recorded, then relayed.
      const relist = state && changed?.row.isolation === "shared" ? featureCatalogue.relist(state, changed, `catalogue:${serverId}`).then(() => states.refresh(projectId)) : Promise.resolve();
      void relist.catch(onError("relisting prompts and resources")).finally(() => listChanges.tell(projectId, [kind], { serverId }));
      return;
    }
    if (!state || !changed) return;
    const relist = changed.row.isolation === "shared" ? catalogue.relist(state, changed, `catalogue:${serverId}`) : Promise.resolve();
    void relist
      .then(() => states.refresh(projectId))
      .catch(onError("relisting tools"))
      .finally(() => listChanges.tell(projectId, ["tools"]));
  });
  return { states, pool, hub, inflight, metrics, slots };
}

function buildAuth(options: GatewayOptions, base: Foundations, mcp: McpLayer, writer: LogWriter, config: DbConfig) {
  const { handle, onError } = base;
  const keys = new KeyCache({
    lookup: async (projectId, hash) => getApiKeyByHash(handle.db, projectId, hash),
    ...(options.keyFreshMs ? { freshMs: options.keyFreshMs } : {}),
    onRevoked: (hash) => void mcp.hub.registry.endByKeyHash(hash, "key_revoked"),
    onError: onError("api key lookup"),
  });
  const usage = new KeyUsage({ write: (projectId, keyId, at, ip) => touchApiKey(handle.db, projectId, keyId, at, ip), onError: onError("key usage") });
  usage.start();
  const auth = new Authenticator({
    keys,
    authSecret: config.authSecret,
    consoleAccess: (claims) => checkConsoleAccess(handle.db, claims),
    failedAttempts: new FailedAttempts(options.failedAuthPerMinute ? { maxFailures: options.failedAuthPerMinute } : {}),
    rateLimiter: new CallRateLimiter({
      defaultPerMinute: options.defaultRateLimitPerMinute ?? 1_200,
      ...(base.redis ? { redis: base.redis } : {}),
      onFailOpen: () => mcp.metrics.countRateLimitFailOpen(),
    }),
    usage,
    onRateLimited: (principal, at) => {
      mcp.metrics.countRateLimited();
      if (principal.kind === "api_key") writer.rateLimited(principal.projectId, principal.apiKeyId, at);
    },
  });
  return { keys, usage, auth };
}

type Access = ReturnType<typeof buildAuth>;

function mountApp(config: DbConfig, options: GatewayOptions, base: Foundations, http: Listener, mcp: McpLayer, plumbing: SessionPlumbing, access: Access, isDraining: () => boolean) {
  const endpoints = new EndpointResolver(mcp.states);
  const guard = hostAllowlist({ host: config.host, port: http.port, publicGatewayUrl: config.publicGatewayUrl, webPort: config.webPort });
  const { redis, handle } = base;
  const appDeps: AppDeps = {
    log: base.log,
    metrics: mcp.metrics,
    ...(config.env.METRICS_TOKEN ? { metricsToken: config.env.METRICS_TOKEN } : {}),
    health: {
      checks: [
        // Without the database, keys already cached keep serving (docs/DEPLOY.md): unready only with none.
        { name: "database", check: async () => void (await handle.sql`select 1`), impact: () => (access.keys.servesAny() ? "degraded" : "unready") },
        // Without Redis, limits are counted per instance (fail open locally) and every call is still served.
        ...(redis ? [{ name: "redis", check: async () => void (await redis.ping()), impact: () => "degraded" as const }] : []),
      ],
      isDraining,
    },
    mcp: {
      auth: access.auth,
      streamable: new StreamableEndpoint(mcp.hub, endpoints, options.sseKeepAliveMs, hotPathOf(options).downstream),
      sse: new SseEndpoint(mcp.hub, endpoints, plumbing.inbox, options.sseKeepAliveMs, hotPathOf(options).downstream),
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
      maxBatch: config.env.GATEWAY_MAX_BATCH,
      trustProxy: options.trustProxy ?? config.env.TRUST_PROXY,
      ...(guard ? { hostGuard: guard } : {}),
      isDraining,
    },
  };
  const app = createApp(appDeps);
  http.mount((req, env) => app.fetch(req, env), createFastLane(appDeps));
  return app;
}

/** What the console, the CLI and other instances announce over Postgres NOTIFY, applied here. */
function changeHandlers(base: Foundations, mcp: McpLayer, access: Access, listChanges: ListChanges) {
  const { hub } = mcp;
  const revokeKey = async (hash: string) => {
    access.keys.invalidate(hash);
    return hub.registry.endByKeyHash(hash, "key_revoked");
  };
  const projectChanged = async (projectId: string, serverId?: string) => {
    // The changed server's upstreams are retired at once (new calls start fresh ones), but their
    // processes may take seconds to exit: clients learn of the change without waiting for that.
    const retired = serverId ? mcp.pool.invalidate(serverId) : Promise.resolve();
    // Prompts and resources: the reload tells the sessions of the servers whose lists changed.
    await mcp.states.refresh(projectId);
    listChanges.tell(projectId, ["tools"], { local: true });
    await retired;
  };
  const apply = (change: Change): Promise<unknown> => {
    switch (change.type) {
      case "api_key.revoked":
        access.keys.invalidate(change.hash);
        return hub.endAllOf(change.projectId, `key:${change.keyId}`, "key_revoked");
      // Ended from the console or on another instance: whoever deletes the stored state records the end.
      case "session.end":
        return hub.end(change.projectId, change.sessionId, "ended_by_admin");
      case "session.changed":
        return hub.changedElsewhere(change.projectId, change.sessionId);
      default:
        return projectChanged(change.projectId, change.type === "server.changed" ? change.serverId : undefined);
    }
  };
  const onChange = (change: Change) => void apply(change).catch(base.onError(`applying ${change.type}`));
  // After a reconnect, changes sent meanwhile are lost: re-check every cached key and project in
  // the background. Dropping them instead made every call in flight wait for the database's first
  // answers after a crash recovery.
  const onFeedConnect = () => {
    access.keys.markStale();
    mcp.states.markStale();
  };
  return { revokeKey, projectChanged, onChange, onFeedConnect };
}

export async function startGateway(config: DbConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const base = openFoundations(config, options);
  const http = await listen(config);
  const writer = await startLogWriter(config, base, options);
  const plumbing = await sessionPlumbing(base, options);
  const mcp = buildMcp(config, options, base, http.url, writer, plumbing);
  const access = buildAuth(options, base, mcp, writer, config);
  let draining = false;
  const app = mountApp(config, options, base, http, mcp, plumbing, access, () => draining);
  plumbing.registry.start();
  mcp.slots.start();
  // Keys of open sessions are re-checked even when their clients are quiet, so a revocation made
  // by another process (the console) closes idle streams too.
  const keyRecheck = setInterval(() => {
    for (const { projectId, hash } of plumbing.registry.keyBindings()) access.keys.recheck(projectId, hash);
  }, options.keyFreshMs ?? 10_000);
  keyRecheck.unref();
  const changes = changeHandlers(base, mcp, access, plumbing.listChanges);
  const feed = await subscribeChanges(base.handle.sql, changes.onChange, changes.onFeedConnect, () => base.log("warn", "invalid change notification")).catch((e: unknown) => {
    base.onError("change feed unavailable: revocations from elsewhere arrive through the key re-check only")(e);
    return undefined;
  });
  const warmWindowMs = options.warmWindowMs ?? 60 * 60_000;
  const warmed = warmWindowMs > 0 ? warmUpstreams(mcp.pool, (since, limit) => listRecentlyUsedServers(base.handle.db, since, limit), warmWindowMs, base.onError("warming upstreams")) : Promise.resolve(0);
  base.log("info", "gateway listening", { url: http.url, instanceId: base.instanceId });

  const close = async () => {
    // Drain (docs/DEPLOY.md): /readyz answers 503 and new requests get 503 + Retry-After at once,
    // while the listener stays open, so a balancer sees clean answers instead of refused connections.
    draining = true;
    clearInterval(keyRecheck);
    await feed?.unlisten().catch(() => undefined);
    const drained = await mcp.inflight.drain(options.shutdownGraceMs ?? 10_000);
    if (!drained) base.log("warn", "shutdown: calls still in flight after the drain timeout", { inflight: mcp.inflight.size });
    // A finished call's response is sent a few promise turns after its handler returns.
    await new Promise((resolve) => setImmediate(resolve));
    plumbing.registry.stop();
    await mcp.slots.stop();
    // Streamable HTTP sessions stay stored and go on with another instance or after the restart;
    // SSE streams end with their final chunk. Then the listener closes.
    await mcp.hub.releaseAll("shutdown");
    const serverClosed = new Promise<void>((resolve) => http.server.close(() => resolve()));
    // Let open responses drain to their sockets; cut what is left (clients reconnecting) after a moment.
    if ("closeIdleConnections" in http.server) http.server.closeIdleConnections();
    const force = setTimeout(() => {
      if ("closeAllConnections" in http.server) http.server.closeAllConnections();
    }, 1_000);
    await serverClosed;
    clearTimeout(force);
    await plumbing.bus.close().catch(() => undefined);
    await access.usage.close();
    await writer.close();
    await mcp.pool.close();
    base.redis?.disconnect();
    await base.handle.close();
  };
  let closing: Promise<void> | undefined;
  return {
    url: http.url,
    instanceId: base.instanceId,
    app,
    sessions: plumbing.registry,
    logWriter: writer,
    pool: mcp.pool,
    warmed,
    revokeKey: changes.revokeKey,
    projectChanged: changes.projectChanged,
    close: () => (closing ??= close()),
  };
}
