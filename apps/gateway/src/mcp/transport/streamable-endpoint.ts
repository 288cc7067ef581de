/**
 * Streamable HTTP (`…/mcp`): POST, GET stream and DELETE, stateful, with our own session ids
 * (the `client_sessions` ids). A valid initialize always gets a new session — never a 400/404,
 * which would make IDE clients fall back to SSE. Every other request must name a session that
 * was opened on the same endpoint with the same credential, else 404 as for an unknown one.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { untilStreamEnds, uuidv7 } from "@switchyard/shared";
import type { Principal } from "../../auth/authenticator";
import { applyCancellation, runFastCall, type FastCall } from "./fast-call";
import { JSONRPC } from "../jsonrpc-errors";
import { clientHello, findInitialize, jsonRpcErrorResponse, sessionNotFound, type Reply } from "./jsonrpc";
import type { EndpointResolver } from "./endpoint-resolver";
import { chooseRoute, DEFAULT_HOT_PATH, type HotPath } from "./route";
import type { Session } from "../sessions/session";
import type { SessionHub } from "../sessions/session-hub";

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export class StreamableEndpoint {
  private readonly transports = new WeakMap<Session, WebStandardStreamableHTTPServerTransport>();

  constructor(
    private readonly hub: SessionHub,
    private readonly endpoints: EndpointResolver,
    /** Comment frames on open SSE streams, so proxies and idle timeouts leave them alone (default 15 s). */
    private readonly keepAliveMs = 15_000,
    private readonly downstream: HotPath["downstream"] = DEFAULT_HOT_PATH.downstream,
  ) {}

  /** POST with an already parsed (and size-checked) body; a lone tools/call is answered with a Reply. */
  async post(projectId: string, serverName: string | null, principal: Principal, req: Request, body: unknown, meta: RequestMeta): Promise<Response | Reply> {
    const endpoint = { projectId, serverName };
    const init = findInitialize(body);
    if (!init) {
      const found = this.lookup(endpoint, principal, req);
      if (found instanceof Response) return found;
      this.hub.touch(found.session);
      applyCancellation(found.session, body);
      const route = chooseRoute(body, found.session, { kind: "json", request: req }, this.downstream);
      if (route.path === "fast") return this.answerFast(found.session, route.call);
      return found.transport.handleRequest(req, { parsedBody: body });
    }
    const resolved = await this.endpoints.resolve(endpoint);
    if (resolved instanceof Response) return resolved;
    const refused = this.hub.sessionRefusal(principal, projectId);
    if (refused) return jsonRpcErrorResponse(429, JSONRPC.serverError, refused, { "retry-after": "60" });
    const id = uuidv7();
    const opened: { session?: Session } = {};
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      keepAliveMs: this.keepAliveMs,
      onsessionclosed: () => {
        if (opened.session) opened.session.endReason ??= "client_delete";
      },
    });
    const session = await this.hub.open({ id, transport: "streamable_http", endpoint, serverId: resolved.serverId, principal, ...meta }, transport, clientHello(init));
    opened.session = session;
    this.transports.set(session, transport);
    return transport.handleRequest(req, { parsedBody: body });
  }

  /** A lone tools/call answered as one JSON response (the spec lets the server pick JSON or SSE). */
  private async answerFast(session: Session, call: FastCall): Promise<Reply> {
    const reply = await runFastCall(this.hub.calls, session, call, () => Promise.resolve());
    return { status: 200, headers: { "content-type": "application/json", "mcp-session-id": session.id }, body: JSON.stringify(reply) };
  }

  /** GET: the session's standing SSE stream for server-initiated messages. */
  async stream(projectId: string, serverName: string | null, principal: Principal, req: Request): Promise<Response> {
    const found = this.lookup({ projectId, serverName }, principal, req);
    if (found instanceof Response) return found;
    const { session, transport } = found;
    this.hub.touch(session);
    const response = await transport.handleRequest(req);
    if (!response.body || response.status !== 200) return response;
    return new Response(trackStream(response.body, session), { status: response.status, headers: response.headers });
  }

  /** DELETE: the client ends its session. */
  async end(projectId: string, serverName: string | null, principal: Principal, req: Request): Promise<Response> {
    const found = this.lookup({ projectId, serverName }, principal, req);
    if (found instanceof Response) return found;
    return found.transport.handleRequest(req);
  }

  private lookup(endpoint: { projectId: string; serverName: string | null }, principal: Principal, req: Request) {
    const id = req.headers.get("mcp-session-id");
    if (!id) return jsonRpcErrorResponse(400, JSONRPC.serverError, "Bad Request: Mcp-Session-Id header is required");
    const session = this.hub.registry.get(id);
    const transport = session && this.transports.get(session);
    if (!session || !transport || !session.accepts(endpoint, principal)) return sessionNotFound();
    return { session, transport };
  }
}

/**
 * Passes a stream through while counting it as open on the session, so a client holding its
 * GET stream is never idled out, and one that dropped it is.
 */
function trackStream(body: ReadableStream<Uint8Array>, session: Session): ReadableStream<Uint8Array> {
  session.openStreams++;
  return untilStreamEnds(body, () => {
    session.openStreams--;
    session.lastActivity = Date.now();
  });
}
