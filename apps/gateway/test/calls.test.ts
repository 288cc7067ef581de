/**
 * tools/call through the gateway on both transports: results unchanged, progress to the caller
 * that asked, cancellation and timeouts reaching the upstream, an upstream killed mid-call, the
 * child's clean environment, and exactly one log row per call.
 */
import { randomUUID } from "node:crypto";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVERYTHING_BIN, everythingServer, type GatewayFixture, headersFor, messagesOf, openSession, pidsWithArg, postJson, startFixture, waitFor, writeProbeServer } from "@switchyard/gateway/testing";

let fx: GatewayFixture;
let key: string;
const marker = `--sy-victim-${randomUUID()}`;
const savedEnv = { ...process.env };

beforeAll(async () => {
  fx = await startFixture();
  // The gateway's own process holds its secrets in its environment, as in production.
  process.env.SWITCHYARD_SECRET_KEY = fx.config.secretKey;
  process.env.AUTH_SECRET = fx.config.authSecret;
  process.env.DATABASE_URL = fx.config.databaseUrl;
  key = (await fx.newKey()).key;
  await fx.addServer(everythingServer("everything", { env: { UPSTREAM_TOKEN: "tok-live-0123456789" } }));
  await fx.addServer(everythingServer("victim", { args: [EVERYTHING_BIN, "stdio", marker] }));
  await fx.addServer({ name: "probe", transport: "stdio", command: process.execPath, args: [await writeProbeServer(fx.dataDir)], timeoutMs: 1_000 });
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  await fx?.close();
});

interface LogRow {
  status: string;
  error_code: number | null;
  error_message: string | null;
  output: unknown;
  session_id: string | null;
  client_type: string;
}

async function rowsFor(exposedName: string): Promise<LogRow[]> {
  await fx.flushLogs();
  return fx.db.sql<LogRow[]>`select status, error_code, error_message, output, session_id, client_type from tool_call_logs where project_id = ${fx.project.id} and exposed_name = ${exposedName} order by started_at`;
}

describe.each(["http", "sse"] as const)("over %s", (transport) => {
  let client: Client;
  beforeAll(async () => {
    client = await fx.connect({ key, transport });
  });

  it("passes results through unchanged, answers ping, and logs each call", async () => {
    await client.ping();
    const echo = await client.callTool({ name: "everything__echo", arguments: { message: `via ${transport}` } });
    expect(echo).toEqual({ content: [{ type: "text", text: `Echo: via ${transport}` }] });
    const structured = await client.callTool({ name: "everything__get-structured-content", arguments: { location: "Chicago" } });
    expect(typeof (structured.structuredContent as { temperature?: unknown } | undefined)?.temperature).toBe("number");
    const rows = await rowsFor("everything__echo");
    expect(rows.filter((r) => JSON.stringify(r.output).includes(`via ${transport}`))).toHaveLength(1);
  });

  it("passes isError results through and logs them as errors", async () => {
    const bad = await client.callTool({ name: "everything__get-sum", arguments: { a: "one" } });
    expect(bad.isError).toBe(true);
    const rows = await rowsFor("everything__get-sum");
    expect(rows.at(-1)?.status).toBe("error");
  });

  it("sends each caller its own progress, under its own token", async () => {
    const other = await fx.connect({ key, transport });
    const seen: Record<string, Progress[]> = { a: [], b: [] };
    const [a, b] = await Promise.all([
      client.callTool({ name: "everything__trigger-long-running-operation", arguments: { duration: 0.6, steps: 3 } }, undefined, { onprogress: (p) => void seen.a?.push(p) }),
      other.callTool({ name: "everything__trigger-long-running-operation", arguments: { duration: 0.4, steps: 2 } }, undefined, { onprogress: (p) => void seen.b?.push(p) }),
    ]);
    expect(JSON.stringify(a.content)).toMatch(/Steps: 3/);
    expect(JSON.stringify(b.content)).toMatch(/Steps: 2/);
    expect(seen.a?.map((p) => p.progress)).toEqual([1, 2, 3]);
    expect(seen.b?.map((p) => p.progress)).toEqual([1, 2]);
  });

  it("refuses an unknown tool with a JSON-RPC error and a rejected row", async () => {
    await expect(client.callTool({ name: `ghost__${transport}`, arguments: {} })).rejects.toThrow(/-32602.*Unknown tool/);
    const rows = await rowsFor(`ghost__${transport}`);
    expect(rows.map((r) => r.status)).toEqual(["rejected"]);
  });
});

