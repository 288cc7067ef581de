/**
 * Bad input on both transports gets the right status and a JSON-RPC error, never a crash:
 * malformed JSON, wrong JSON-RPC, oversized bodies (413 before any SDK transport reads them),
 * wrong content types, unknown sessions, batches, DNS-rebinding Host/Origin, OAuth probes.
 * In-process through `app.request` where HTTP allows, over the real port for SSE streams.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingServer, type GatewayFixture, headersFor, initializeMessage, messagesOf, openSession, startFixture, textStream } from "@switchyard/gateway/testing";

let fx: GatewayFixture;
let key: string;
let host: string;
let mcpPath: string;
const LIMIT = 64 * 1024;

beforeAll(async () => {
  fx = await startFixture({ maxBodyBytes: LIMIT });
  key = (await fx.newKey()).key;
  await fx.addServer(everythingServer("everything"));
  host = new URL(fx.url).host;
  mcpPath = `/projects/${fx.project.id}/mcp`;
}, 60_000);

afterAll(async () => fx?.close());

/** In-process request with the Host header a client of this gateway sends. */
function request(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
  return Promise.resolve(fx.gateway.app.request(`http://${host}${path}`, { ...init, headers: { host, ...init.headers } }));
}

async function expectJsonRpcError(res: Response, status: number, code: number, message?: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { jsonrpc: string; id: unknown; error: { code: number; message: string } };
  expect(body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code } });
  if (message) expect(body.error.message).toMatch(message);
}

/** Opens a legacy SSE session over the real port; returns its messages path and a closer. */
async function openSse(): Promise<{ messages: string; close: () => Promise<void>; next: () => Promise<string> }> {
  const res = await fetch(fx.endpointUrl({ transport: "sse" }), { headers: { authorization: `Bearer ${key}` } });
  const stream = textStream(res);
  const next = async () => (await stream.next()) ?? "";
  const first = await next();
  const messages = /data: (\S+)/.exec(first)?.[1];
  if (!messages) throw new Error(`no endpoint event in ${first}`);
  return { messages, next, close: stream.cancel };
}

describe("Streamable HTTP", () => {
  it("answers malformed JSON with 400 and a parse error", async () => {
    await expectJsonRpcError(await request(mcpPath, { method: "POST", headers: headersFor(key), body: "{not json" }), 400, -32700);
  });

  it("answers JSON that is not JSON-RPC 2.0 with 400 invalid request", async () => {
    for (const body of [{ hello: "world" }, { jsonrpc: "1.0", id: 1, method: "ping" }, [], "text", 42]) {
      await expectJsonRpcError(await request(mcpPath, { method: "POST", headers: headersFor(key), body: JSON.stringify(body) }), 400, -32600);
    }
  });

  it("answers a body over the limit with 413 whether its length is declared or streamed", async () => {
    const big = JSON.stringify({ ...initializeMessage(), padding: "x".repeat(LIMIT) });
    await expectJsonRpcError(await request(mcpPath, { method: "POST", headers: headersFor(key), body: big }), 413, -32000, /Payload Too Large/);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode("x".repeat(LIMIT / 4)));
        controller.close();
      },
    });
    const init: RequestInit & { duplex: "half"; headers: Record<string, string> } = { method: "POST", headers: headersFor(key), body: stream, duplex: "half" };
    const res = await request(mcpPath, init);
    await expectJsonRpcError(res, 413, -32000);
  });

  it("answers a wrong content type with 415 and a missing Accept with 406", async () => {
    await expectJsonRpcError(await request(mcpPath, { method: "POST", headers: headersFor(key, { "content-type": "text/plain" }), body: JSON.stringify(initializeMessage()) }), 415, -32000);
    await expectJsonRpcError(await request(mcpPath, { method: "POST", headers: headersFor(key, { accept: "application/json" }), body: JSON.stringify(initializeMessage()) }), 406, -32000);
  });

  it("answers 400 without a session id and 404 for an unknown one, but always serves a valid initialize", async () => {
    const list = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    await expectJsonRpcError(await request(mcpPath, { method: "POST", headers: headersFor(key), body: list }), 400, -32000, /Mcp-Session-Id/);
    await expectJsonRpcError(await request(mcpPath, { method: "POST", headers: headersFor(key, { "mcp-session-id": randomUUID() }), body: list }), 404, -32001);
    await expectJsonRpcError(await request(mcpPath, { method: "GET", headers: headersFor(key, { "mcp-session-id": randomUUID() }) }), 404, -32001);
    await expectJsonRpcError(await request(mcpPath, { method: "DELETE", headers: headersFor(key, { "mcp-session-id": randomUUID() }) }), 404, -32001);
    const init = await request(mcpPath, { method: "POST", headers: headersFor(key, { "mcp-session-id": randomUUID() }), body: JSON.stringify(initializeMessage()) });
    expect(init.status).toBe(200);
    expect(init.headers.get("mcp-session-id")).toMatch(/^[0-9a-f-]{36}$/);
    await init.text();
  });

  it("answers a batch with one response per request and 202 for notifications only", async () => {
    const sessionId = await openSession(`${fx.url}${mcpPath}`, key);
    const batch = [
      { jsonrpc: "2.0", id: "a", method: "ping" },
      { jsonrpc: "2.0", id: "b", method: "tools/list" },
    ];
    const res = await request(mcpPath, { method: "POST", headers: headersFor(key, { "mcp-session-id": sessionId }), body: JSON.stringify(batch) });
    expect(res.status).toBe(200);
    const replies = await messagesOf(res);
    expect(replies.map((m) => m.id).sort()).toEqual(["a", "b"]);
    const notes = await request(mcpPath, { method: "POST", headers: headersFor(key, { "mcp-session-id": sessionId }), body: JSON.stringify([{ jsonrpc: "2.0", method: "notifications/roots/list_changed" }]) });
    expect(notes.status).toBe(202);
  });

  it("answers a method nobody serves with Method not found and a served one with bad params with an error, as the SDK does", async () => {
    const sessionId = await openSession(`${fx.url}${mcpPath}`, key);
    const batch = [
      { jsonrpc: "2.0", id: "u", method: "no/such/method" },
      { jsonrpc: "2.0", id: "r", method: "resources/read", params: {} },
      { jsonrpc: "2.0", id: "p", method: "prompts/list" },
    ];
    const res = await request(mcpPath, { method: "POST", headers: headersFor(key, { "mcp-session-id": sessionId }), body: JSON.stringify(batch) });
    const replies = new Map((await messagesOf(res)).map((m) => [m.id, m]));
    expect(replies.get("u")).toMatchObject({ error: { code: -32601, message: "Method not found" } });
    expect(replies.get("r")).toMatchObject({ error: { code: -32603 } });
    expect(replies.get("p")).toMatchObject({ result: { prompts: expect.any(Array) as unknown } });
  });

  it("answers other methods with 405", async () => {
    await expectJsonRpcError(await request(mcpPath, { method: "PUT", headers: headersFor(key), body: "{}" }), 405, -32000);
  });
});

