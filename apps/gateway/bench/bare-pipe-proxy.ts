/**
 * The floor bench:gateway measures the gateway against: node:http and a raw pipe to one stdio
 * upstream, with no auth, no rate limit, no logging, no schema validation. It speaks just enough
 * MCP over HTTP for the bench's clients (the SDK `Client` and bench/lean-mcp-client.ts):
 * Streamable HTTP (`POST /mcp` answered with JSON; GET answered 405, so no stream is held open;
 * DELETE 200) and the legacy SSE pair (`GET /sse`, `POST /messages?sessionId=…`). Every request,
 * `initialize` and notifications included, goes to the one upstream with its id renumbered, as a
 * gateway sharing one upstream among sessions must; upstream notifications are dropped and its
 * requests refused, since one upstream cannot say which session they are for.
 *
 * Run: node --import tsx bench/bare-pipe-proxy.ts PORT COMMAND [ARGS…]; GET /ready answers 200.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

const [portText, command, ...commandArgs] = process.argv.slice(2);
if (!portText || !command) throw new Error("usage: bare-pipe-proxy.ts PORT COMMAND [ARGS…]");

const upstream = spawn(command, commandArgs, { stdio: ["pipe", "pipe", "ignore"] });
upstream.on("exit", (code) => {
  process.stderr.write(`upstream exited with ${code}\n`);
  process.exit(1);
});

interface JsonRpc {
  jsonrpc: "2.0";
  id?: string | number | null;
  method?: string;
}

/** Requests in flight upstream: the upstream's id → the caller's id and where its answer goes. */
const pending = new Map<number, { id: JsonRpc["id"]; reply: (json: string) => void }>();
let nextId = 1;

function toUpstream(message: JsonRpc, reply: (json: string) => void): void {
  if (message.id !== undefined && message.id !== null) {
    const id = nextId++;
    pending.set(id, { id: message.id, reply });
    message.id = id;
  }
  upstream.stdin.write(`${JSON.stringify(message)}\n`);
}

let buffered = "";
upstream.stdout.setEncoding("utf8");
upstream.stdout.on("data", (chunk: string) => {
  buffered += chunk;
  let cut: number;
  while ((cut = buffered.indexOf("\n")) >= 0) {
    const line = buffered.slice(0, cut);
    buffered = buffered.slice(cut + 1);
    if (line.trim() === "") continue;
    const message = JSON.parse(line) as JsonRpc;
    if (message.method !== undefined) {
      if (message.id !== undefined) upstream.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "not supported by the bare proxy" } })}\n`);
      continue;
    }
    const waiting = typeof message.id === "number" ? pending.get(message.id) : undefined;
    if (!waiting) continue;
    pending.delete(message.id as number);
    message.id = waiting.id;
    waiting.reply(JSON.stringify(message));
  }
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

/** Legacy SSE sessions: session id → its event stream. */
const streams = new Map<string, ServerResponse>();

async function streamablePost(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const message = JSON.parse(await readBody(req)) as JsonRpc;
  if (message.id === undefined) {
    toUpstream(message, () => undefined);
    res.writeHead(202).end();
    return;
  }
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (message.method === "initialize") headers["mcp-session-id"] = randomUUID();
  toUpstream(message, (json) => res.writeHead(200, headers).end(json));
}

function sseOpen(res: ServerResponse): void {
  const sessionId = randomUUID();
  streams.set(sessionId, res);
  res.on("close", () => streams.delete(sessionId));
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write(`event: endpoint\ndata: /messages?sessionId=${sessionId}\n\n`);
}

async function ssePost(req: IncomingMessage, res: ServerResponse, sessionId: string | null): Promise<void> {
  const stream = sessionId ? streams.get(sessionId) : undefined;
  if (!stream) {
    res.writeHead(404).end();
    return;
  }
  const message = JSON.parse(await readBody(req)) as JsonRpc;
  res.writeHead(202).end("Accepted");
  toUpstream(message, (json) => {
    if (!stream.destroyed) stream.write(`event: message\ndata: ${json}\n\n`);
  });
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const route = `${req.method} ${url.pathname}`;
  const handled =
    route === "POST /mcp"
      ? streamablePost(req, res)
      : route === "GET /sse"
        ? Promise.resolve(sseOpen(res))
        : route === "POST /messages"
          ? ssePost(req, res, url.searchParams.get("sessionId"))
          : Promise.resolve(void res.writeHead(route === "GET /ready" || route === "DELETE /mcp" ? 200 : route === "GET /mcp" ? 405 : 404).end());
  handled.catch(() => {
    if (!res.headersSent) res.writeHead(400).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(portText), "127.0.0.1");
process.on("SIGTERM", () => {
  upstream.removeAllListeners("exit");
  upstream.kill();
  process.exit(0);
});
