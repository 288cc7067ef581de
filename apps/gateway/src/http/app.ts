/**
 * The gateway's Hono app, built from injected services so tests can pass their own. Error
 * handling, request ids and sub-apps are wired here once; MCP routes get host checks, shutdown
 * refusal and authentication in front of them.
 */
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { AppError } from "@switchyard/shared";
import type { Authenticator } from "../auth/authenticator";
import type { SseEndpoint } from "../mcp/transport/sse-endpoint";
import type { StreamableEndpoint } from "../mcp/transport/streamable-endpoint";
import { JSONRPC } from "../mcp/jsonrpc-errors";
import { jsonRpcErrorResponse } from "../mcp/transport/jsonrpc";
import type { GatewayMetrics } from "../metrics/gateway-metrics";
import { compileTrust, type TrustProxy } from "./client-address";
import { McpFastLane } from "./mcp-fast-lane";
import { DEFAULT_MAX_BATCH, DEFAULT_MAX_BODY_BYTES, type BodyLimits, type McpEnv } from "./mcp-http";
import { authenticate, clientAddressOf, hostGuard, refuseWhileDraining, type HostGuardOptions } from "./mcp-middleware";
import { healthRoutes, type HealthDeps } from "./routes/health";
import { metricsRoutes } from "./routes/metrics";
import { sseRoutes } from "./routes/mcp-sse";
import { streamableRoutes } from "./routes/mcp-streamable";
import { wellKnownRoutes } from "./routes/well-known";

export interface McpRouteDeps {
  auth: Authenticator;
  streamable: StreamableEndpoint;
  sse: SseEndpoint;
  /** Request bodies past this get 413 (default 4 MiB). */
  maxBodyBytes?: number;
  /** Messages allowed in one JSON-RPC batch (default 100). */
  maxBatch?: number;
  /** Which X-Forwarded-For hops to believe (default 0: the socket's peer only). */
  trustProxy?: TrustProxy;
  /** DNS-rebinding protection; omit for no Host/Origin checks. */
  hostGuard?: HostGuardOptions;
  isDraining?: () => boolean;
}

export interface AppDeps {
  health: HealthDeps;
  log: (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
  metrics?: GatewayMetrics;
  /** `/metrics` answers only `Authorization: Bearer <token>`; without a token it is always 401. */
  metricsToken?: string;
  mcp?: McpRouteDeps;
}

const limitsOf = (deps: McpRouteDeps): BodyLimits => ({ maxBodyBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, maxBatch: deps.maxBatch ?? DEFAULT_MAX_BATCH });

function mcpRoutes(deps: McpRouteDeps, metrics: GatewayMetrics | undefined): Hono<McpEnv> {
  const app = new Hono<McpEnv>();
  const limits = limitsOf(deps);
  if (deps.hostGuard) app.use("/projects/*", hostGuard(deps.hostGuard));
  if (deps.isDraining) app.use("/projects/*", refuseWhileDraining(deps.isDraining));
  app.use("/projects/*", clientAddressOf(compileTrust(deps.trustProxy ?? 0)));
  app.use("/projects/:projectId/*", authenticate(deps.auth, { ...(metrics ? { metrics } : {}) }));
  app.route("/", streamableRoutes(deps.streamable, { limits, auth: deps.auth }));
  app.route("/", sseRoutes(deps.sse, { limits, auth: deps.auth }));
  return app;
}

/**
 * The lane in front of the app that serves the hot MCP POSTs from Node's request directly, with
 * the app's own checks and limits (mcp-fast-lane.ts); undefined without MCP routes.
 */
export function createFastLane(deps: AppDeps): McpFastLane | undefined {
  const mcp = deps.mcp;
  if (!mcp) return undefined;
  return new McpFastLane({
    auth: mcp.auth,
    streamable: mcp.streamable,
    sse: mcp.sse,
    limits: limitsOf(mcp),
    trust: compileTrust(mcp.trustProxy ?? 0),
    log: deps.log,
    ...(mcp.hostGuard ? { hostGuard: mcp.hostGuard } : {}),
    ...(mcp.isDraining ? { isDraining: mcp.isDraining } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
}

export function createApp(deps: AppDeps): Hono<McpEnv> {
  const app = new Hono<McpEnv>();
  app.use(requestId());
  app.route("/", healthRoutes(deps.health));
  app.route("/", wellKnownRoutes());
  if (deps.metrics) app.route("/", metricsRoutes(deps.metrics, deps.metricsToken));
  if (deps.mcp) app.route("/", mcpRoutes(deps.mcp, deps.metrics));
  app.notFound((c) => c.json({ error: { code: "not_found", message: "not found" } }, 404));
  app.onError((err, c) => {
    if (err instanceof AppError) return c.json({ error: { code: err.code, message: err.message } }, err.status as 400);
    deps.log("error", "unhandled error", { requestId: c.get("requestId"), error: err instanceof Error ? err.stack : String(err) });
    if (c.req.path.startsWith("/projects/")) return jsonRpcErrorResponse(500, JSONRPC.serverError, "Internal error");
    return c.json({ error: { code: "internal", message: "internal error" } }, 500);
  });
  return app;
}
