/**
 * HTTP plumbing shared by the MCP routes: the Hono env, the caller's address, and reading a
 * JSON-RPC body within the size and batch limits before any SDK transport sees it.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import type { Authenticator, Principal, RateOutcome } from "../auth/authenticator";
import { JSONRPC } from "../mcp/jsonrpc-errors";
import { isJsonRpcShaped, jsonRpcErrorReply, replyResponse, type Reply } from "../mcp/transport/jsonrpc";

export type McpEnv = {
  Bindings: HttpBindings | undefined;
  /** `ip`: the caller's address (http/client-address), "unknown" without a socket. */
  Variables: { principal: Principal; projectId: string; requestId: string; ip: string };
};

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_BATCH = 100;

export interface BodyLimits {
  maxBodyBytes: number;
  /** Messages allowed in one JSON-RPC batch. */
  maxBatch: number;
}

export function requestMeta(c: Context<McpEnv>): { ip: string | null; userAgent: string | null } {
  const ip = c.var.ip;
  return { ip: ip === "unknown" ? null : ip, userAgent: c.req.header("user-agent") ?? null };
}

/** JSON-RPC requests (not notifications or responses) in a parsed body: what the rate limit counts. */
export function requestCount(body: unknown): number {
  if (!Array.isArray(body)) return isRequest(body) ? 1 : 0;
  let n = 0;
  for (const m of body) if (isRequest(m)) n++;
  return n;
}

const isRequest = (m: unknown): boolean => typeof m === "object" && m !== null && "method" in m && "id" in m;

/**
 * Takes a POST from the caller's rate limit once its body is read: one unit per JSON-RPC request,
 * however many one POST carries (at least one per POST). A Reply is the refusal to send; none of
 * the batch runs then, and nothing is taken. Answers without a promise when the count is local.
 */
export function chargePost(auth: Pick<Authenticator, "charge">, principal: Principal, body: unknown): Reply | undefined | Promise<Reply | undefined> {
  const outcome = auth.charge(principal, Math.max(1, requestCount(body)));
  return outcome instanceof Promise ? outcome.then(rateRefusal) : rateRefusal(outcome);
}

function rateRefusal(outcome: RateOutcome): Reply | undefined {
  if (outcome.ok) return undefined;
  const retryAfter = String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)));
  return jsonRpcErrorReply(429, JSONRPC.serverError, "Rate limit exceeded for this API key", { "retry-after": retryAfter });
}

/** Writes a small, complete answer to Node's response, with the request's id. */
export function writeReply(res: ServerResponse, reply: Reply, requestId: string | undefined): void {
  const headers: OutgoingHttpHeaders = { ...reply.headers, "content-length": Buffer.byteLength(reply.body) };
  if (requestId) headers["x-request-id"] = requestId;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

/**
 * Sends a small, complete answer (the hot path's): written straight to Node's response when the
 * gateway serves it, sparing a web Response and its conversion; a web Response otherwise (tests
 * calling `app.request`).
 */
export function sendReply(c: Context<McpEnv>, reply: Reply): Response {
  const res = c.env?.outgoing;
  const requestId = c.get("requestId") as string | undefined;
  if (!res) return replyResponse(requestId ? { ...reply, headers: { ...reply.headers, "x-request-id": requestId } } : reply);
  writeReply(res, reply, requestId);
  return RESPONSE_ALREADY_SENT;
}

/**
 * Bodies the fast lane (mcp-fast-lane.ts) read before handing the request to the app: Node's
 * request cannot be read twice.
 */
const preRead = new WeakMap<IncomingMessage, string>();

export function handBodyOver(incoming: IncomingMessage, text: string): void {
  preRead.set(incoming, text);
}

/** Reads the body straight from Node's request (no web stream in between): the hot path's read. */
export function readIncomingWithin(incoming: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const declaredLength = incoming.headers["content-length"];
  if (declaredLength !== undefined && Number(declaredLength) > maxBytes) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        incoming.off("data", onData);
        // Stop reading; the rest of the body is discarded with the connection if need be.
        incoming.pause();
        resolve(undefined);
        return;
      }
      if (!first) first = chunk;
      else (chunks ??= [first]).push(chunk);
    };
    incoming.on("data", onData);
    incoming.once("end", () => resolve(total > maxBytes ? undefined : chunks ? Buffer.concat(chunks).toString("utf8") : (first?.toString("utf8") ?? "")));
    incoming.once("error", reject);
  });
}

/** Reads at most `maxBytes` of the body: a declared length over it is refused unread, an undeclared one is cut off. */
export async function readBodyWithin(req: Request, maxBytes: number, incoming?: IncomingMessage): Promise<string | undefined> {
  const handed = incoming && preRead.get(incoming);
  if (handed !== undefined) return handed;
  // Untouched by anyone so far (node-server builds the web body lazily): read it directly.
  if (incoming && !incoming.readableEnded && incoming.readableFlowing === null) return readIncomingWithin(incoming, maxBytes);
  const declaredLength = req.headers.get("content-length");
  if (declaredLength !== null && Number(declaredLength) > maxBytes) return undefined;
  // Node's parser enforces Content-Length framing, so a declared length within the limit is safe to read whole.
  if (declaredLength !== null) return req.text();
  if (!req.body) return "";
  const reader = (req.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === "application/json") return true;
  const type = value?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json" || (type?.startsWith("application/") === true && type.endsWith("+json"));
}

/**
 * The parsed JSON-RPC body of a POST, or the refusal to send: 413 past the limit (`text`
 * undefined), 415 for a non-JSON content type, 400 for malformed JSON or anything that is not
 * JSON-RPC 2.0.
 */
export function checkJsonRpcBody(text: string | undefined, contentType: string | undefined, limits: BodyLimits): { body: unknown } | Reply {
  if (text === undefined) return jsonRpcErrorReply(413, JSONRPC.serverError, `Payload Too Large: the request body exceeds ${limits.maxBodyBytes} bytes`);
  if (!isJsonContentType(contentType)) return jsonRpcErrorReply(415, JSONRPC.serverError, "Unsupported Media Type: Content-Type must be application/json");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return jsonRpcErrorReply(400, JSONRPC.parseError, "Parse error: Invalid JSON");
  }
  if (!isJsonRpcShaped(body)) return jsonRpcErrorReply(400, JSONRPC.invalidRequest, "Invalid Request: expected a JSON-RPC 2.0 message or batch");
  if (Array.isArray(body) && body.length > limits.maxBatch) {
    return jsonRpcErrorReply(413, JSONRPC.invalidRequest, `Payload Too Large: a batch may hold at most ${limits.maxBatch} messages`);
  }
  return { body };
}

/** A refusal (a Reply has a status), not a parsed body. */
export const isReply = (checked: { body: unknown } | Reply): checked is Reply => "status" in checked;

/** The client went away mid-body, or Node cut it off (request timeout): nobody reads this answer. */
export const bodyTimeout = (): Reply => jsonRpcErrorReply(408, JSONRPC.serverError, "Request Timeout: the body did not arrive");

/** readJsonRpcBody for the Hono routes: a Response is the refusal to send. */
export async function readJsonRpcBody(c: Context<McpEnv>, limits: BodyLimits): Promise<{ body: unknown } | Response> {
  let text: string | undefined;
  try {
    text = await readBodyWithin(c.req.raw, limits.maxBodyBytes, c.env?.incoming);
  } catch {
    return replyResponse(bodyTimeout());
  }
  const checked = checkJsonRpcBody(text, c.req.header("content-type"), limits);
  return isReply(checked) ? replyResponse(checked) : checked;
}
