import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { isSessionNotFound, toUpstreamError, type FailureContext } from "./classify-failure";

const ctx: FailureContext = { serverName: "gh", timeoutMs: 5_000, aborted: false, timedOut: false, crashed: false, closedByGateway: false };

describe("toUpstreamError", () => {
  it("keeps the upstream's own JSON-RPC errors as kind protocol with their code, message and data", () => {
    const e = toUpstreamError(new McpError(-32602, "Unknown tool: nope", { hint: 1 }), ctx);
    expect([e.kind, e.code, e.message, e.data]).toEqual(["protocol", -32602, "Unknown tool: nope", { hint: 1 }]);
  });

  it("does not mistake an upstream error that uses -32000 for a closed connection", () => {
    expect(toUpstreamError(new McpError(ErrorCode.ConnectionClosed, "rate limited by GitHub"), ctx).kind).toBe("protocol");
  });

  it("names timeouts, cancellations, crashes and gateway-side closes", () => {
    const closed = new McpError(ErrorCode.ConnectionClosed, "Connection closed");
    expect(toUpstreamError(new McpError(ErrorCode.RequestTimeout, "Error: timed out"), { ...ctx, timedOut: true }).kind).toBe("timeout");
    expect(toUpstreamError(new McpError(ErrorCode.RequestTimeout, "AbortError"), { ...ctx, aborted: true }).kind).toBe("cancelled");
    expect(toUpstreamError(closed, { ...ctx, crashed: true }).kind).toBe("crashed");
    expect(toUpstreamError(closed, { ...ctx, closedByGateway: true }).kind).toBe("unavailable");
    expect(toUpstreamError(new TypeError("fetch failed"), ctx).kind).toBe("unavailable");
  });
});

describe("isSessionNotFound", () => {
  it("recognises 404 and the SDK example's 400 for an unknown session, nothing else", () => {
    expect(isSessionNotFound(new StreamableHTTPError(404, "Session not found"))).toBe(true);
    expect(isSessionNotFound(new StreamableHTTPError(400, "Bad Request: No valid session ID provided"))).toBe(true);
    expect(isSessionNotFound(new StreamableHTTPError(400, "Bad Request: invalid JSON"))).toBe(false);
    expect(isSessionNotFound(new StreamableHTTPError(500, "session store down"))).toBe(false);
    expect(isSessionNotFound(new Error("Error POSTing to endpoint (HTTP 404): gone"))).toBe(true);
  });
});
