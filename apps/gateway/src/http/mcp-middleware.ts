/**
 * The checks in front of every MCP route: DNS-rebinding protection (Host/Origin) for loopback
 * binds, refusal while shutting down, and authentication with the one identical 401. Each check is
 * a plain function answering a Reply refusal, so the Hono middleware here and the hot POST's lane
 * (mcp-fast-lane.ts) run the very same ones.
 */
import type { MiddlewareHandler } from "hono";
import type { Authenticator, AuthOutcome } from "../auth/authenticator";
import type { GatewayMetrics } from "../metrics/gateway-metrics";
import { JSONRPC } from "../mcp/jsonrpc-errors";
import { jsonRpcErrorReply, replyResponse, type Reply } from "../mcp/transport/jsonrpc";
import { clientAddress, type TrustFunction } from "./client-address";
import type { McpEnv } from "./mcp-http";

export interface HostGuardOptions {
  /** Host header values accepted (host:port); null turns the guard off (non-loopback binds). */
  allowedHosts: () => ReadonlySet<string> | null;
  /** Origins accepted when a browser sends one (scheme://host:port). */
  allowedOrigins: () => ReadonlySet<string>;
}

/** A page on another site must not reach a gateway on 127.0.0.1 through a rebound DNS name. */
export function hostRefusal(opts: HostGuardOptions, hostHeader: string | undefined, originHeader: string | undefined): Reply | undefined {
  const hosts = opts.allowedHosts();
  if (!hosts) return undefined;
  const host = hostHeader?.toLowerCase();
  if (!host || !hosts.has(host)) return jsonRpcErrorReply(403, JSONRPC.serverError, "Forbidden: invalid Host header");
  const origin = originHeader?.toLowerCase();
  if (origin && origin !== "null" && !opts.allowedOrigins().has(origin)) return jsonRpcErrorReply(403, JSONRPC.serverError, "Forbidden: invalid Origin header");
  return undefined;
}

/** `connection: close` moves keep-alive clients (a balancer's pool) off this instance before it stops listening. */
export const drainingRefusal = (): Reply =>
  jsonRpcErrorReply(503, JSONRPC.serverError, "Service unavailable: the gateway is shutting down", { "retry-after": "1", connection: "close" });

const UNAUTHORIZED: Reply = {
  status: 401,
  headers: { "content-type": "application/json", "www-authenticate": 'Bearer error="invalid_token"' },
  body: JSON.stringify({ jsonrpc: "2.0", error: { code: JSONRPC.serverError, message: "Unauthorized: a valid API key of this project is required (Authorization: Bearer <key>)" }, id: null }),
};

/** The answer to a failed authentication (counted for the metrics); the same 401 for every bad credential, so a caller learns nothing about which keys exist. */
export function authRefusal(outcome: Exclude<AuthOutcome, { ok: true }>, metrics: GatewayMetrics | undefined): Reply {
  metrics?.countAuthFailure(outcome.reason);
  switch (outcome.reason) {
    case "invalid":
      return UNAUTHORIZED;
    case "unavailable":
      return jsonRpcErrorReply(503, JSONRPC.serverError, "Service unavailable: credentials cannot be checked right now", { "retry-after": "5" });
    case "ip_blocked":
    case "rate_limited": {
      const message = outcome.reason === "ip_blocked" ? "Too many failed authentication attempts" : "Rate limit exceeded for this API key";
      return jsonRpcErrorReply(429, JSONRPC.serverError, message, { "retry-after": String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1000))) });
    }
  }
}

/** Opening a stream takes one unit; a POST takes one per JSON-RPC request once its body is read; ending a session none. */
export const unitsFor = (method: string): number => (method === "GET" ? 1 : 0);

export function hostGuard(opts: HostGuardOptions): MiddlewareHandler<McpEnv> {
  return async (c, next) => {
    const refused = hostRefusal(opts, c.req.header("host"), c.req.header("origin"));
    return refused ? replyResponse(refused) : next();
  };
}

export function refuseWhileDraining(isDraining: () => boolean): MiddlewareHandler<McpEnv> {
  return async (c, next) => (isDraining() ? replyResponse(drainingRefusal()) : next());
}

/** Sets `ip`: the caller's address, X-Forwarded-For read only as far as the trusted proxies go. */
export function clientAddressOf(trust: TrustFunction): MiddlewareHandler<McpEnv> {
  return async (c, next) => {
    c.set("ip", clientAddress(c.env?.incoming, c.req.header("x-forwarded-for"), trust));
    return next();
  };
}

/** Authenticates the caller for `:projectId`; sets `principal` and the normalised `projectId`. */
export function authenticate(auth: Authenticator, opts: { metrics?: GatewayMetrics }): MiddlewareHandler<McpEnv> {
  return async (c, next) => {
    const projectId = (c.req.param("projectId") ?? "").toLowerCase();
    const outcome = await auth.authenticate(projectId, c.req.header("authorization"), c.var.ip, unitsFor(c.req.method));
    if (!outcome.ok) return replyResponse(authRefusal(outcome, opts.metrics));
    c.set("principal", outcome.principal);
    c.set("projectId", projectId);
    return next();
  };
}
