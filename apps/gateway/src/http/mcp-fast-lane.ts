/**
 * The hot POST, served straight from Node's request and response: a Streamable HTTP tools/call on
 * a session held here, and every legacy SSE `…/messages` POST. The app (Hono, through
 * @hono/node-server) would build a web Request, a context and a middleware chain for each of them;
 * here the same checks run as plain functions (mcp-middleware.ts, mcp-http.ts) in the same order:
 * Host/Origin, draining, the caller's address, authentication, the body, the rate limit. Anything
 * else is handed to the app untouched (`next`), or, once the body is read, with the body handed
 * over: a Streamable POST that is not a fast tools/call (initialize, batches, notifications,
 * sessions to restore) is authenticated again there and charged once, there.
 * docs/ARCHITECTURE.md, "The hot call".
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";
import type { Authenticator, Principal } from "../auth/authenticator";
import type { GatewayMetrics } from "../metrics/gateway-metrics";
import { JSONRPC } from "../mcp/jsonrpc-errors";
import { jsonRpcErrorReply, type Reply } from "../mcp/transport/jsonrpc";
import type { SseEndpoint } from "../mcp/transport/sse-endpoint";
import type { StreamableEndpoint } from "../mcp/transport/streamable-endpoint";
import type { EndpointRef } from "../mcp/tools/tool-catalogue";
import { clientAddress, type TrustFunction } from "./client-address";
import { bodyTimeout, chargePost, checkJsonRpcBody, handBodyOver, isReply, readIncomingWithin, writeReply, type BodyLimits } from "./mcp-http";
import { authRefusal, drainingRefusal, hostRefusal, unitsFor, type HostGuardOptions } from "./mcp-middleware";

export interface FastLaneDeps {
  auth: Authenticator;
  streamable: StreamableEndpoint;
  sse: SseEndpoint;
  limits: BodyLimits;
  trust: TrustFunction;
  hostGuard?: HostGuardOptions;
  isDraining?: () => boolean;
  metrics?: GatewayMetrics;
  log: (level: "error", msg: string, fields?: Record<string, unknown>) => void;
}

/** Node's request handler of the app, for everything the lane does not serve. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The MCP POST URLs, without percent-escapes (which the app's router decodes: those go to it).
 * 1: project id, 2: server name, 3: `mcp` or `messages`, 4: the query.
 */
