/**
 * The hot path: a lone tools/call on an open session is answered without the SDK's per-request
 * machinery (schema parses of the message and request, a web stream and keep-alive timer per
 * POST, abort bookkeeping). Same handler, same log row, same answer. Which calls it takes is
 * decided in route.ts; everything else — initialize, batches, other methods, calls asking for
 * progress over Streamable HTTP — goes through the SDK. Cancellation is honoured: a notifications/cancelled naming a fast call aborts it.
 */
import { type JSONRPCMessage, type ProgressNotification, type RequestId } from "@modelcontextprotocol/sdk/types.js";
import type { Session } from "../sessions/session";
import type { CallRequest, ToolCalls } from "../tools/tool-calls";
import { JSONRPC, JsonRpcError, plainMessage } from "../jsonrpc-errors";

export interface FastCall {
  id: RequestId;
  request: CallRequest;
  /** The caller asked for progress (`_meta.progressToken`). */
  wantsProgress: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The tools/call request `message` is, when it is one the fast path can take; undefined otherwise. */
export function pickToolCall(message: unknown): FastCall | undefined {
  if (!isObject(message) || message.jsonrpc !== "2.0" || message.method !== "tools/call") return undefined;
  const { id, params } = message;
  if (!(typeof id === "string" || (typeof id === "number" && Number.isSafeInteger(id)))) return undefined;
  if (!isObject(params) || typeof params.name !== "string") return undefined;
  if (params.arguments !== undefined && !isObject(params.arguments)) return undefined;
  if (params._meta !== undefined && !isObject(params._meta)) return undefined;
  // Task-augmented calls and anything else unusual: the SDK path validates and answers them.
  if (params.task !== undefined || Object.keys(message).length > 4) return undefined;
  return { id, request: { params: params as CallRequest["params"] }, wantsProgress: isObject(params._meta) && params._meta.progressToken !== undefined };
}

/** The request id a notifications/cancelled message names, if `message` is one. */
export function cancelledRequestId(message: unknown): RequestId | undefined {
  if (!isObject(message) || message.method !== "notifications/cancelled" || !isObject(message.params)) return undefined;
  const id = message.params.requestId;
  return typeof id === "string" || typeof id === "number" ? id : undefined;
}

/** Aborts the session's fast calls a message (or batch) cancels; the SDK sees it too, for its own. */
export function applyCancellation(session: Session, body: unknown): void {
  if (session.fastCalls.size === 0) return;
  for (const message of Array.isArray(body) ? body : [body]) {
    const id = cancelledRequestId(message);
    if (id !== undefined) session.fastCalls.get(id)?.abort("cancelled by the client");
  }
}

/** Runs the call and gives the JSON-RPC response to send (a result or an error, never a throw). */
export async function runFastCall(
  calls: ToolCalls,
  session: Session,
  call: FastCall,
  sendProgress: (params: ProgressNotification["params"]) => Promise<void>,
  /** Whether the reply travels on a stream that can carry messages related to the call (legacy SSE). */
  replyStreams = false,
): Promise<JSONRPCMessage> {
  const controller = new AbortController();
  session.fastCalls.set(call.id, controller);
  try {
    const result = await calls.handle(session, call.request, { signal: controller.signal, requestId: call.id, relatedRequestId: replyStreams ? call.id : undefined, sendProgress });
    return { jsonrpc: "2.0", id: call.id, result };
  } catch (e) {
    const code = e instanceof JsonRpcError ? e.code : JSONRPC.internalError;
    const data = e instanceof JsonRpcError && e.data !== undefined ? { data: e.data } : {};
    return { jsonrpc: "2.0", id: call.id, error: { code, message: plainMessage(e), ...data } };
  } finally {
    if (session.fastCalls.get(call.id) === controller) session.fastCalls.delete(call.id);
  }
}
