/**
 * Legacy HTTP+SSE (protocol 2024-11-05): `GET …/sse` opens the stream, whose first event names
 * the `…/messages?sessionId=` URL the client POSTs to; replies travel on the stream. The SDK's
 * SSEServerTransport writes to the Node response directly and sends no keep-alive, so a comment
 * goes out every `keepAliveMs`. POST bodies are read and checked by the HTTP layer and handed
 * over already parsed; a POST landing on an instance that does not hold the stream is handed to
 * the one that does over the session bus (docs/ARCHITECTURE.md, "Sessions across instances").
 */
import { randomUUID } from "node:crypto";
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
import { MessageTooLargeError } from "../sessions/session-bus";
import type { SessionHub } from "../sessions/session-hub";
import type { SessionInbox } from "../sessions/session-inbox";
import type { RequestMeta } from "./streamable-endpoint";
import type { EndpointRef } from "../tools/tool-catalogue";

export const SSE_KEEPALIVE_MS = 15_000;

const ACCEPTED: Reply = { status: 202, headers: { "content-type": "text/plain; charset=utf-8" }, body: "Accepted" };

export class SseEndpoint {
  /** By session id, from before the session connects: its client may POST at once. */
  private readonly transports = new Map<string, SSEServerTransport>();
  /** Open streams, each sent a comment every `keepAliveMs` by one shared timer. */
  private readonly streams = new Set<ServerResponse>();
  private keepAliveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly hub: SessionHub,
    private readonly endpoints: EndpointResolver,
    inbox: SessionInbox,
    private readonly keepAliveMs = SSE_KEEPALIVE_MS,
    private readonly downstream: HotPath["downstream"] = DEFAULT_HOT_PATH.downstream,
  ) {
    // A POST another instance received for a stream held here.
    inbox.on("sse.post", (m) => {
      const session = this.hub.registry.get(m.sessionId);
      const transport = session && this.transports.get(session.id);
      if (!session || !transport || session.endpoint.projectId !== m.projectId) return;
      const parsed = parseMessages(m.messages, this.downstream);
      if (parsed instanceof Response) return;
      const extra: MessageExtraInfo = { requestInfo: { headers: m.headers, url: new URL(m.url) } };
      void this.deliver(session, transport, parsed, () => extra).catch(() => undefined);
    });
  }

  /**
   * Checks the endpoint and takes a place under the session caps before the stream is opened (the
   * SDK names the session only then: `claim` holds the place until `open` renames it). A Response
   * is the refusal to send.
   */
  async prepare(endpoint: EndpointRef, principal: Principal): Promise<{ serverId: string | null; claim: string } | Response> {
    const resolved = await this.endpoints.resolve(endpoint);
    if (resolved instanceof Response) return resolved;
    const claim = `opening:${randomUUID()}`;
    const refused = await this.hub.claimSession(principal, endpoint.projectId, claim);
    return refused ? jsonRpcErrorResponse(429, JSONRPC.serverError, refused, { "retry-after": "60" }) : { serverId: resolved.serverId, claim };
  }

  /** Opens the stream on the raw Node response (the caller then answers RESPONSE_ALREADY_SENT). */
  async open(endpoint: EndpointRef, serverId: string | null, principal: Principal, res: ServerResponse, meta: RequestMeta, claim: string): Promise<Session> {
    const base = endpoint.serverName === null ? `/projects/${endpoint.projectId}` : `/projects/${endpoint.projectId}/servers/${endpoint.serverName}`;
    const transport = new SSEServerTransport(`${base}/messages`, res);
    this.transports.set(transport.sessionId, transport);
    let session: Session;
    try {
      session = await this.hub.open({ id: transport.sessionId, transport: "sse", endpoint, serverId, principal, ...meta }, transport, undefined, claim);
    } catch (e) {
      this.transports.delete(transport.sessionId);
      // Whether open renamed the place yet or not.
      this.hub.unclaim(principal, endpoint.projectId, claim);
      this.hub.unclaim(principal, endpoint.projectId, transport.sessionId);
      throw e;
    }
    this.keepAlive(res);
    // Ahead of the transport's own listener, so the end is recorded with this reason.
    res.prependListener("close", () => {
      this.streams.delete(res);
      this.transports.delete(session.id);
      session.streamClosed();
      void session.end("client_disconnected");
    });
    return session;
  }

  /** One timer for every open stream rather than one per session (docs/BENCHMARKS.md, "Idle sessions"). */
  private keepAlive(res: ServerResponse): void {
    this.streams.add(res);
    if (this.keepAliveTimer) return;
    this.keepAliveTimer = setInterval(() => {
      if (this.streams.size === 0) {
        clearInterval(this.keepAliveTimer);
        this.keepAliveTimer = undefined;
        return;
      }
      for (const stream of this.streams) if (!stream.writableEnded) stream.write(": keepalive\n\n");
    }, this.keepAliveMs);
    this.keepAliveTimer.unref();
  }

  /** Runs a tools/call outside the SDK's Protocol; progress and the answer go out on the stream. */
  private answerFast(session: Session, transport: SSEServerTransport, call: FastCall): void {
    const sendProgress = (params: ProgressNotification["params"]) => transport.send({ jsonrpc: "2.0", method: "notifications/progress", params });
    void runFastCall(this.hub.calls, session, call, sendProgress, true)
      .then((reply) => transport.send(reply))
      .catch(() => undefined); // the stream is gone: the client left
  }

  /**
   * A POST to `…/messages?sessionId=`: every message is handed to the session, answered 202; to the
   * instance holding the stream when that is another one. `extra` (the request's headers and URL,
   * for the SDK) is only built when a message goes to the SDK.
   */
  async post(endpoint: EndpointRef, principal: Principal, sessionId: string | undefined, messages: unknown[], extra: () => MessageExtraInfo): Promise<Response | Reply> {
    if (!sessionId) return sessionNotFound();
    const session = this.hub.registry.get(sessionId);
    const transport = session && this.transports.get(session.id);
    if (!session || !transport) return this.handOver(endpoint, principal, sessionId, messages, extra());
    if (!session.accepts(endpoint, principal)) return sessionNotFound();
    // Everything is checked before anything runs: a bad message refuses the whole POST.
    const parsed = parseMessages(messages, this.downstream);
    if (parsed instanceof Response) return parsed;
    await this.deliver(session, transport, parsed, extra);
    return ACCEPTED;
  }

  private async deliver(session: Session, transport: SSEServerTransport, parsed: (JSONRPCMessage | FastCall)[], extra: () => MessageExtraInfo): Promise<void> {
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
  }

  /** The stream is held by another instance (or nowhere: the session is gone, 404). */
  private async handOver(endpoint: EndpointRef, principal: Principal, sessionId: string, messages: unknown[], extra: MessageExtraInfo): Promise<Response | Reply> {
    let owner: string | null | undefined;
    try {
      owner = (await this.hub.find(endpoint, principal, sessionId, "sse"))?.streamOwner;
    } catch {
      return jsonRpcErrorResponse(503, JSONRPC.serverError, "Service unavailable: the session cannot be looked up right now", { "retry-after": "1" });
    }
    if (!owner || owner === this.hub.instanceId) return sessionNotFound();
    const parsed = parseMessages(messages, this.downstream);
    if (parsed instanceof Response) return parsed;
    const headers = Object.fromEntries(Object.entries(extra.requestInfo?.headers ?? {}).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
    const url = extra.requestInfo?.url?.toString() ?? "";
    try {
      const received = await this.hub.bus.send(owner, { kind: "sse.post", projectId: endpoint.projectId, sessionId, messages, headers, url });
      return received ? ACCEPTED : sessionNotFound();
    } catch (e) {
      if (e instanceof MessageTooLargeError) return jsonRpcErrorResponse(413, JSONRPC.invalidRequest, `Payload Too Large: ${e.message}`);
      return jsonRpcErrorResponse(503, JSONRPC.serverError, "Service unavailable: the instance holding this session's stream cannot be reached", { "retry-after": "1" });
    }
  }
}

/** Replies travel on the session's stream. */
const STREAM: ReplyChannel = { kind: "stream" };

/** Everything is checked before anything runs: a bad message refuses the whole POST. */
function parseMessages(messages: unknown[], downstream: HotPath["downstream"]): (JSONRPCMessage | FastCall)[] | Response {
  const parsed: (JSONRPCMessage | FastCall)[] = [];
  for (const message of messages) {
    const route = chooseRoute(message, STREAM, downstream);
    if (route.path === "fast") {
      parsed.push(route.call);
      continue;
    }
    const result = JSONRPCMessageSchema.safeParse(message);
    if (!result.success) return jsonRpcErrorResponse(400, JSONRPC.invalidRequest, "Invalid Request: not a JSON-RPC 2.0 message");
    parsed.push(result.data);
  }
  return parsed;
}
