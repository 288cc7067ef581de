/**
 * Middleware in front of every MCP route: DNS-rebinding protection (Host/Origin) for loopback
 * binds, refusal while shutting down, and authentication with the one identical 401.
 */
import type { MiddlewareHandler } from "hono";
import type { Authenticator, AuthOutcome } from "../auth/authenticator";
import type { GatewayMetrics } from "../metrics/gateway-metrics";
import { JSONRPC } from "../mcp/jsonrpc-errors";
import { jsonRpcErrorResponse } from "../mcp/transport/jsonrpc";
import { clientAddress, type TrustFunction } from "./client-address";
import type { McpEnv } from "./mcp-http";

export interface HostGuardOptions {
  /** Host header values accepted (host:port); null turns the guard off (non-loopback binds). */
  allowedHosts: () => ReadonlySet<string> | null;
  /** Origins accepted when a browser sends one (scheme://host:port). */
  allowedOrigins: () => ReadonlySet<string>;
}

/** A page on another site must not reach a gateway on 127.0.0.1 through a rebound DNS name. */
export function hostGuard(opts: HostGuardOptions): MiddlewareHandler<McpEnv> {
  return async (c, next) => {
    const hosts = opts.allowedHosts();
    if (hosts) {
      const host = c.req.header("host")?.toLowerCase();
      if (!host || !hosts.has(host)) return jsonRpcErrorResponse(403, JSONRPC.serverError, "Forbidden: invalid Host header");
      const origin = c.req.header("origin")?.toLowerCase();
      if (origin && origin !== "null" && !opts.allowedOrigins().has(origin)) return jsonRpcErrorResponse(403, JSONRPC.serverError, "Forbidden: invalid Origin header");
    }
    return next();
  };
}

export function refuseWhileDraining(isDraining: () => boolean): MiddlewareHandler<McpEnv> {
  return async (c, next) => {
    // `connection: close` moves keep-alive clients (a balancer's pool) off this instance before it stops listening.
    if (isDraining()) return jsonRpcErrorResponse(503, JSONRPC.serverError, "Service unavailable: the gateway is shutting down", { "retry-after": "1", connection: "close" });
    return next();
  };
}

const UNAUTHORIZED_BODY = JSON.stringify({ jsonrpc: "2.0", error: { code: JSONRPC.serverError, message: "Unauthorized: a valid API key of this project is required (Authorization: Bearer <key>)" }, id: null });

/** The same answer for every bad credential, so a caller learns nothing about which keys exist. */
export function unauthorized(): Response {
  return new Response(UNAUTHORIZED_BODY, { status: 401, headers: { "content-type": "application/json", "www-authenticate": 'Bearer error="invalid_token"' } });
}

function refusal(outcome: Exclude<AuthOutcome, { ok: true }>): Response {
  switch (outcome.reason) {
    case "invalid":
      return unauthorized();
    case "unavailable":
      return jsonRpcErrorResponse(503, JSONRPC.serverError, "Service unavailable: credentials cannot be checked right now", { "retry-after": "5" });
    case "ip_blocked":
    case "rate_limited": {
      const message = outcome.reason === "ip_blocked" ? "Too many failed authentication attempts" : "Rate limit exceeded for this API key";
      return jsonRpcErrorResponse(429, JSONRPC.serverError, message, { "retry-after": String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1000))) });
    }
  }
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
    // Opening a stream takes one unit; a POST takes one per JSON-RPC request once its body is read; ending a session none.
    const units = c.req.method === "GET" ? 1 : 0;
    const outcome = await auth.authenticate(projectId, c.req.header("authorization"), c.var.ip, units);
    if (!outcome.ok) {
      opts.metrics?.countAuthFailure(outcome.reason);
      return refusal(outcome);
    }
    c.set("principal", outcome.principal);
    c.set("projectId", projectId);
    return next();
  };
}
