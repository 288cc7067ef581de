/**
 * Streamable HTTP (`…/mcp`): POST, GET stream and DELETE, stateful, with our own session ids
 * (the `client_sessions` ids). A valid initialize always gets a new session — never a 400/404,
 * which would make IDE clients fall back to SSE. Every other request must name a session that
 * was opened on the same endpoint with the same credential, else 404 as for an unknown one; a
 * session opened on another instance (or before a restart) is restored here first
 * (docs/ARCHITECTURE.md, "Sessions across instances").
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { untilStreamEnds, uuidv7 } from "@switchyard/shared";
import type { Principal } from "../../auth/authenticator";
import { applyCancellation, runFastCall, type FastCall } from "./fast-call";
import { JSONRPC } from "../jsonrpc-errors";
import { findInitialize, handshakeOf, jsonRpcErrorResponse, sessionNotFound, type Reply } from "./jsonrpc";
import type { EndpointResolver } from "./endpoint-resolver";
import { chooseRoute, DEFAULT_HOT_PATH, type HotPath, type PostHeaders } from "./route";
import type { Handshake, Session } from "../sessions/session";
import type { SessionHub } from "../sessions/session-hub";
import type { StoredSession } from "../sessions/session-store";
import type { EndpointRef } from "../tools/tool-catalogue";

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

interface Held {
  session: Session;
  transport: WebStandardStreamableHTTPServerTransport;
}

const ACCEPTED: Reply = { status: 202, headers: {}, body: "" };

/** A fast call on a JSON answer: there is no stream to carry progress (chooseRoute sends calls asking for it to the SDK). */
const NO_PROGRESS = (): Promise<void> => Promise.resolve();

/** A lone tools/call the fast path takes, and the held session it runs on. */
export interface HeldCall {
  session: Session;
  call: FastCall;
}

export class StreamableEndpoint {
  private readonly transports = new WeakMap<Session, WebStandardStreamableHTTPServerTransport>();
  /** Restores under way, so concurrent requests of one session rebuild it once. */
  private readonly restoring = new Map<string, Promise<Held | undefined>>();

  constructor(
    private readonly hub: SessionHub,
    private readonly endpoints: EndpointResolver,
    /** Comment frames on open SSE streams, so proxies and idle timeouts leave them alone (default 15 s). */
    private readonly keepAliveMs = 15_000,
    private readonly downstream: HotPath["downstream"] = DEFAULT_HOT_PATH.downstream,
  ) {}

  /**
   * The lone tools/call of a POST the fast path answers, on a session held here that the caller
   * may use: known without waiting on anything (the hot POST's lane asks before charging the
   * call). Undefined: `post` decides (restore, refusal, SDK).
   */
  heldCall(endpoint: EndpointRef, principal: Principal, sessionId: string | undefined, headers: PostHeaders, body: unknown): HeldCall | undefined {
    if (this.downstream !== "fast" || sessionId === undefined) return undefined;
    const session = this.hub.registry.get(sessionId);
    if (!session || !this.transports.has(session) || !session.accepts(endpoint, principal)) return undefined;
    const route = chooseRoute(body, { kind: "json", headers, session }, this.downstream);
    return route.path === "fast" ? { session, call: route.call } : undefined;
  }

  /** Answers a call `heldCall` found, as one JSON response (the spec lets the server pick JSON or SSE). */
  answerHeld({ session, call }: HeldCall): Promise<Reply> {
    this.hub.touch(session);
    return this.answerFast(session, call);
  }

  /** POST with an already parsed (and size-checked) body; a lone tools/call is answered with a Reply. */
  async post(projectId: string, serverName: string | null, principal: Principal, req: Request, body: unknown, meta: RequestMeta): Promise<Response | Reply> {
    const endpoint = { projectId, serverName };
    const init = findInitialize(body);
    if (!init) {
      const headers = { accept: req.headers.get("accept"), protocolVersion: req.headers.get("mcp-protocol-version") };
      const held = this.heldCall(endpoint, principal, req.headers.get("mcp-session-id") ?? undefined, headers, body);
      if (held) return this.answerHeld(held);
      const found = await this.lookup(endpoint, principal, req);
      if (found instanceof Response) return found;
      this.hub.touch(found.session);
      // The client answers a request another instance asked: handed there.
      if (await this.hub.forwardAnswers(found.session, body)) return ACCEPTED;
      applyCancellation(found.session, body);
      const route = chooseRoute(body, { kind: "json", headers, session: found.session }, this.downstream);
      if (route.path === "fast") return this.answerFast(found.session, route.call);
      return found.transport.handleRequest(req, { parsedBody: body });
    }
    const resolved = await this.endpoints.resolve(endpoint);
    if (resolved instanceof Response) return resolved;
    const id = uuidv7();
    const refused = await this.hub.claimSession(principal, projectId, id);
    if (refused) return jsonRpcErrorResponse(429, JSONRPC.serverError, refused, { "retry-after": "60" });
    const { transport, opened } = this.newTransport(id);
    const session = await this.hub.open({ id, transport: "streamable_http", endpoint, serverId: resolved.serverId, principal, ...meta }, transport, handshakeOf(init)).catch((e: unknown) => {
      this.hub.unclaim(principal, projectId, id);
      throw e;
    });
    opened(session);
    return transport.handleRequest(req, { parsedBody: body });
  }

