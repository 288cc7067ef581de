/**
 * A minimal MCP client for the throughput runs of bench:gateway: node:http with keep-alive, no
 * schema validation, just enough of Streamable HTTP and legacy SSE to initialize a session and
 * call a tool. The SDK client costs more CPU per call than the proxies it measures; on two cores
 * it would be the bottleneck and hide the difference between them.
 */
import { Agent, request, type IncomingMessage } from "node:http";

const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

interface Reply {
  status: number;
  headers: IncomingMessage["headers"];
  body: string;
}

function post(url: URL, headers: Record<string, string>, body: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (data += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The JSON-RPC messages of a body that is JSON or an SSE stream of `data:` lines. */
function messages(body: string): { id?: unknown; result?: { content?: { text?: string }[] }; error?: unknown }[] {
  const trimmed = body.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return [JSON.parse(trimmed) as never].flat();
  return body
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => JSON.parse(l.slice(6)) as never);
}

const INIT = (id: number) => JSON.stringify({ jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench-lean", version: "1.0.0" } } });
const INITIALIZED = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" });
const call = (id: number, tool: string, message: string) => JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: tool, arguments: { message } } });

export interface LeanSession {
  /** Calls `tool` with `{ message }`; resolves to the first text content of the result. */
  echo: (tool: string, message: string) => Promise<string | undefined>;
  close: () => void;
}

export async function leanStreamable(endpoint: string, auth: Record<string, string>): Promise<LeanSession> {
  const url = new URL(endpoint);
  const base = { accept: "application/json, text/event-stream", ...auth };
  const init = await post(url, base, INIT(0));
  const sessionId = init.headers["mcp-session-id"];
  if (init.status !== 200 || typeof sessionId !== "string") throw new Error(`initialize answered ${init.status}: ${init.body}`);
  const headers = { ...base, "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" };
  await post(url, headers, INITIALIZED);
  let next = 1;
  return {
    echo: async (tool, message) => {
      const reply = await post(url, headers, call(next++, tool, message));
      return messages(reply.body)[0]?.result?.content?.[0]?.text;
    },
    close: () => undefined,
  };
}

export async function leanSse(endpoint: string, auth: Record<string, string>): Promise<LeanSession & { list: () => Promise<void> }> {
  const pending = new Map<number, (text: string | undefined) => void>();
  let messagesUrl: URL | undefined;
  let buffer = "";
  const stream = await new Promise<IncomingMessage>((resolve, reject) => {
    // Its own socket: the stream holds it for the session's life.
    const req = request(new URL(endpoint), { method: "GET", headers: { accept: "text/event-stream", ...auth } }, resolve);
    req.on("error", reject);
    req.end();
  });
  const endpointKnown = new Promise<void>((resolve) => {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = event.split("\n").find((l) => l.startsWith("data: "))?.slice(6);
        if (data === undefined) continue;
        if (event.startsWith("event: endpoint")) {
          messagesUrl = new URL(data, endpoint);
          resolve();
          continue;
        }
        const msg = JSON.parse(data) as { id?: number; result?: { content?: { text?: string }[] } };
        if (typeof msg.id === "number") {
          pending.get(msg.id)?.(msg.result?.content?.[0]?.text);
          pending.delete(msg.id);
        }
      }
    });
  });
  await endpointKnown;
  const target = messagesUrl;
  if (!target) throw new Error("no endpoint event");
  let next = 1;
  const send = (body: string) => post(target, auth, body);
  try {
    const initReply = new Promise((resolve) => pending.set(0, resolve));
    await send(INIT(0));
    await initReply;
    await send(INITIALIZED);
  } catch (e) {
    // A session that did not open must not stay open.
    stream.destroy();
    throw e;
  }
  return {
    echo: async (tool, message) => {
      const id = next++;
      const answer = new Promise<string | undefined>((resolve) => pending.set(id, resolve));
      await send(call(id, tool, message));
      return answer;
    },
    list: async () => {
      const id = next++;
      const answer = new Promise<unknown>((resolve) => pending.set(id, resolve));
      await send(JSON.stringify({ jsonrpc: "2.0", id, method: "tools/list" }));
      await answer;
    },
    close: () => stream.destroy(),
  };
}

/**
 * Opens a Streamable HTTP session, lists tools on it and leaves it idle (no stream held open);
 * returns its id and a way to end it with DELETE.
 */
export async function openIdleSession(endpoint: string, auth: Record<string, string>): Promise<{ id: string; end: () => Promise<void> }> {
  const url = new URL(endpoint);
  const base = { accept: "application/json, text/event-stream", ...auth };
  const init = await post(url, base, INIT(0));
  const id = init.headers["mcp-session-id"];
  if (init.status !== 200 || typeof id !== "string") throw new Error(`initialize answered ${init.status}: ${init.body}`);
  const headers = { ...base, "mcp-session-id": id, "mcp-protocol-version": "2025-06-18" };
  await post(url, headers, INITIALIZED);
  const list = await post(url, headers, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
  if (list.status !== 200) throw new Error(`tools/list answered ${list.status}`);
  return {
    id,
    end: () =>
      new Promise((resolve, reject) => {
        const req = request(url, { method: "DELETE", agent, headers }, (res) => {
          res.resume();
          res.on("end", () => resolve());
        });
        req.on("error", reject);
        req.end();
      }),
  };
}
