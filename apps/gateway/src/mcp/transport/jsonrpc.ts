/**
 * JSON-RPC shaped HTTP answers: MCP endpoints answer every refusal (401, 404, 413, 429, …) as
 * `{ jsonrpc, error: { code, message }, id: null }` so clients can show something sensible.
 */
import { isInitializeRequest, type InitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { JSONRPC } from "../jsonrpc-errors";
import type { Handshake } from "../sessions/session";

/** A small, complete HTTP answer, sent without building a web Response (see http/mcp-http.ts sendReply). */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A refusal as a Reply: what the hot POST (http/mcp-fast-lane.ts) writes straight to Node's response. */
export function jsonRpcErrorReply(status: number, code: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }) };
}

export const replyResponse = (reply: Reply): Response => new Response(reply.body, { status: reply.status, headers: reply.headers });

export function jsonRpcErrorResponse(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return replyResponse(jsonRpcErrorReply(status, code, message, headers));
}

export const sessionNotFound = (): Response => jsonRpcErrorResponse(404, JSONRPC.sessionNotFound, "Session not found");

/** The initialize request of a POST body (a single message, or a batch holding only it). */
export function findInitialize(body: unknown): InitializeRequest | undefined {
  const single = Array.isArray(body) && body.length === 1 ? (body[0] as unknown) : body;
  // The method first: the schema check is only worth running on an initialize.
  if (typeof single !== "object" || single === null || (single as { method?: unknown }).method !== "initialize") return undefined;
  return isInitializeRequest(single) ? single : undefined;
}

export interface ClientHello {
  clientName?: string;
  clientVersion?: string;
  protocolVersion?: string;
}

export function clientHello(init: InitializeRequest): ClientHello {
  const { clientInfo, protocolVersion } = init.params;
  return { clientName: clientInfo.name, clientVersion: clientInfo.version, protocolVersion };
}

/** What an initialize settles, kept so another instance can replay it (sessions/session-hub.ts). */
export function handshakeOf(init: InitializeRequest): Handshake {
  const { clientInfo, protocolVersion, capabilities } = init.params;
  return { protocolVersion, clientInfo, capabilities };
}

/** Whether a parsed body is made of JSON-RPC 2.0 messages (objects with `jsonrpc: "2.0"`). */
export function isJsonRpcShaped(body: unknown): boolean {
  const one = (m: unknown) => typeof m === "object" && m !== null && !Array.isArray(m) && (m as { jsonrpc?: unknown }).jsonrpc === "2.0";
  return Array.isArray(body) ? body.length > 0 && body.every(one) : one(body);
}
