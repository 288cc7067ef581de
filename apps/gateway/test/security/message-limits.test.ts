/**
 * Security findings 3 and 9 (docs/SECURITY.md): rate limits counted HTTP requests, so one legacy
 * SSE POST carried 1,000 tools/call against a limit of 3 and all ran; the `/messages` path had no
 * batch cap; sessions per key were unlimited; SSE GETs were not rate limited; a slow body was not
 * cut off.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingServer, type GatewayFixture, headersFor, initializeMessage, openSession, postJson, startFixture, textStream, waitFor } from "@switchyard/gateway/testing";

let fx: GatewayFixture;

beforeAll(async () => {
  fx = await startFixture({}, { GATEWAY_MAX_BATCH: "1000", MAX_SESSIONS_PER_KEY: "3", GATEWAY_BODY_TIMEOUT_SECONDS: "1" });
  await fx.addServer(everythingServer("everything"));
}, 60_000);

afterAll(async () => fx?.close());

/** Opens a legacy SSE session with `key`; returns the messages URL and the stream. */
async function openSse(key: string): Promise<{ messages: string; next: () => Promise<string>; close: () => Promise<void> }> {
  const res = await fetch(fx.endpointUrl({ transport: "sse" }), { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200) throw new Error(`SSE GET answered ${res.status}`);
  const stream = textStream(res);
  const next = async () => (await stream.next()) ?? "";
  const first = await next();
  const path = /data: (\S+)/.exec(first)?.[1];
  if (!path) throw new Error(`no endpoint event in ${first}`);
  return { messages: `${fx.url}${path}`, next, close: stream.cancel };
}

const echo = (id: number) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "everything__echo", arguments: { message: `m${id}` } } });

async function callsLogged(keyId: string): Promise<number> {
  await fx.flushLogs();
  const rows = await fx.db.sql<{ n: number }[]>`select count(*)::int as n from tool_call_logs where api_key_id = ${keyId}`;
  return rows[0]?.n ?? 0;
}

describe("security: limits per message", () => {
  it("refuses 1,000 calls in one SSE POST against a limit of 3 beyond the limit: only what the budget holds runs", async () => {
    const k = await fx.newKey(fx.project, { rateLimitPerMinute: 3 });
    const sse = await openSse(k.key); // 1 unit: opening a stream counts too
    const init = await postJson(sse.messages, initializeMessage(), headersFor(k.key)); // 2
    expect(init.status).toBe(202);
    await init.text();
    const flood = await postJson(sse.messages, Array.from({ length: 1_000 }, (_, i) => echo(i + 1)), headersFor(k.key));
    expect(flood.status).toBe(429);
    expect(Number(flood.headers.get("retry-after"))).toBeGreaterThan(0);
    await flood.text();
    const one = await postJson(sse.messages, echo(5_000), headersFor(k.key)); // 3: the last unit
    expect(one.status).toBe(202);
    await one.text();
    let seen = "";
    while (!seen.includes("Echo: m5000")) seen += await sse.next();
    const over = await postJson(sse.messages, echo(5_001), headersFor(k.key));
    expect(over.status).toBe(429);
    await over.text();
    await sse.close();
    expect(await waitFor(async () => (await callsLogged(k.id)) === 1 || undefined, 5_000, "one logged call")).toBe(true);
  }, 60_000);

  it("counts every request of a Streamable HTTP batch as well", async () => {
    const k = await fx.newKey(fx.project, { rateLimitPerMinute: 4 });
    const session = await openSession(fx.endpointUrl({}), k.key); // initialize + initialized: 2 units
    const batch = await postJson(fx.endpointUrl({}), [echo(1), echo(2), echo(3)], headersFor(k.key, { "mcp-session-id": session }));
    expect(batch.status).toBe(429);
    await batch.text();
    expect(await callsLogged(k.id)).toBe(0);
  });

  it("caps the messages of one SSE POST like a Streamable HTTP POST", async () => {
    const k = await fx.newKey();
    const sse = await openSse(k.key);
    const tooMany = Array.from({ length: 1_001 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "ping" }));
    for (const url of [sse.messages, fx.endpointUrl({})]) {
      const res = await postJson(url, tooMany, headersFor(k.key));
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/at most 1000 messages/);
    }
    await sse.close();
  });

  it("rate-limits SSE GETs and caps open sessions per key", async () => {
    const limited = await fx.newKey(fx.project, { rateLimitPerMinute: 2 });
    const streams = [await openSse(limited.key), await openSse(limited.key)];
    const third = await fetch(fx.endpointUrl({ transport: "sse" }), { headers: { authorization: `Bearer ${limited.key}` } });
    expect(third.status).toBe(429);
    await third.text();
    await Promise.all(streams.map((s) => s.close()));

    const capped = await fx.newKey();
    const open = [await openSse(capped.key), await openSse(capped.key), await openSse(capped.key)];
    const fourth = await fetch(fx.endpointUrl({ transport: "sse" }), { headers: { authorization: `Bearer ${capped.key}` } });
    expect(fourth.status).toBe(429);
    expect(((await fourth.json()) as { error: { message: string } }).error.message).toMatch(/Too many open sessions/);
    const viaHttp = await postJson(fx.endpointUrl({}), initializeMessage(), headersFor(capped.key));
    expect(viaHttp.status).toBe(429);
    await viaHttp.text();
    await Promise.all(open.map((s) => s.close()));
  });

  it("cuts off a request body that does not arrive within the body timeout", async () => {
    const k = await fx.newKey();
    const { hostname, port } = new URL(fx.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        const path = new URL(fx.endpointUrl({})).pathname;
        socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${k.key}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{"jsonrpc":`);
      });
      let received = "";
      socket.on("data", (d) => (received += d.toString()));
      socket.on("close", () => resolve(received));
      socket.on("error", reject);
      setTimeout(() => socket.destroy(new Error(`still open after 20 s: ${received}`)), 20_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 30_000);
});
