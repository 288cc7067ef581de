/**
 * Every JSON-RPC error code the gateway answers with, and its two error classes:
 * - `JsonRpcError`: an error answered to the client as `{ code, message, data }`, as it is;
 * - `UpstreamError`: how a call to an upstream failed (its `kind` decides the log status, see
 *   tools/upstream-failure.ts; upstream/classify-failure.ts makes one from whatever the SDK threw).
 * HTTP refusals (401, 404, 413, 429, …) carry these codes too (transport/jsonrpc.ts).
 */
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";

/** The codes, as plain numbers (errors carry `number` codes; the SDK's enum does not compare with them). */
export const JSONRPC = {
  parseError: ErrorCode.ParseError as number,
  invalidRequest: ErrorCode.InvalidRequest as number,
  invalidParams: ErrorCode.InvalidParams as number,
  internalError: ErrorCode.InternalError as number,
  /** Server-defined, for refusals with no code of their own (rate limits, caps, an unavailable project, a bad Host). */
  serverError: -32000,
  /** The SDK's code for a request its connection closed under (the same number as `serverError`). */
  connectionClosed: ErrorCode.ConnectionClosed as number,
  /** What the SDK's HTTP transports answer for an unknown session. */
  sessionNotFound: -32001,
  /** The SDK's code for a request that timed out (the same number as `sessionNotFound`). */
  requestTimeout: ErrorCode.RequestTimeout as number,
  /** An MCP server's "resource not found" (resources/read). */
  resourceNotFound: -32002,
  /** The conventional code of a request the client cancelled. */
  requestCancelled: -32800,
} as const;

/** Removes the "MCP error N: " prefix the SDK's McpError adds to a message. */
export function stripMcpPrefix(message: string): string {
  return message.replace(/^MCP error -?\d+: /, "");
}

/** The message of an error, without the "MCP error N: " prefix when the SDK's McpError added it (only then). */
export function plainMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return e instanceof McpError ? stripMcpPrefix(message) : message;
}

/**
 * An error answered to the client as `{ code, message }`: the SDK's McpError would prefix the
 * message with "MCP error N:", and a forwarded upstream error already carries that prefix once.
 */
export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/**
 * `rejected`: the caller's request could not be sent (the gateway cannot serialize it) or the
 * upstream refused it as a bad request — the caller's error, so the upstream is neither counted
 * as failing nor restarted. `protocol` carries the upstream's own JSON-RPC error unchanged; the
 * other kinds are the gateway's verdict on the upstream.
 */
export type UpstreamFailureKind = "timeout" | "cancelled" | "unavailable" | "circuit_open" | "crashed" | "protocol" | "rejected";

/** JSON-RPC codes per kind (`protocol` uses the upstream's). */
export const UPSTREAM_ERROR_CODES: Record<Exclude<UpstreamFailureKind, "protocol">, number> = {
  timeout: JSONRPC.requestTimeout,
  cancelled: JSONRPC.requestCancelled,
  unavailable: JSONRPC.connectionClosed,
  circuit_open: JSONRPC.connectionClosed,
  crashed: JSONRPC.connectionClosed,
  rejected: JSONRPC.invalidParams,
};

export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  readonly kind: UpstreamFailureKind;
  /** JSON-RPC error code for the downstream answer. */
  readonly code: number;
  /** JSON-RPC error data (an upstream's own, for `protocol`). */
  readonly data?: unknown;

  constructor(kind: UpstreamFailureKind, message: string, options: { code?: number; data?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.code = options.code ?? (kind === "protocol" ? JSONRPC.internalError : UPSTREAM_ERROR_CODES[kind]);
    if (options.data !== undefined) this.data = options.data;
  }
}
