/**
 * How a failed upstream call is logged and answered: the pool's UpstreamError kinds map to log
 * statuses (timeout → `timeout`, cancelled → `cancelled`, the rest → `error`); a JSON-RPC error
 * from the upstream keeps its code and message; a call the client cancelled is `cancelled`
 * whatever the upstream answered meanwhile.
 */
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import type { ToolCallStatus } from "@switchyard/shared";
import { JSONRPC, plainMessage, UpstreamError } from "../jsonrpc-errors";
import { SessionEnded } from "../sessions/session-end";

const KIND_STATUS: Record<string, ToolCallStatus> = { timeout: "timeout", cancelled: "cancelled", rejected: "rejected" };

export interface UpstreamFailure {
  status: ToolCallStatus;
  errorCode: number;
  errorMessage: string;
  /** JSON-RPC error data of the upstream's own error, passed on unchanged. */
  errorData?: unknown;
}

/** What a call the client cancelled is logged and answered as. */
const CANCELLED_BY_CLIENT: UpstreamFailure = { status: "cancelled", errorCode: JSONRPC.requestCancelled, errorMessage: "cancelled by the client" };

/**
 * The failure of a forwarded request: cancelled when the caller's signal fired (by the client, or
 * by its session ending: then the answer names why, sessions/session-end.ts), else what `e` says.
 */
export function callFailure(e: unknown, signal: AbortSignal): UpstreamFailure {
  if (!signal.aborted) return upstreamFailure(e);
  const reason: unknown = signal.reason;
  return reason instanceof SessionEnded ? { status: "cancelled", errorCode: reason.code, errorMessage: reason.message } : CANCELLED_BY_CLIENT;
}

export function upstreamFailure(e: unknown): UpstreamFailure {
  if (e instanceof UpstreamError) {
    const data = e.data !== undefined ? { errorData: e.data } : {};
    return { status: KIND_STATUS[e.kind] ?? "error", errorCode: e.code, errorMessage: e.message, ...data };
  }
  if (e instanceof McpError) return { status: e.code === JSONRPC.requestTimeout ? "timeout" : "error", errorCode: e.code, errorMessage: plainMessage(e) };
  return { status: "error", errorCode: JSONRPC.internalError, errorMessage: plainMessage(e) };
}
