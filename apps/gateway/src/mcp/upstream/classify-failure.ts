/**
 * Makes one UpstreamError (jsonrpc-errors.ts) of whatever an upstream request failed with: the
 * SDK's errors, an upstream's own JSON-RPC error, transport failures, and the pool's own verdicts
 * (timed out, cancelled, crashed, closed by us).
 */
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { isAppError } from "@switchyard/shared";
import { JSONRPC, stripMcpPrefix, UpstreamError } from "../jsonrpc-errors";

/**
 * An upstream that forgot our Streamable HTTP / SSE session: rebuild the client and retry once.
 * The spec says 404; servers built from the SDK's example (server-everything among them) answer 400
 * "No valid session ID provided" — the request was not processed either way, so a retry is safe.
 */
export function isSessionNotFound(e: unknown): boolean {
  if (e instanceof StreamableHTTPError) return e.code === 404 || (e.code === 400 && /session/i.test(e.message));
  return e instanceof Error && /Error POSTing to endpoint \(HTTP 404\)/.test(e.message);
}

/** HTTP statuses of an upstream that blame the request, not the upstream (404 is a lost session, 401/403 its credentials). */
function blamesRequest(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 403, 404, 408, 429].includes(status);
}

/**
 * Why the request itself failed — JSON.stringify's RangeError (nesting too deep) or TypeError
 * (BigInt, cycles), or an upstream's 4xx answer to it — or undefined when the upstream is to blame.
 */
export function callerFault(e: unknown): string | undefined {
  if (e instanceof RangeError || (e instanceof TypeError && /circular|BigInt|serializ|JSON/i.test(e.message))) return `the request cannot be serialized (${e.message})`;
  if (e instanceof StreamableHTTPError && e.code !== undefined && blamesRequest(e.code)) return `the upstream refused the request (HTTP ${e.code})`;
  const sse = e instanceof Error ? /Error POSTing to endpoint \(HTTP (\d{3})\)/.exec(e.message) : null;
  if (sse && blamesRequest(Number(sse[1]))) return `the upstream refused the request (HTTP ${sse[1]})`;
  return undefined;
}

export interface FailureContext {
  serverName: string;
  timeoutMs: number;
  /** The caller's signal fired. */
  aborted: boolean;
  /** The server's timeout fired (the pool's own timer). */
  timedOut: boolean;
  /** The upstream connection ended without us closing it. */
  crashed: boolean;
  /** We closed the connection (config change, session end, shutdown) while the call ran. */
  closedByGateway: boolean;
}

/** Classifies whatever an SDK request rejected with. */
export function toUpstreamError(e: unknown, ctx: FailureContext): UpstreamError {
  if (e instanceof UpstreamError) return e;
  const name = ctx.serverName;
  if (ctx.aborted) return new UpstreamError("cancelled", `call to ${name} was cancelled`, { cause: e });
  if (ctx.timedOut) return new UpstreamError("timeout", `upstream ${name} did not answer within ${ctx.timeoutMs} ms`, { cause: e });
  if (ctx.crashed) return new UpstreamError("crashed", `upstream ${name} exited during the call`, { cause: e });
  if (e instanceof McpError) {
    // The SDK's own timeout and close errors; an upstream may send these codes itself, with other messages.
    const local = stripMcpPrefix(e.message);
    if (e.code === JSONRPC.requestTimeout && /^(Request timed out|Maximum total timeout exceeded)$/.test(local)) return new UpstreamError("timeout", `upstream ${name} did not answer within ${ctx.timeoutMs} ms`, { cause: e });
    if (e.code === JSONRPC.connectionClosed && local === "Connection closed") {
      return ctx.closedByGateway
        ? new UpstreamError("unavailable", `upstream ${name} was stopped during the call`, { cause: e })
        : new UpstreamError("crashed", `connection to upstream ${name} closed during the call`, { cause: e });
    }
    return new UpstreamError("protocol", local, { code: e.code, data: e.data, cause: e });
  }
  if (e instanceof Error && e.name === "ZodError") {
    return new UpstreamError("protocol", `upstream ${name} sent a malformed result`, { code: JSONRPC.internalError, cause: e });
  }
  const fault = callerFault(e);
  if (fault) return new UpstreamError("rejected", `call to ${name} refused: ${fault}`, { cause: e });
  if (isAppError(e)) return new UpstreamError("unavailable", `upstream ${name}: ${e.message}`, { cause: e });
  const message = e instanceof Error ? e.message : String(e);
  return new UpstreamError("unavailable", `upstream ${name} is unreachable: ${message}`, { cause: e });
}