const MCP_POST = /^\/projects\/([^/?#%]+)\/(?:servers\/([^/?#%]+)\/)?(mcp|messages)(?:\?([^#%+]*))?$/;

/** What the app's request-id middleware accepts from the client (hono/request-id); anything else gets a new id. */
const CLIENT_REQUEST_ID = /^[\w\-=]{1,255}$/;

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === "string" ? v : undefined;
};

export class McpFastLane {
  constructor(private readonly deps: FastLaneDeps) {}

  /** Serves `req` when it is an MCP POST; hands it to `next` otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, next: NodeHandler): void {
    const match = req.method === "POST" ? MCP_POST.exec(req.url ?? "") : null;
    if (!match) return next(req, res);
    const requestId = requestIdOf(header(req, "x-request-id"));
    this.serve(req, res, next, match, requestId).catch((err: unknown) => {
      // What the app's onError answers for an MCP path.
      this.deps.log("error", "unhandled error", { requestId, error: err instanceof Error ? err.stack : String(err) });
      if (!res.headersSent) send(req, res, jsonRpcErrorReply(500, JSONRPC.serverError, "Internal error"), requestId);
      else res.destroy();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse, next: NodeHandler, match: RegExpExecArray, requestId: string): Promise<void> {
    const { deps } = this;
    const refused = (deps.hostGuard && hostRefusal(deps.hostGuard, header(req, "host"), header(req, "origin"))) || (deps.isDraining?.() ? drainingRefusal() : undefined);
    if (refused) return send(req, res, refused, requestId);
    const ip = clientAddress(req, header(req, "x-forwarded-for"), deps.trust);
    const projectId = (match[1] as string).toLowerCase();
    const endpoint: EndpointRef = { projectId, serverName: match[2] ?? null };
    let outcome = deps.auth.authenticate(projectId, header(req, "authorization"), ip, unitsFor("POST"));
    if (outcome instanceof Promise) outcome = await outcome;
    if (!outcome.ok) return send(req, res, authRefusal(outcome, deps.metrics), requestId);
    const principal = outcome.principal;
    let text: string | undefined;
    try {
      text = await readIncomingWithin(req, deps.limits.maxBodyBytes);
    } catch {
      return send(req, res, bodyTimeout(), requestId);
    }
    const checked = checkJsonRpcBody(text, header(req, "content-type"), deps.limits);
    if (isReply(checked)) return send(req, res, checked, requestId);
    const body = checked.body;
    if (match[3] === "mcp") {
      const held = deps.streamable.heldCall(endpoint, principal, header(req, "mcp-session-id"), { accept: header(req, "accept") ?? null, protocolVersion: header(req, "mcp-protocol-version") ?? null }, body);
      if (!held) {
        // Initialize, batches, notifications, sessions to restore: the app's route, with the body read here.
        handBodyOver(req, text as string);
        return next(req, res);
      }
      if (await this.overLimit(req, res, principal, body, requestId)) return;
      return send(req, res, await deps.streamable.answerHeld(held), requestId);
    }
    if (await this.overLimit(req, res, principal, body, requestId)) return;
    const messages = Array.isArray(body) ? body : [body];
    let info: MessageExtraInfo | undefined;
    // The request's headers and URL, for the SDK: built only when a message goes to it.
    const extra = () => (info ??= { requestInfo: { headers: requestHeaders(req), url: new URL(req.url ?? "/", `http://${header(req, "host") ?? "localhost"}`) } });
    const answer = await deps.sse.post(endpoint, principal, sessionIdOf(match[4]), messages, extra);
    send(req, res, answer instanceof Response ? { status: answer.status, headers: Object.fromEntries(answer.headers), body: await answer.text() } : answer, requestId);
  }

  /** Charges the POST's requests; true when the refusal was written. */
  private async overLimit(req: IncomingMessage, res: ServerResponse, principal: Principal, body: unknown, requestId: string): Promise<boolean> {
    let refused = chargePost(this.deps.auth, principal, body);
    if (refused instanceof Promise) refused = await refused;
    if (!refused) return false;
    send(req, res, refused, requestId);
    return true;
  }
}

/**
 * Writes the answer; a body left unread (a refusal before or while reading it) is drained after
 * it, as node-server does for the app, so the connection can carry the client's next request.
 */
function send(req: IncomingMessage, res: ServerResponse, reply: Reply, requestId: string): void {
  writeReply(res, reply, requestId);
  if (!req.readableEnded) res.once("finish", () => drain(req));
}

const DRAIN_TIMEOUT_MS = 500;
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** Reads and discards the rest of a body; closes the connection past 500 ms or 64 MiB instead. */
function drain(req: IncomingMessage): void {
  if (req.destroyed || req.readableEnded) return;
  let read = 0;
  const done = () => {
    clearTimeout(timer);
    req.off("data", onData);
  };
  const close = () => {
    done();
    req.socket.destroySoon();
  };
  const onData = (chunk: Buffer) => {
    read += chunk.length;
    if (read > MAX_DRAIN_BYTES) close();
  };
  const timer = setTimeout(close, DRAIN_TIMEOUT_MS);
  timer.unref();
  req.on("data", onData);
  req.once("end", done);
  req.once("error", done);
  req.resume();
}

function requestIdOf(fromClient: string | undefined): string {
  return fromClient !== undefined && CLIENT_REQUEST_ID.test(fromClient) ? fromClient : randomUUID();
}

/** `sessionId` of the messages URL's query, as the app's router reads it. */
function sessionIdOf(query: string | undefined): string | undefined {
  return query ? (new URLSearchParams(query).get("sessionId") ?? undefined) : undefined;
}

/** Node's headers as the web Headers of the app's route would list them (comma-joined, lower-case names). */
function requestHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}