describe("legacy SSE messages", () => {
  it("answers bad bodies, oversized bodies and unknown sessions in JSON-RPC form, and serves batches", async () => {
    const sse = await openSse();
    try {
      const post = (path: string, body: string, extra: Record<string, string> = {}) => fetch(`${fx.url}${path}`, { method: "POST", headers: headersFor(key, extra), body });
      await expectJsonRpcError(await post(sse.messages, "{oops"), 400, -32700);
      await expectJsonRpcError(await post(sse.messages, JSON.stringify({ id: 1 })), 400, -32600);
      await expectJsonRpcError(await post(sse.messages, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "x".repeat(LIMIT) })), 413, -32000, /Payload Too Large/);
      const chunked = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode("x".repeat(LIMIT / 4)));
          controller.close();
        },
      });
      const streamed: RequestInit & { duplex: "half" } = { method: "POST", headers: headersFor(key), body: chunked, duplex: "half" };
      await expectJsonRpcError(await fetch(`${fx.url}${sse.messages}`, streamed), 413, -32000, /Payload Too Large/);
      await expectJsonRpcError(await post(sse.messages, JSON.stringify(initializeMessage()), { "content-type": "text/plain" }), 415, -32000);
      await expectJsonRpcError(await post(`/projects/${fx.project.id}/messages?sessionId=${randomUUID()}`, JSON.stringify(initializeMessage())), 404, -32001);
      await expectJsonRpcError(await post(`/projects/${fx.project.id}/messages`, JSON.stringify(initializeMessage())), 404, -32001);
      const accepted = await post(sse.messages, JSON.stringify([initializeMessage("i"), { jsonrpc: "2.0", id: "p", method: "ping" }]));
      expect(accepted.status).toBe(202);
      let seen = "";
      while (!(seen.includes('"id":"i"') && seen.includes('"id":"p"'))) seen += await sse.next();
    } finally {
      await sse.close();
    }
  });
});

describe("the edges", () => {
  it("refuses a foreign Host or Origin on a loopback bind (DNS rebinding)", async () => {
    await expectJsonRpcError(await request(mcpPath, { method: "POST", headers: headersFor(key, { host: "evil.example:80" }), body: JSON.stringify(initializeMessage()) }), 403, -32000, /Host/);
    await expectJsonRpcError(await request(mcpPath, { method: "POST", headers: headersFor(key, { origin: "http://evil.example" }), body: JSON.stringify(initializeMessage()) }), 403, -32000, /Origin/);
    const ok = await request(mcpPath, { method: "POST", headers: headersFor(key, { origin: `http://${host}` }), body: JSON.stringify(initializeMessage()) });
    expect(ok.status).toBe(200);
    await ok.text();
  });

  it("answers the OAuth discovery probes with JSON 404s", async () => {
    for (const path of ["/.well-known/oauth-protected-resource", `/.well-known/oauth-authorization-server/projects/${fx.project.id}/mcp`, "/register", "/token", "/authorize"]) {
      const res = await request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
    }
  });

  it("is still healthy after all of it", async () => {
    const res = await request("/healthz");
    expect(await res.json()).toMatchObject({ status: "ok" });
  });
});