  private newTransport(id: string) {
    const holder: { session?: Session } = {};
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      keepAliveMs: this.keepAliveMs,
      onsessionclosed: () => holder.session?.endingBecause("client_delete"),
    });
    const opened = (session: Session) => {
      holder.session = session;
      this.transports.set(session, transport);
    };
    return { transport, opened };
  }

  /** A lone tools/call answered as one JSON response (the spec lets the server pick JSON or SSE). */
  private async answerFast(session: Session, call: FastCall): Promise<Reply> {
    const reply = await runFastCall(this.hub.calls, session, call, NO_PROGRESS);
    return { status: 200, headers: { "content-type": "application/json", "mcp-session-id": session.id }, body: JSON.stringify(reply) };
  }

  /** GET: the session's standing SSE stream for server-initiated messages. */
  async stream(projectId: string, serverName: string | null, principal: Principal, req: Request): Promise<Response> {
    const found = await this.lookup({ projectId, serverName }, principal, req);
    if (found instanceof Response) return found;
    const { session, transport } = found;
    this.hub.touch(session);
    const response = await transport.handleRequest(req);
    if (!response.body || response.status !== 200) return response;
    await this.hub.streamOpened(session);
    return new Response(
      untilStreamEnds(response.body, () => this.hub.streamClosed(session)),
      { status: response.status, headers: response.headers },
    );
  }

  /** DELETE: the client ends its session. */
  async end(projectId: string, serverName: string | null, principal: Principal, req: Request): Promise<Response> {
    const found = await this.lookup({ projectId, serverName }, principal, req);
    if (found instanceof Response) return found;
    return found.transport.handleRequest(req);
  }

  /** The session the request names, held here or restored from the store; a Response is the refusal. */
  private async lookup(endpoint: EndpointRef, principal: Principal, req: Request): Promise<Held | Response> {
    const id = req.headers.get("mcp-session-id");
    if (!id) return jsonRpcErrorResponse(400, JSONRPC.serverError, "Bad Request: Mcp-Session-Id header is required");
    const session = this.hub.registry.get(id);
    const transport = session && this.transports.get(session);
    if (session && transport) return session.accepts(endpoint, principal) ? { session, transport } : sessionNotFound();
    let pending = this.restoring.get(id);
    if (!pending) {
      pending = this.restore(endpoint, principal, id).finally(() => this.restoring.delete(id));
      this.restoring.set(id, pending);
    }
    let held: Held | undefined;
    try {
      held = await pending;
    } catch {
      return jsonRpcErrorResponse(503, JSONRPC.serverError, "Service unavailable: the session cannot be restored right now", { "retry-after": "1" });
    }
    return held?.session.accepts(endpoint, principal) ? held : sessionNotFound();
  }

  /** Rebuilds a session opened elsewhere: a new transport and server, brought to the initialized state. */
  private async restore(endpoint: EndpointRef, principal: Principal, id: string): Promise<Held | undefined> {
    const stored = await this.hub.find(endpoint, principal, id, "streamable_http");
    if (!stored) return undefined;
    const { transport, opened } = this.newTransport(id);
    const session = await this.hub.restore(stored, principal, transport);
    try {
      await replayHandshake(transport, stored, handshakeFrom(stored));
    } catch (e) {
      // This copy is unusable; the session itself stays stored for another try.
      await session.release("restore_failed");
      throw e;
    }
    opened(session);
    return { session, transport };
  }
}

function handshakeFrom(stored: StoredSession): Handshake {
  // find() returns only sessions whose handshake is stored.
  const h = stored.state.handshake as Handshake;
  return { protocolVersion: h.protocolVersion, clientInfo: h.clientInfo, capabilities: h.capabilities };
}

const REPLAY_URL = "http://session-restore.invalid/mcp";
const REPLAY_ACCEPT = "application/json, text/event-stream";

/**
 * Brings a fresh SDK transport and Server to the state the client's initialize left them in, through
 * the transport's public entry point: the stored initialize is replayed (the transport takes the
 * session id and marks itself initialized; the Server records the client's capabilities, info and
 * protocol version), then notifications/initialized. The SDK keeps that state in private fields and
 * offers no other way to set it; the answers go nowhere.
 */
async function replayHandshake(transport: WebStandardStreamableHTTPServerTransport, stored: StoredSession, hello: Handshake): Promise<void> {
  const initialize = { jsonrpc: "2.0" as const, id: 0, method: "initialize", params: { protocolVersion: hello.protocolVersion, capabilities: hello.capabilities, clientInfo: hello.clientInfo } };
  const answer = await transport.handleRequest(new Request(REPLAY_URL, { method: "POST", headers: { "content-type": "application/json", accept: REPLAY_ACCEPT } }), { parsedBody: initialize });
  await answer.text();
  if (answer.status !== 200 || transport.sessionId !== stored.id) throw new Error(`replaying the handshake of session ${stored.id} failed (${answer.status})`);
  const headers = { "content-type": "application/json", accept: REPLAY_ACCEPT, "mcp-session-id": stored.id, "mcp-protocol-version": hello.protocolVersion };
  const done = await transport.handleRequest(new Request(REPLAY_URL, { method: "POST", headers }), { parsedBody: { jsonrpc: "2.0", method: "notifications/initialized" } });
  await done.text();
}
