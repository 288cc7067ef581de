/**
 * Runs the gateway: database, log writer, upstream pool, auth, sessions and the HTTP server, and
 * the graceful shutdown of docs/ARCHITECTURE.md (stop accepting, let calls finish, end sessions, flush logs, end
 * children, close the database).
 */
import { mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { serve, type HttpBindings, type ServerType } from "@hono/node-server";
import { Redis } from "ioredis";
import { createDb, getApiKeyByHash, insertServerEvents, touchApiKey } from "@switchyard/db";
import { checkConsoleAccess, getServerConfig, subscribeChanges, type Change, type ChangeSubscription } from "@switchyard/core";
import { uuidv7 } from "@switchyard/shared";
import { Authenticator } from "./auth/authenticator";
import { CallRateLimiter } from "./auth/call-rate-limiter";
import { FailedAttempts } from "./auth/failed-attempts";
import { KeyCache } from "./auth/key-cache";
import { KeyUsage } from "./auth/key-usage";
import type { Config } from "./config";
import type { Hono } from "hono";
import { createApp } from "./http/app";
import type { TrustProxy } from "./http/client-address";
import type { McpEnv } from "./http/mcp-http";
import { hostAllowlist } from "./http/host-allowlist";
import { createLogger } from "./logger";
import { LogWriter } from "./call-log/tool-call-log-writer";
import { CallSlots } from "./mcp/tools/call-slots";
import { EndpointResolver } from "./mcp/transport/endpoint-resolver";
import { Inflight } from "./mcp/sessions/inflight";
import { ProjectStates } from "./mcp/projects/project-state";
import { EndpointFeatures } from "./mcp/features/endpoint-features";
import { FeatureCatalogue } from "./mcp/features/feature-catalogue";
import { FeatureRequests } from "./mcp/features/feature-requests";
import { ListCursors } from "./mcp/features/list-cursor";
import { SessionHub } from "./mcp/sessions/session-hub";
import { SessionRelay } from "./mcp/sessions/session-relay";
import { SessionRegistry } from "./mcp/sessions/session-registry";
import { SseEndpoint } from "./mcp/transport/sse-endpoint";
import { StreamableEndpoint } from "./mcp/transport/streamable-endpoint";
import { ToolCalls } from "./mcp/tools/tool-calls";
import { ToolCatalogue } from "./mcp/tools/tool-catalogue";
import { PRODUCT_VERSION } from "./package-root";
import { UpstreamPool } from "./mcp/upstream/upstream-pool";
import { GatewayMetrics } from "./metrics/gateway-metrics";


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
  /** How long shutdown waits for calls in flight (default 10 s). */
  shutdownGraceMs?: number;
  logFlushIntervalMs?: number;
  upstreamIdleTimeoutMs?: number;
  /** Default: TRUST_PROXY. */
  trustProxy?: TrustProxy;
}

export interface RunningGateway {
  url: string;
  /** The Hono app, for in-process requests in tests (`app.request`). */
  app: Hono<McpEnv>;
  /** Ends sessions of a revoked key and forgets it; the console's revocation hook lands here. */
  revokeKey: (hash: string) => Promise<number>;
  /** A project's servers, settings or tools changed: reload, tell its sessions, restart changed upstreams. */
  projectChanged: (projectId: string, serverId?: string) => Promise<void>;
  sessions: SessionRegistry;
  logWriter: LogWriter;
  pool: UpstreamPool;
  close: () => Promise<void>;
}

