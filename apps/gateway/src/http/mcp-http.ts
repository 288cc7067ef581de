/**
 * HTTP plumbing shared by the MCP routes: the Hono env, the caller's address, and reading a
 * JSON-RPC body within the size limit before any SDK transport sees it.
 */
import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import type { Principal } from "../auth/authenticator";
import { isJsonRpcShaped, jsonRpcErrorResponse, JSONRPC } from "../mcp/jsonrpc";

export type McpEnv = {
  Bindings: HttpBindings | undefined;
  Variables: { principal: Principal; projectId: string; requestId: string };
};

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The peer address; X-Forwarded-For only when the gateway is told it sits behind a proxy. */
export function clientIp(c: Context<McpEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return c.env?.incoming?.socket.remoteAddress ?? "unknown";
}

export function requestMeta(c: Context<McpEnv>, trustProxy: boolean): { ip: string | null; userAgent: string | null } {
  const ip = clientIp(c, trustProxy);
  return { ip: ip === "unknown" ? null : ip, userAgent: c.req.header("user-agent") ?? null };
}

/** Reads at most `maxBytes` of the body: a declared length over it is refused unread, an undeclared one is cut off. */
export async function readBodyWithin(req: Request, maxBytes: number): Promise<string | undefined> {
  const declared = req.headers.get("content-length");
  if (declared !== null) {
    // Node's parser enforces Content-Length framing, so a declared length within the limit is safe to read whole.
    if (Number(declared) > maxBytes) return undefined;
    return req.text();
  }
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
export async function readJsonRpcBody(c: Context<McpEnv>, maxBytes: number): Promise<{ body: unknown } | Response> {
  const text = await readBodyWithin(c.req.raw, maxBytes);
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
  return { body };
}
