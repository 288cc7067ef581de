/**
 * Legacy HTTP+SSE (protocol 2024-11-05): `GET …/sse` opens the stream, whose first event names
 * the `…/messages?sessionId=` URL the client POSTs to; replies travel on the stream. The SDK's
 * SSEServerTransport writes to the Node response directly and sends no keep-alive, so a comment
 * goes out every `keepAliveMs`. POST bodies are read and checked by the HTTP layer and handed
 * over already parsed.
 */
import type { ServerResponse } from "node:http";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { JSONRPCMessageSchema, type JSONRPCMessage, type MessageExtraInfo, type ProgressNotification } from "@modelcontextprotocol/sdk/types.js";
import { applyCancellation, runFastCall, type FastCall } from "./fast-call";
import { chooseRoute, DEFAULT_HOT_PATH, type HotPath, type ReplyChannel } from "./route";
import type { Principal } from "../../auth/authenticator";
import type { EndpointResolver } from "./endpoint-resolver";
import { JSONRPC } from "../jsonrpc-errors";
import { clientHello, findInitialize, jsonRpcErrorResponse, sessionNotFound, type Reply } from "./jsonrpc";
import type { Session } from "../sessions/session";
import type { SessionHub } from "../sessions/session-hub";
import type { RequestMeta } from "./streamable-endpoint";
import type { EndpointRef } from "../tools/tool-catalogue";

export const SSE_KEEPALIVE_MS = 15_000;

/** Replies travel on the session's stream. */
const STREAM: ReplyChannel = { kind: "stream" };

const ACCEPTED: Reply = { status: 202, headers: { "content-type": "text/plain; charset=utf-8" }, body: "Accepted" };

export class SseEndpoint {
  private readonly transports = new WeakMap<Session, SSEServerTransport>();

  constructor(
    private readonly hub: SessionHub,
    private readonly endpoints: EndpointResolver,
    private readonly keepAliveMs = SSE_KEEPALIVE_MS,
    private readonly downstream: HotPath["downstream"] = DEFAULT_HOT_PATH.downstream,
  ) {}

  /** Checks the endpoint and the session caps before the stream is opened: a Response is the refusal to send. */
  async prepare(endpoint: EndpointRef, principal: Principal): Promise<{ serverId: string | null } | Response> {
    const resolved = await this.endpoints.resolve(endpoint);
    if (resolved instanceof Response) return resolved;
    const refused = this.hub.sessionRefusal(principal, endpoint.projectId);
    return refused ? jsonRpcErrorResponse(429, JSONRPC.serverError, refused, { "retry-after": "60" }) : resolved;
  }

  /** Opens the stream on the raw Node response (the caller then answers RESPONSE_ALREADY_SENT). */
  async open(endpoint: EndpointRef, serverId: string | null, principal: Principal, res: ServerResponse, meta: RequestMeta): Promise<Session> {
    const base = endpoint.serverName === null ? `/projects/${endpoint.projectId}` : `/projects/${endpoint.projectId}/servers/${endpoint.serverName}`;
    const transport = new SSEServerTransport(`${base}/messages`, res);
    const session = await this.hub.open({ id: transport.sessionId, transport: "sse", endpoint, serverId, principal, ...meta }, transport);
    this.transports.set(session, transport);
    session.openStreams = 1;
    const keepAlive = setInterval(() => {
      if (!res.writableEnded) res.write(": keepalive\n\n");
    }, this.keepAliveMs);
    keepAlive.unref();
    // Ahead of the transport's own listener, so the end is recorded with this reason.
    res.prependListener("close", () => {
      clearInterval(keepAlive);
      session.openStreams = 0;
      void session.end("client_disconnected");
    });
    return session;
  }

  /** Runs a tools/call outside the SDK's Protocol; progress and the answer go out on the stream. */
  private answerFast(session: Session, transport: SSEServerTransport, call: FastCall): void {
    const sendProgress = (params: ProgressNotification["params"]) => transport.send({ jsonrpc: "2.0", method: "notifications/progress", params });
    void runFastCall(this.hub.calls, session, call, sendProgress, true)
      .then((reply) => transport.send(reply))
      .catch(() => undefined); // the stream is gone: the client left
  }

  /**
   * A POST to `…/messages?sessionId=`: every message is handed to the session, answered 202.
   * `extra` (the request's headers and URL, for the SDK) is only built when a message goes to the SDK.
   */
  async post(endpoint: EndpointRef, principal: Principal, sessionId: string | undefined, messages: unknown[], extra: () => MessageExtraInfo): Promise<Response | Reply> {
    const session = sessionId ? this.hub.registry.get(sessionId) : undefined;
    const transport = session && this.transports.get(session);
    if (!session || !transport || !session.accepts(endpoint, principal)) return sessionNotFound();
    // Everything is checked before anything runs: a bad message refuses the whole POST.
    const parsed: (JSONRPCMessage | FastCall)[] = [];
    for (const message of messages) {
      const route = chooseRoute(message, session, STREAM, this.downstream);
      if (route.path === "fast") {
        parsed.push(route.call);
        continue;
      }
      const result = JSONRPCMessageSchema.safeParse(message);
      if (!result.success) return jsonRpcErrorResponse(400, JSONRPC.invalidRequest, "Invalid Request: not a JSON-RPC 2.0 message");
      parsed.push(result.data);
    }
    this.hub.touch(session);
    for (const message of parsed) {
      if ("request" in message) {
        this.answerFast(session, transport, message);
        continue;
      }
      const init = findInitialize(message);
      if (init) this.hub.initialized(session, clientHello(init));
      applyCancellation(session, message);
      await transport.handleMessage(message, extra());
    }
    return ACCEPTED;
  }
}