export async function startGateway(config: Config & { databaseUrl: string }, options: GatewayOptions = {}): Promise<RunningGateway> {
  const log = createLogger("gateway", config.env.LOG_LEVEL);
  const onError = (context: string) => (e: unknown) => log("warn", context, { error: e instanceof Error ? e.message : String(e) });
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${uuidv7().slice(-6)}`;
  const handle = createDb(config.databaseUrl, { applicationName: "switchyard-gateway" });
  const redis = config.redisUrl ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 }) : undefined;
  redis?.on("error", onError("redis"));

  // Listen first: the pool must know the gateway's own URL (upstreams may never point back at it).
  const route: { handler?: (req: Request, env: HttpBindings) => Response | Promise<Response> } = {};
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve(
      // An HTTP/1 server (serve's default): its bindings are always HttpBindings.
      { fetch: (req, env) => route.handler?.(req, env as HttpBindings) ?? new Response("starting", { status: 503 }), hostname: config.host, port: config.gatewayPort,
        // A body must arrive within GATEWAY_BODY_TIMEOUT_SECONDS (Node answers 408 and closes); streams are unaffected.
        serverOptions: { requestTimeout: config.env.GATEWAY_BODY_TIMEOUT_SECONDS * 1_000, connectionsCheckingInterval: Math.min(1_000, config.env.GATEWAY_BODY_TIMEOUT_SECONDS * 500) } },
      () => resolve(s),
    );
    s.once("error", reject);
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.gatewayPort;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;

  const spillDir = join(config.dataDir, "spill");
  await mkdir(spillDir, { recursive: true });
  const writer = new LogWriter({
    sql: handle.sql,
    spillPath: join(spillDir, "tool-calls.ndjson"),
    ...(options.logFlushIntervalMs ? { flushIntervalMs: options.logFlushIntervalMs } : {}),
    onError: onError("log writer"),
  });
  writer.start();

  // The hub is built last; callbacks wired before it reach it through this reference.
  const late: { hub?: SessionHub; features?: FeatureCatalogue } = {};
  const states = new ProjectStates({
    db: handle.db,
    keyring: config.keyring,
    ...(options.projectFreshMs ? { freshMs: options.projectFreshMs } : {}),
    onChanged: (projectId, state, previous) => {
      late.hub?.toolsChanged(projectId);
      const hub = late.hub;
      if (hub) late.features?.changed(previous, state, (kind, serverId) => hub.listChanged(projectId, [kind], serverId));
    },
    onError: onError("project state"),
  });
  const registry = new SessionRegistry({ ...(options.sessionIdleTtlMs ? { idleTtlMs: options.sessionIdleTtlMs } : {}), onEnded: (s, reason) => late.hub?.ended(s, reason) });
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
    relay: new SessionRelay(registry),
  });
  const metrics = new GatewayMetrics({ sessions: () => registry.openCounts(), pool: () => pool.stats(), logs: () => writer.stats() });
  const catalogue = new ToolCatalogue({
    pool,
    db: handle.db,
    ...(options.liveListDeadlineMs ? { liveDeadlineMs: options.liveListDeadlineMs } : {}),
    onLiveListed: (projectId) => late.hub?.toolsChanged(projectId),
    onError: (e, context) => onError(context)(e),
  });
  const inflight = new Inflight();
  const slots = new CallSlots({ perKey: config.env.MAX_CONCURRENT_CALLS_PER_KEY, perProject: config.env.MAX_CONCURRENT_CALLS_PER_PROJECT });
  const calls = new ToolCalls({ pool, writer, states, catalogue, inflight, slots, metrics });
  const featureCatalogue = new FeatureCatalogue({
    pool,
    db: handle.db,
    ...(options.liveListDeadlineMs ? { liveDeadlineMs: options.liveListDeadlineMs } : {}),
    onLiveListed: (projectId, serverId) => late.hub?.listChanged(projectId, ["prompts", "resources"], serverId),
    onError: (e, context) => onError(context)(e),
  });
  late.features = featureCatalogue;
  const features = new EndpointFeatures({ pool, catalogue: featureCatalogue, cursors: new ListCursors(config.authSecret) });
  const requests = new FeatureRequests({ states, features, pool, writer, registry, inflight });
  const sessionHub = new SessionHub({
    registry,
    writer,
    pool,
    features,
    proxy: { states, catalogue, calls, requests, version: PRODUCT_VERSION },
    instanceId,
    sessionCaps: { perKey: config.env.MAX_SESSIONS_PER_KEY, perProject: config.env.MAX_SESSIONS_PER_PROJECT },
    log,
  });
  late.hub = sessionHub;
  pool.onListChanged((projectId, serverId, kind) => {
    const state = states.peek(projectId);
    const changed = state?.byId.get(serverId);
    if (kind !== "tools") {
      // The catalogue is one per server: a shared upstream's new lists are recorded, then relayed.
      const relist = state && changed?.row.isolation === "shared" ? featureCatalogue.relist(state, changed, `catalogue:${serverId}`).then(() => states.refresh(projectId)) : Promise.resolve();
      void relist.catch(onError("relisting prompts and resources")).finally(() => sessionHub.listChanged(projectId, [kind], serverId));
      return;
    }
    if (!state || !changed) return;
    const relist = changed.row.isolation === "shared" ? catalogue.relist(state, changed, `catalogue:${serverId}`) : Promise.resolve();
    void relist
      .then(() => states.refresh(projectId))
      .catch(onError("relisting tools"))
      .finally(() => sessionHub.toolsChanged(projectId));
  });

  const keys = new KeyCache({
    lookup: async (projectId, hash) => getApiKeyByHash(handle.db, projectId, hash),
    ...(options.keyFreshMs ? { freshMs: options.keyFreshMs } : {}),
    onRevoked: (hash) => void registry.endByKeyHash(hash, "key_revoked"),
    onError: onError("api key lookup"),
  });
  const usage = new KeyUsage({ write: (projectId, keyId, at, ip) => touchApiKey(handle.db, projectId, keyId, at, ip), onError: onError("key usage") });
  usage.start();
  const auth = new Authenticator({
    keys,
    authSecret: config.authSecret,
    consoleAccess: (claims) => checkConsoleAccess(handle.db, claims),
    failedAttempts: new FailedAttempts(options.failedAuthPerMinute ? { maxFailures: options.failedAuthPerMinute } : {}),
    rateLimiter: new CallRateLimiter({ defaultPerMinute: options.defaultRateLimitPerMinute ?? 1_200, ...(redis ? { redis } : {}), onFailOpen: () => metrics.countRateLimitFailOpen() }),
    usage,
    onRateLimited: (principal, at) => {
      metrics.countRateLimited();
      if (principal.kind === "api_key") writer.rateLimited(principal.projectId, principal.apiKeyId, at);
    },
  });
  const endpoints = new EndpointResolver(states);
  let draining = false;
  const guard = hostAllowlist({ host: config.host, port, publicGatewayUrl: config.publicGatewayUrl, webPort: config.webPort });
  const app = createApp({
    log,
    metrics,
    ...(config.env.METRICS_TOKEN ? { metricsToken: config.env.METRICS_TOKEN } : {}),
    health: {
      checks: [
        { name: "database", check: async () => void (await handle.sql`select 1`) },
        ...(redis ? [{ name: "redis", check: async () => void (await redis.ping()) }] : []),
      ],
    },
    mcp: {
      auth,
      streamable: new StreamableEndpoint(sessionHub, endpoints, options.sseKeepAliveMs),
      sse: new SseEndpoint(sessionHub, endpoints, options.sseKeepAliveMs),
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
      maxBatch: config.env.GATEWAY_MAX_BATCH,
      trustProxy: options.trustProxy ?? config.env.TRUST_PROXY,
      ...(guard ? { hostGuard: guard } : {}),
      isDraining: () => draining,
    },
  });
  route.handler = (req, env) => app.fetch(req, env);
  registry.start();
  // Keys of open sessions are re-checked even when their clients are quiet, so a revocation made
  // by another process (the console) closes idle streams too.
  const keyRecheck = setInterval(() => {
    for (const { projectId, hash } of registry.keyBindings()) keys.recheck(projectId, hash);
  }, options.keyFreshMs ?? 10_000);
  keyRecheck.unref();

  const revokeKey = async (hash: string) => {
    keys.invalidate(hash);
    return registry.endByKeyHash(hash, "key_revoked");
  };
  const projectChanged = async (projectId: string, serverId?: string) => {
    if (serverId) await pool.invalidate(serverId);
    // Prompts and resources: the reload tells the sessions of the servers whose lists changed.
    await states.refresh(projectId);
    sessionHub.toolsChanged(projectId);
  };
  // The console, the CLI and other instances announce committed changes over Postgres NOTIFY.
  // A session ended from the console: only the instance holding it (in that project) acts.
  const endSession = async (projectId: string, sessionId: string) => {
    const session = registry.get(sessionId);
    if (session?.endpoint.projectId === projectId) await session.end("ended_by_admin");
  };
  const onChange = (change: Change) => {
    const done =
      change.type === "api_key.revoked"
        ? revokeKey(change.hash)
        : change.type === "session.end"
          ? endSession(change.projectId, change.sessionId)
          : projectChanged(change.projectId, change.type === "server.changed" ? change.serverId : undefined);
    done.catch(onError(`applying ${change.type}`));
  };
  // After a reconnect, changes sent meanwhile are lost: start again from the database.
  const onFeedConnect = () => {
    keys.clear();
    states.invalidateAll();
  };
  const changes: ChangeSubscription | undefined = await subscribeChanges(handle.sql, onChange, onFeedConnect, () => log("warn", "invalid change notification")).catch((e: unknown) => {
    onError("change feed unavailable: revocations from elsewhere arrive through the key re-check only")(e);
    return undefined;
  });
  log("info", "gateway listening", { url, instanceId });

  let closing: Promise<void> | undefined;
  const close = async () => {
    // Stop accepting: new connections are refused, new MCP requests on open ones get 503.
    draining = true;
    clearInterval(keyRecheck);
    await changes?.unlisten().catch(() => undefined);
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    const drained = await inflight.drain(options.shutdownGraceMs ?? 10_000);
    if (!drained) log("warn", "shutdown: calls still in flight after the grace period", { inflight: inflight.size });
    // A finished call's response is sent a few promise turns after its handler returns.
    await new Promise((resolve) => setImmediate(resolve));
    registry.stop();
    await registry.endAll("shutdown");
    // Let open responses drain to their sockets; cut what is left (clients reconnecting) after a moment.
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    const force = setTimeout(() => {
      if ("closeAllConnections" in server) server.closeAllConnections();
    }, 1_000);
    await serverClosed;
    clearTimeout(force);
    await usage.close();
    await writer.close();
    await pool.close();
    redis?.disconnect();
    await handle.close();
  };
  return {
    url,
    app,
    sessions: registry,
    logWriter: writer,
    pool,
    revokeKey,
    projectChanged,
    close: () => (closing ??= close()),
  };
}
