/**
 * What a session still owes its client when it ends or is released here (shutdown, key
 * revocation, an administrator's end, the idle sweep): every request still in flight is answered
 * with a JSON-RPC error naming the reason, written before the transport closes, and its handler is
 * aborted with a `SessionEnded` reason, so the upstream call is cancelled (notifications/cancelled)
 * and its log row records why (tools/upstream-failure.ts). Without this, the SDK aborts the
 * handlers silently on close and the client waits for its own timeout.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import { JSONRPC } from "../jsonrpc-errors";
import type { Session } from "./session";

const REASONS: Record<string, string> = {
  shutdown: "the gateway instance is shutting down",
  key_revoked: "the API key was revoked",
  ended_by_admin: "ended by an administrator",
  idle_timeout: "idle for too long",
  idle: "idle for too long",
  client_delete: "the client ended it",
  client_disconnected: "the client disconnected",
  restore_failed: "the session could not be restored",
};

/** The abort reason of a request cut short by its session's end; its message is what the client reads. */
export class SessionEnded extends Error {
  override readonly name = "SessionEnded";
  /** Server-defined: the request was not refused, the session it ran in went away. */
  readonly code = JSONRPC.serverError;

  constructor(
    readonly reason: string,
    /** The session goes on elsewhere (this instance stops): the client may retry the request. */
    released: boolean,
  ) {
    const why = REASONS[reason] ?? reason;
    super(released ? `Request interrupted: ${why}; the session goes on, retry the request` : `Session ended: ${why}`);
  }
}

/**
 * The SDK Protocol's handlers in flight, by request id: the only record of which requests the SDK
 * still has to answer. Private to the SDK: an upgrade that renames it leaves those requests
 * unanswered again, which test/session-end.test.ts (a call asking for progress) catches.
 */
function sdkHandlers(server: Server): Map<RequestId, AbortController> {
  const handlers = (server as unknown as { _requestHandlerAbortControllers?: Map<RequestId, AbortController> })._requestHandlerAbortControllers;
  return handlers instanceof Map ? handlers : new Map<RequestId, AbortController>();
}

/** Request ids the session's transport still owes an answer (SDK handlers, and legacy SSE fast calls, answered on the stream). */
export function owedRequests(session: Session, server: Server): RequestId[] {
  const owed = [...sdkHandlers(server).keys()];
  if (session.transport === "sse") owed.push(...session.fastCalls.keys());
  return owed;
}

/** The error response a request cut short by `ended` gets. */
export function endedResponse(id: RequestId, ended: SessionEnded): JSONRPCMessage {
  return { jsonrpc: "2.0", id, error: { code: ended.code, message: ended.message } };
}

/**
 * Answers every request of `session` still in flight on `server` with the `ended` error, then aborts
 * their handlers. Streamable HTTP fast calls are not answered here: their POST answers them, with the
 * same error, once the abort reaches the call (fast-call.ts).
 */
export async function answerPending(session: Session, server: Server, ended: SessionEnded): Promise<number> {
  const owed = owedRequests(session, server);
  const transport = server.transport;
  if (transport && owed.length > 0) {
    await Promise.all(owed.map((id) => transport.send(endedResponse(id, ended), { relatedRequestId: id }).catch(() => undefined)));
  }
  for (const controller of [...sdkHandlers(server).values(), ...session.fastCalls.values()]) controller.abort(ended);
  return owed.length;
}