describe("the Streamable HTTP answer", () => {
  it("is one JSON response for a lone call and an event stream for a call that wants progress", async () => {
    const url = fx.endpointUrl({});
    const sessionId = await openSession(url, key);
    const headers = headersFor(key, { "mcp-session-id": sessionId });
    const plain = await postJson(url, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "everything__echo", arguments: { message: "json" } } }, headers);
    expect(plain.headers.get("content-type")).toBe("application/json");
    expect(plain.headers.get("mcp-session-id")).toBe(sessionId);
    expect(plain.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await plain.json()).toEqual({ jsonrpc: "2.0", id: 7, result: { content: [{ type: "text", text: "Echo: json" }] } });
    // The client's own request id is kept, on the hot POST (served outside the app) as on the others.
    const named = await postJson(url, { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "everything__echo", arguments: { message: "named" } } }, { ...headers, "x-request-id": "trace-1" });
    expect(named.headers.get("x-request-id")).toBe("trace-1");
    await named.text();
    const withProgress = await postJson(url, { jsonrpc: "2.0", id: 8, method: "tools/call", params: { name: "everything__trigger-long-running-operation", arguments: { duration: 0.2, steps: 2 }, _meta: { progressToken: "tok" } } }, headers);
    expect(withProgress.headers.get("content-type")).toBe("text/event-stream");
    const stream = await messagesOf(withProgress);
    expect(stream.map((m) => m.method ?? "result")).toEqual(["notifications/progress", "notifications/progress", "result"]);
    expect(stream[0]).toMatchObject({ params: { progressToken: "tok", progress: 1 } });
  });
});

describe("cancellation and timeouts", () => {
  it("sends the client's cancellation upstream and logs the call as cancelled", async () => {
    const client = await fx.connect({ key });
    const controller = new AbortController();
    const call = client.callTool({ name: "probe__hang", arguments: {} }, undefined, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort("user pressed stop");
    await expect(call).rejects.toThrow();
    await waitFor(async () => (await fx.db.sql`select 1 from server_events where project_id = ${fx.project.id} and message like '%probe: cancelled hang%'`).length > 0, 5_000, "upstream saw the cancellation");
    await waitFor(async () => (await rowsFor("probe__hang")).some((r) => r.status === "cancelled"), 3_000, "cancelled row");
  });

  it("times out at the server's timeout, tells the upstream, and logs timeout", async () => {
    const client = await fx.connect({ key, transport: "sse" });
    const before = (await fx.db.sql`select count(*)::int as n from server_events where project_id = ${fx.project.id} and message like '%probe: cancelled hang%'`)[0]?.n as number;
    const t0 = Date.now();
    await expect(client.callTool({ name: "probe__hang", arguments: {} })).rejects.toThrow(/-32001/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(Date.now() - t0).toBeLessThan(3_000);
    await waitFor(async () => ((await fx.db.sql`select count(*)::int as n from server_events where project_id = ${fx.project.id} and message like '%probe: cancelled hang%'`)[0]?.n as number) > before, 5_000, "cancellation sent upstream");
    expect((await rowsFor("probe__hang")).map((r) => r.status)).toContain("timeout");
  });
});

describe("an upstream that dies", () => {
  it("answers an error within a second of the kill, logs it, and the next call works", async () => {
    const client = await fx.connect({ key });
    await client.callTool({ name: "victim__echo", arguments: { message: "warm" } });
    const [pid] = await waitFor(() => (pidsWithArg(marker).length === 1 ? pidsWithArg(marker) : undefined), 5_000, "victim running");
    if (pid === undefined) throw new Error("no pid");
    const call = client.callTool({ name: "victim__trigger-long-running-operation", arguments: { duration: 10, steps: 10 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    await expect(call).rejects.toThrow();
    expect(Date.now() - killedAt).toBeLessThan(1_000);
    const again = await client.callTool({ name: "victim__echo", arguments: { message: "alive" } });
    expect(again.content).toEqual([{ type: "text", text: "Echo: alive" }]);
    expect((await rowsFor("victim__trigger-long-running-operation")).map((r) => r.status)).toEqual(["error"]);
  });
});

describe("the child's environment", () => {
  it("holds the server's own env but none of the gateway's secrets, and the log hides the server's secret", async () => {
    const client = await fx.connect({ key });
    const res = await client.callTool({ name: "everything__get-env", arguments: {} });
    const text = (res.content as { type: string; text: string }[])[0]?.text ?? "";
    const env = JSON.parse(text) as Record<string, string>;
    expect(env.UPSTREAM_TOKEN).toBe("tok-live-0123456789");
    for (const name of ["DATABASE_URL", "SWITCHYARD_SECRET_KEY", "AUTH_SECRET"]) expect(env).not.toHaveProperty(name);
    expect(text).not.toContain(fx.config.secretKey);
    expect(text).not.toContain(fx.config.databaseUrl);
    const [row] = await rowsFor("everything__get-env");
    expect(JSON.stringify(row?.output)).not.toContain("tok-live-0123456789");
    expect(JSON.stringify(row?.output)).toContain("[SECRET]");
  });
});
