/**
 * How a failed upstream call is logged and answered: the pool's UpstreamError kinds map to log
 * statuses (timeout → `timeout`, cancelled → `cancelled`, the rest → `error`); a JSON-RPC error
 * from the upstream keeps its code and message.
 */
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { ToolCallStatus } from "@switchyard/shared";
import { UpstreamError } from "../upstream/upstream-error";

const REQUEST_TIMEOUT: number = ErrorCode.RequestTimeout;

const KIND_STATUS: Record<string, ToolCallStatus> = { timeout: "timeout", cancelled: "cancelled", rejected: "rejected" };

export interface UpstreamFailure {
  status: ToolCallStatus;
  errorCode: number;
  errorMessage: string;
  /** JSON-RPC error data of the upstream's own error, passed on unchanged. */
  errorData?: unknown;
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

/** The message of an McpError without the "MCP error N: " prefix the SDK adds. */
export function plainMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return e instanceof McpError ? message.replace(/^MCP error -?\d+: /, "") : message;
}

export function upstreamFailure(e: unknown): UpstreamFailure {
  if (e instanceof UpstreamError) {
    const data = e.data !== undefined ? { errorData: e.data } : {};
    return { status: KIND_STATUS[e.kind] ?? "error", errorCode: e.code, errorMessage: e.message, ...data };
  }
  if (e instanceof McpError) return { status: e.code === REQUEST_TIMEOUT ? "timeout" : "error", errorCode: e.code, errorMessage: plainMessage(e) };
  return { status: "error", errorCode: ErrorCode.InternalError, errorMessage: plainMessage(e) };
}
