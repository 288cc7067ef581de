/**
 * Graceful shutdown: calls in flight finish, legacy SSE sessions end with reason `shutdown` while
 * Streamable HTTP sessions stay open for another instance or the restart, every row and session is
 * flushed, no upstream process outlives the gateway — in-process through close(), and as an
 * operator sees it: SIGTERM to `switchyard gateway`.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { freePort } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, CLI_BIN, EVERYTHING_BIN, everythingServer, type GatewayFixture, isAlive, pidsWithArg, startFixture, waitFor, writeProbeServer } from "@switchyard/gateway/testing";

describe("close()", () => {
  let fx: GatewayFixture;
  const marker = `--sy-shutdown-${randomUUID()}`;

  beforeAll(async () => {
    fx = await startFixture({ shutdownGraceMs: 5_000 });
  }, 60_000);
  afterAll(async () => fx?.close());

  it("lets calls in flight finish, ends SSE sessions, keeps Streamable HTTP ones, flushes logs and leaves no process behind", async () => {
    const { key, hash } = await fx.newKey();
    await fx.addServer(everythingServer("shared", { args: [EVERYTHING_BIN, "stdio", marker] }));
    await fx.addServer(everythingServer("isolated", { args: [EVERYTHING_BIN, "stdio", marker], isolation: "per_session" }));
    await fx.addServer({ name: "probe", transport: "stdio", command: process.execPath, args: [await writeProbeServer(fx.dataDir), marker] });
    const clients = await Promise.all([fx.connect({ key }), fx.connect({ key, transport: "sse" })]);
    for (const c of clients) {
      await c.callTool({ name: "shared__echo", arguments: { message: "x" } });
      await c.callTool({ name: "isolated__echo", arguments: { message: "x" } });
    }
    const slow = clients[0]?.callTool({ name: "probe__slow", arguments: { ms: 1_500 } });
    await waitFor(() => pidsWithArg(marker).length === 4, 5_000, "four upstream processes");
    const pids = pidsWithArg(marker);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await fx.gateway.close();
    expect(await slow).toEqual({ content: [{ type: "text", text: "done" }] });
    expect(pids.filter(isAlive)).toEqual([]);
    const sessions = await fx.db.sql<{ transport: string; end_reason: string | null }[]>`select transport::text, end_reason from client_sessions order by transport::text desc`;
    expect(sessions).toEqual([
      { transport: "streamable_http", end_reason: null },
      { transport: "sse", end_reason: "shutdown" },
    ]);
    const kept = await fx.db.sql<{ stream_owner: string | null }[]>`select stream_owner from gateway_sessions`;
    expect(kept).toEqual([{ stream_owner: null }]);
    const rows = await fx.db.sql<{ n: number }[]>`select count(*)::int as n from tool_call_logs`;
    expect(rows[0]?.n).toBe(5);
    // Key use is noted in memory and written in one update per key, at the latest on shutdown.
    const [used] = await fx.db.sql<{ last_used_ip: string | null; used: boolean }[]>`select last_used_ip, last_used_at is not null as used from api_keys where hash = ${hash}`;
    expect(used).toEqual({ last_used_ip: "127.0.0.1", used: true });
  });
});

describe("SIGTERM to switchyard gateway", () => {
  let fx: GatewayFixture;
  beforeAll(async () => {
    fx = await startFixture();
  }, 60_000);
  afterAll(async () => fx?.close());

  it("exits cleanly without orphans after writing its rows", async () => {
    const marker = `--sy-sigterm-${randomUUID()}`;
    const { key } = await fx.newKey();
    await fx.addServer(everythingServer("everything", { args: [EVERYTHING_BIN, "stdio", marker] }));
    const port = await freePort();
    const child = spawn(process.execPath, [CLI_BIN, "gateway"], {
      env: baseEnv({
        DATABASE_URL: fx.config.databaseUrl,
        SWITCHYARD_SECRET_KEY: fx.config.secretKey,
        AUTH_SECRET: fx.config.authSecret,
        SWITCHYARD_DATA_DIR: fx.dataDir,
        STDIO_SERVERS: "on",
        STDIO_SANDBOX: "off",
        HOST: "127.0.0.1",
        GATEWAY_PORT: String(port),
        LOG_LEVEL: "error",
      }),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok, 30_000, `gateway up (${stderr})`);
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
    const client = new Client({ name: "sigterm-test", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/projects/${fx.project.id}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    await client.callTool({ name: "everything__echo", arguments: { message: "before shutdown" } });
    const pids = pidsWithArg(marker);
    expect(pids).toHaveLength(1);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    const [row] = await fx.db.sql<{ n: number }[]>`select count(*)::int as n from tool_call_logs where project_id = ${fx.project.id}`;
    expect(row?.n).toBe(1);
    // The Streamable HTTP session outlives the process: a restarted gateway serves it.
    const [session] = await fx.db.sql<{ id: string; end_reason: string | null }[]>`select id, end_reason from client_sessions where project_id = ${fx.project.id}`;
    expect(session?.end_reason).toBeNull();
    expect(await fx.db.sql`select 1 from gateway_sessions where id = ${session?.id ?? ""}`).toHaveLength(1);
    await client.close().catch(() => undefined);
  }, 60_000);
});
