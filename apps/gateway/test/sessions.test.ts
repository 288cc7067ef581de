/**
 * Session hygiene: one client_sessions row per connection with the client's identity, counters
 * and end reason; DELETE and disconnects end sessions; idle sessions expire while ones holding a
 * stream stay; SSE streams carry keep-alive comments; nothing stays behind after clients leave.
 */
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingServer, type GatewayFixture, headersFor, openSession, postJson, startFixture, textStream, waitFor } from "@switchyard/gateway/testing";

let fx: GatewayFixture;
let key: string;
let keyId: string;
const TTL = 800;

beforeAll(async () => {
  fx = await startFixture({ sessionIdleTtlMs: TTL, sseKeepAliveMs: 150 });
  ({ key, id: keyId } = await fx.newKey());
  await fx.addServer(everythingServer("everything"));
}, 60_000);

afterAll(async () => fx?.close());

async function sessionRow(id: string) {
  await fx.flushLogs();
  const [row] = await fx.db.sql`select * from client_sessions where id = ${id}`;
  return row;
}

describe("client_sessions", () => {
  it("records the client from initialize, counts its calls and ends with the reason on DELETE", async () => {
    const transport = new StreamableHTTPClientTransport(new URL(fx.endpointUrl({})), { requestInit: { headers: { authorization: `Bearer ${key}`, "user-agent": "node" } } });
    const client = new Client({ name: "cursor-vscode", version: "0.50.1" });
    await client.connect(transport);
    const id = transport.sessionId ?? "";
    await client.callTool({ name: "everything__echo", arguments: { message: "1" } });
    await client.callTool({ name: "everything__get-sum", arguments: { a: "bad" } });
    await client.callTool({ name: "nope__tool", arguments: {} }).catch(() => undefined);
    expect(await sessionRow(id)).toMatchObject({
      project_id: fx.project.id,
      server_id: null,
      api_key_id: keyId,
      transport: "streamable_http",
      client_name: "cursor-vscode",
      client_version: "0.50.1",
      client_type: "cursor",
      user_agent: "node",
      calls_total: 3,
      calls_failed: 2,
      ended_at: null,
    });
    await transport.terminateSession();
    await waitFor(async () => (await sessionRow(id))?.end_reason === "client_delete", 3_000, "session ended");
    const again = await postJson(fx.endpointUrl({}), { jsonrpc: "2.0", id: 9, method: "ping" }, headersFor(key, { "mcp-session-id": id }));
    expect(again.status).toBe(404);
  });

  it("records legacy SSE sessions, learns the client at initialize and ends them when the stream drops", async () => {
    const client = await fx.connect({ key, transport: "sse", server: "everything", name: "Visual Studio Code" });
    await client.callTool({ name: "echo", arguments: { message: "sse" } });
    await fx.flushLogs();
    const [row] = await fx.db.sql`select * from client_sessions where transport = 'sse' and client_name = 'Visual Studio Code'`;
    expect(row).toMatchObject({ client_type: "vscode", calls_total: 1, ended_at: null });
    expect(row?.server_id).not.toBeNull();
    await client.close();
    await waitFor(async () => (await sessionRow(String(row?.id)))?.end_reason === "client_disconnected", 3_000, "SSE session ended");
  });
});

describe("idle sessions", () => {
  it("expire after the TTL and then answer 404", async () => {
    const id = await openSession(fx.endpointUrl({}), key);
    expect(fx.gateway.sessions.get(id)).toBeDefined();
    await waitFor(() => !fx.gateway.sessions.get(id), TTL * 4, "idle session expired");
    // The session ends once no instance used it for the TTL (activity reaches the store a quarter TTL late).
    await waitFor(async () => (await sessionRow(id))?.end_reason === "idle_timeout", TTL * 4, "idle session recorded as ended");
    const res = await postJson(fx.endpointUrl({}), { jsonrpc: "2.0", id: 2, method: "tools/list" }, headersFor(key, { "mcp-session-id": id }));
    expect(res.status).toBe(404);
  });

  it("stay open while the client holds its stream, and are cleaned up after clients leave without DELETE", async () => {
    const baseline = fx.gateway.sessions.size;
    const clients = await Promise.all(Array.from({ length: 10 }, () => fx.connect({ key })));
    await Promise.all(clients.map((c) => c.listTools()));
    expect(fx.gateway.sessions.size).toBe(baseline + 10);
    // SDK clients hold a GET stream: past the TTL they must still be there.
    await new Promise((resolve) => setTimeout(resolve, TTL * 2));
    expect(fx.gateway.sessions.size).toBe(baseline + 10);
    await Promise.all(clients.map((c) => c.listTools()));
    // close() drops the stream but sends no DELETE (SDK behaviour): the TTL cleans up.
    await Promise.all(clients.map((c) => c.close()));
    await waitFor(() => fx.gateway.sessions.size === baseline, TTL * 5, "sessions cleaned up");
  });
});

describe("keep-alive", () => {
  it("writes comment frames on open SSE and Streamable GET streams", async () => {
    const sse = await fetch(fx.endpointUrl({ transport: "sse" }), { headers: { authorization: `Bearer ${key}` } });
    const id = await openSession(fx.endpointUrl({}), key);
    const get = await fetch(fx.endpointUrl({}), { headers: { ...headersFor(key), "mcp-session-id": id } });
    expect(get.status).toBe(200);
    for (const res of [sse, get]) {
      const reader = textStream(res);
      let text = "";
      const until = Date.now() + 1_000;
      while (Date.now() < until && (text.match(/: keepalive/g) ?? []).length < 2) text += (await reader.next()) ?? "";
      expect((text.match(/: keepalive\n\n/g) ?? []).length).toBeGreaterThanOrEqual(2);
      await reader.cancel();
    }
  });
});
