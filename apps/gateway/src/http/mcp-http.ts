/**
 * HTTP plumbing shared by the MCP routes: the Hono env, the caller's address, and reading a
 * JSON-RPC body within the size and batch limits before any SDK transport sees it.
 */
import type { IncomingMessage } from "node:http";
import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import type { Principal, RateOutcome } from "../auth/authenticator";
import { JSONRPC } from "../mcp/jsonrpc-errors";
import { isJsonRpcShaped, jsonRpcErrorResponse, type Reply } from "../mcp/transport/jsonrpc";

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
  const messages = Array.isArray(body) ? body : [body];
  return messages.filter((m) => typeof m === "object" && m !== null && "method" in m && "id" in m).length;
}

/**
 * Takes a POST from the caller's rate limit once its body is read: one unit per JSON-RPC request,
 * however many one POST carries (at least one per POST). A Response is the refusal to send; none
 * of the batch runs then, and nothing is taken.
 */
export async function chargePost(c: Context<McpEnv>, charge: (p: Principal, units: number) => Promise<RateOutcome>, body: unknown): Promise<Response | undefined> {
  const outcome = await charge(c.var.principal, Math.max(1, requestCount(body)));
  if (outcome.ok) return undefined;
  const retryAfter = String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)));
  return jsonRpcErrorResponse(429, JSONRPC.serverError, "Rate limit exceeded for this API key", { "retry-after": retryAfter });
}

/**
 * Sends a small, complete answer (the hot path's): written straight to Node's response when the
 * gateway serves it, sparing a web Response and its conversion; a web Response otherwise (tests
 * calling `app.request`).
 */
export function sendReply(c: Context<McpEnv>, reply: Reply): Response {
  const res = c.env?.outgoing;
  const requestId = c.get("requestId") as string | undefined;
  const headers = requestId ? { ...reply.headers, "x-request-id": requestId } : reply.headers;
  if (!res) return new Response(reply.body, { status: reply.status, headers });
  res.writeHead(reply.status, { ...headers, "content-length": Buffer.byteLength(reply.body) });
  res.end(reply.body);
  return RESPONSE_ALREADY_SENT;
}

/** Reads the body straight from Node's request (no web stream in between): the hot path's read. */
function readIncomingWithin(incoming: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
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
      chunks.push(chunk);
    };
    incoming.on("data", onData);
    incoming.once("end", () => resolve(total > maxBytes ? undefined : chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    incoming.once("error", reject);
  });
}

/** Reads at most `maxBytes` of the body: a declared length over it is refused unread, an undeclared one is cut off. */
export async function readBodyWithin(req: Request, maxBytes: number, incoming?: IncomingMessage): Promise<string | undefined> {
  const declaredLength = req.headers.get("content-length");
  if (declaredLength !== null && Number(declaredLength) > maxBytes) return undefined;
  // Untouched by anyone so far (node-server builds the web body lazily): read it directly.
  if (incoming && !incoming.readableEnded && incoming.readableFlowing === null) return readIncomingWithin(incoming, maxBytes);
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
  const type = value?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json" || (type?.startsWith("application/") === true && type.endsWith("+json"));
}

/**
 * The parsed JSON-RPC body of a POST, or the refusal to send: 413 past the limit, 415 for a
 * non-JSON content type, 400 for malformed JSON or anything that is not JSON-RPC 2.0.
 */
export async function readJsonRpcBody(c: Context<McpEnv>, limits: BodyLimits): Promise<{ body: unknown } | Response> {
  const maxBytes = limits.maxBodyBytes;
  let text: string | undefined;
  try {
    text = await readBodyWithin(c.req.raw, maxBytes, c.env?.incoming);
  } catch {
    // The client went away mid-body, or Node cut it off (request timeout): nobody reads this answer.
    return jsonRpcErrorResponse(408, JSONRPC.serverError, "Request Timeout: the body did not arrive");
  }
  if (text === undefined) return jsonRpcErrorResponse(413, JSONRPC.serverError, `Payload Too Large: the request body exceeds ${maxBytes} bytes`);
  if (!isJsonContentType(c.req.header("content-type"))) {
    return jsonRpcErrorResponse(415, JSONRPC.serverError, "Unsupported Media Type: Content-Type must be application/json");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return jsonRpcErrorResponse(400, JSONRPC.parseError, "Parse error: Invalid JSON");
  }
  if (!isJsonRpcShaped(body)) return jsonRpcErrorResponse(400, JSONRPC.invalidRequest, "Invalid Request: expected a JSON-RPC 2.0 message or batch");
  if (Array.isArray(body) && body.length > limits.maxBatch) {
    return jsonRpcErrorResponse(413, JSONRPC.invalidRequest, `Payload Too Large: a batch may hold at most ${limits.maxBatch} messages`);
  }
  return { body };
}
