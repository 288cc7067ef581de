/**
 * A session that ends (key revoked, ended from the console, gateway drained) answers the requests
 * it still has in flight with a JSON-RPC error naming why, before its stream closes, cancels their
 * upstream calls and logs them as cancelled with that error — on both transports, through the fast
 * path and through the SDK (a Streamable HTTP call asking for progress).
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { changePublishingHooks } from "@switchyard/core/changes";
import { CLI_ACTOR } from "@switchyard/core/context";
import { endClientSession, revokeApiKey } from "@switchyard/core/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayFixture, startFixture, waitFor, writeProbeServer } from "@switchyard/gateway/testing";

let fx: GatewayFixture;

beforeAll(async () => {
  // The drain gives calls in flight a short grace, so the hanging ones outlast it.
  fx = await startFixture({ shutdownGraceMs: 300 });
  await fx.addServer({ name: "probe", transport: "stdio", command: process.execPath, args: [await writeProbeServer(fx.dataDir)], timeoutMs: 60_000 });
  // Started once, so every test's calls reach a running upstream at once.
  const client = await fx.connect({ key: (await fx.newKey()).key });
  await client.callTool({ name: "probe__slow", arguments: { ms: 1 } });
  await client.close();
}, 60_000);
afterAll(async () => fx?.close());

interface Hanging {
  label: string;
  call: Promise<unknown>;
}

/** A probe__hang call in flight on each path: SSE (fast path), Streamable HTTP (fast path), Streamable HTTP with progress (SDK). */
async function hangEverywhere(key: string): Promise<{ clients: Client[]; calls: Hanging[] }> {
  const [http, sse] = await Promise.all([fx.connect({ key }), fx.connect({ key, transport: "sse" })]);
  const hang = (client: Client, progress: boolean) =>
    client.callTool({ name: "probe__hang", arguments: {} }, undefined, { timeout: 30_000, ...(progress ? { onprogress: () => undefined } : {}) });
  const calls = [
    { label: "sse", call: hang(sse, false) },
    { label: "http", call: hang(http, false) },
    { label: "http+progress", call: hang(http, true) },
  ];
  for (const c of calls) c.call.catch(() => undefined);
  // The probe is running (beforeAll): the calls reach it well within this.
  await new Promise((resolve) => setTimeout(resolve, 700));
  return { clients: [http, sse], calls };
}

/** Each call's error message, and how long the slowest took to be answered after `t0`. */
async function outcomes(calls: Hanging[], t0: number): Promise<{ messages: Record<string, string>; ms: number }> {
  const messages: Record<string, string> = {};
  await Promise.all(calls.map(async (c) => (messages[c.label] = await c.call.then(() => "answered with a result", (e: unknown) => (e instanceof Error ? e.message : String(e))))));
  return { messages, ms: Date.now() - t0 };
}

async function cancelledRows(since: Date): Promise<{ status: string; error_code: number | null; error_message: string | null }[]> {
  await fx.flushLogs();
  return fx.db.sql`select status, error_code, error_message from tool_call_logs where project_id = ${fx.project.id} and exposed_name = 'probe__hang' and started_at >= ${since.toISOString()}::timestamptz order by started_at`;
}

const upstreamCancellations = async () =>
  (await fx.db.sql<{ n: number }[]>`select count(*)::int as n from server_events where project_id = ${fx.project.id} and message like '%probe: cancelled hang%'`)[0]?.n ?? 0;

describe("a session ending with calls in flight", () => {
  it("answers them when its key is revoked, and cancels them upstream", async () => {
    const k = await fx.newKey();
    const since = new Date();
    const before = await upstreamCancellations();
    const { calls } = await hangEverywhere(k.key);
    const t0 = Date.now();
    await revokeApiKey({ ...fx.deps, hooks: changePublishingHooks(fx.db.sql) }, CLI_ACTOR, fx.project, k.id);
    const { messages, ms } = await outcomes(calls, t0);
    expect(messages).toEqual({
      sse: "MCP error -32000: Session ended: the API key was revoked",
      http: "MCP error -32000: Session ended: the API key was revoked",
      "http+progress": "MCP error -32000: Session ended: the API key was revoked",
    });
    expect(ms).toBeLessThan(3_000);
    await waitFor(async () => (await upstreamCancellations()) >= before + 3, 5_000, "three cancellations upstream");
    const rows = await waitFor(async () => ((await cancelledRows(since)).length === 3 ? cancelledRows(since) : undefined), 5_000, "three rows");
    expect(rows).toEqual(Array(3).fill({ status: "cancelled", error_code: -32000, error_message: "Session ended: the API key was revoked" }));
  });

  it("answers them when the session is ended from the console", async () => {
    const { key, id: keyId } = await fx.newKey();
    const since = new Date();
    const { calls } = await hangEverywhere(key);
    await fx.flushLogs();
    const sessions = await fx.db.sql<{ id: string }[]>`select id from client_sessions where api_key_id = ${keyId}`;
    expect(sessions).toHaveLength(2);
    const t0 = Date.now();
    for (const { id } of sessions) await endClientSession({ ...fx.deps, hooks: changePublishingHooks(fx.db.sql) }, CLI_ACTOR, fx.project, id);
    const { messages, ms } = await outcomes(calls, t0);
    expect(messages).toEqual({
      sse: "MCP error -32000: Session ended: ended by an administrator",
      http: "MCP error -32000: Session ended: ended by an administrator",
      "http+progress": "MCP error -32000: Session ended: ended by an administrator",
    });
    expect(ms).toBeLessThan(3_000);
    const rows = await waitFor(async () => ((await cancelledRows(since)).length === 3 ? cancelledRows(since) : undefined), 5_000, "three rows");
    expect(rows.map((r) => [r.status, r.error_message])).toEqual(Array(3).fill(["cancelled", "Session ended: ended by an administrator"]));
  });

  // Last: the gateway is gone afterwards.
  it("answers them when the gateway drains past its grace: SSE sessions end, Streamable HTTP ones are told to retry", async () => {
    const { key } = await fx.newKey();
    const since = new Date();
    const { calls } = await hangEverywhere(key);
    const t0 = Date.now();
    await fx.gateway.close();
    const { messages, ms } = await outcomes(calls, t0);
    const retry = "MCP error -32000: Request interrupted: the gateway instance is shutting down; the session goes on, retry the request";
    expect(messages).toEqual({ sse: "MCP error -32000: Session ended: the gateway instance is shutting down", http: retry, "http+progress": retry });
    expect(ms).toBeLessThan(5_000);
    const rows = await fx.db.sql<{ status: string; error_code: number }[]>`select status, error_code from tool_call_logs where project_id = ${fx.project.id} and exposed_name = 'probe__hang' and started_at >= ${since.toISOString()}::timestamptz`;
    expect(rows).toEqual(Array(3).fill({ status: "cancelled", error_code: -32000 }));
  });
});
