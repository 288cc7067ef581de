/**
 * What operators watch: Prometheus metrics, readiness of the database and Redis, and per-key
 * rate limits shared across instances through Redis — failing open locally, and counted, when
 * Redis stops.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { changePublishingHooks, publishChange } from "@switchyard/core/changes";
import { CLI_ACTOR } from "@switchyard/core/context";
import { endClientSession, revokeApiKey } from "@switchyard/core/services";
import { freePort } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type RunningGateway } from "../src/gateway";
import { everythingServer, type GatewayFixture, headersFor, initializeMessage, openSession, postJson, startFixture, waitFor } from "@switchyard/gateway/testing";

let fx: GatewayFixture;
let second: RunningGateway;
let redis: ChildProcess;
let redisPort: number;

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "ignore"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`redis did not start: ${out}`)), 10_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (/ready to accept connections/i.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}

async function stopRedis(): Promise<void> {
  if (redis.exitCode !== null || redis.signalCode !== null) return;
  const exited = new Promise((resolve) => redis.once("exit", resolve));
  redis.kill("SIGKILL");
  await exited;
}

const METRICS_TOKEN = "observability-metrics-token";
const metricsAuth = { authorization: `Bearer ${METRICS_TOKEN}` };

beforeAll(async () => {
  redisPort = await freePort();
  redis = await startRedis(redisPort);
  fx = await startFixture({}, { REDIS_URL: `redis://127.0.0.1:${redisPort}`, METRICS_TOKEN: METRICS_TOKEN });
  second = await startGateway(fx.config, { instanceId: "second" });
  await fx.addServer(everythingServer("everything"));
}, 60_000);

afterAll(async () => {
  await second?.close();
  await fx?.close();
  if (redis) await stopRedis();
});

describe("changes announced by other processes (Postgres NOTIFY)", () => {
  it("a key revoked by the console ends its sessions on every instance within a second", async () => {
    const k = await fx.newKey();
    const id = await openSession(`${second.url}/projects/${fx.project.id}/mcp`, k.key);
    const client = await fx.connect({ key: k.key });
    await client.listTools();
    expect(second.sessions.get(id)).toBeDefined();
    const before = fx.gateway.sessions.size;
    const t0 = Date.now();
    await revokeApiKey({ ...fx.deps, hooks: changePublishingHooks(fx.db.sql) }, CLI_ACTOR, fx.project, k.id);
    await waitFor(() => !second.sessions.get(id) && fx.gateway.sessions.size < before, 1_000, "sessions ended on both instances");
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it("a session ended from the console is disconnected by the instance holding it, and its next request gets 404", async () => {
    const { key } = await fx.newKey();
    const url = `${second.url}/projects/${fx.project.id}/mcp`;
    const id = await openSession(url, key);
    expect(second.sessions.get(id)).toBeDefined();
    await second.logWriter.flush();
    await waitFor(async () => (await fx.db.sql`select 1 from client_sessions where id = ${id}`).length === 1, 5_000, "session recorded");
    const ended = await endClientSession({ ...fx.deps, hooks: changePublishingHooks(fx.db.sql) }, CLI_ACTOR, fx.project, id);
    expect(ended.endReason).toBe("ended_by_admin");
    await waitFor(() => !second.sessions.get(id), 2_000, "session ended on the second instance");
    const again = await postJson(url, { jsonrpc: "2.0", id: 2, method: "ping" }, headersFor(key, { "mcp-session-id": id }));
    expect(again.status).toBe(404);
    await second.logWriter.flush();
    const [row] = await fx.db.sql`select end_reason, ended_at is not null as ended from client_sessions where id = ${id}`;
    expect(row).toEqual({ end_reason: "ended_by_admin", ended: true });
    await expect(endClientSession(fx.deps, CLI_ACTOR, fx.project, id)).rejects.toThrow("already ended");
  });

  it("a tool switched off by the console leaves tools/list within a second, with list_changed", async () => {
    const { key } = await fx.newKey();
    const client = await fx.connect({ key });
    await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === "everything__get-env"), 20_000, "tools listed");
    await waitFor(async () => (await fx.db.sql`select 1 from server_tools where project_id = ${fx.project.id} and name = 'get-env'`).length === 1, 10_000, "catalogue recorded");
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    await fx.db.sql`update server_tools set enabled = false where project_id = ${fx.project.id} and name = 'get-env'`;
    await publishChange(fx.db.sql, { type: "project.changed", projectId: fx.project.id });
    // A list_changed from the server's first catalogue load may still be on its way: wait for one
    // after which the tool is gone, not merely the first one.
    await waitFor(async () => changed > 0 && !(await client.listTools()).tools.some((t) => t.name === "everything__get-env"), 1_000, "list_changed and the tool gone");
  });
});

describe("/metrics", () => {
  it("exposes calls, latency, sessions, upstreams and the log writer in Prometheus text", async () => {
    const { key } = await fx.newKey();
    const client = await fx.connect({ key });
    await client.callTool({ name: "everything__echo", arguments: { message: "metrics" } });
    await client.callTool({ name: "ghost__tool", arguments: {} }).catch(() => undefined);
    const res = await fetch(`${fx.url}/metrics`, { headers: metricsAuth });
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toContain(`switchyard_tool_calls_total{project="${fx.project.id}",server="everything",status="success"} 1`);
    expect(text).toContain(`switchyard_tool_calls_total{project="${fx.project.id}",server="",status="rejected"} 1`);
    expect(text).toMatch(/switchyard_tool_call_duration_seconds_bucket\{le="0\.005",project="[^"]+",server="everything"\} \d/);
    expect(Number(/switchyard_open_sessions\{transport="streamable_http"\} (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/switchyard_upstream_processes 1/);
    for (const name of ["switchyard_log_queue_depth", "switchyard_log_rows_dropped_total 0", "switchyard_log_rows_spilled_total", "switchyard_rate_limit_fail_open_total"]) expect(text).toContain(name);
  });
});

describe("readiness and Redis", () => {
  it("reports the database and Redis ready", async () => {
    const res = await fetch(`${fx.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ready", checks: { database: { ok: true }, redis: { ok: true } } });
  });

  it("counts a key's limit across instances", async () => {
    const { key } = await fx.newKey(fx.project, { rateLimitPerMinute: 4 });
    const urls = [fx.endpointUrl({}), `${second.url}/projects/${fx.project.id}/mcp`];
    // initialize + initialized on each instance: the fourth request is the last allowed anywhere.
    await openSession(urls[0] ?? "", key);
    await openSession(urls[1] ?? "", key);
    const refused = await postJson(urls[0] ?? "", initializeMessage(), headersFor(key));
    expect(refused.status).toBe(429);
    await refused.text();
  });

  it("keeps serving when Redis stops, limiting locally and counting it, and stays ready (degraded) meanwhile", async () => {
    // Under 100 a minute every request asks Redis (no share of the limit held in memory), so each call here falls back.
    const { key } = await fx.newKey(fx.project, { rateLimitPerMinute: 50 });
    const client = await fx.connect({ key });
    await stopRedis();
    for (let i = 0; i < 3; i++) expect((await client.callTool({ name: "everything__echo", arguments: { message: `${i}` } })).isError).toBeUndefined();
    // The call and session caps, too, are counted on this instance alone (docs/ARCHITECTURE.md, "Cluster-wide caps").
    await fx.connect({ key });
    const metrics = await (await fetch(`${fx.url}/metrics`, { headers: metricsAuth })).text();
    expect(Number(/switchyard_rate_limit_fail_open_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(/switchyard_cap_fail_open_total\{cap="calls"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(/switchyard_cap_fail_open_total\{cap="sessions"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    // A balancer must not pull every instance at once for what only weakens the limits.
    const ready = await fetch(`${fx.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "degraded", checks: { database: { ok: true }, redis: { ok: false, impact: "degraded" } } });
    expect(await (await fetch(`${fx.url}/healthz`)).json()).toMatchObject({ status: "degraded", checks: { redis: { ok: false } } });
    redis = await startRedis(redisPort);
    await waitFor(async () => ((await (await fetch(`${fx.url}/readyz`)).json()) as { status: string }).status === "ready", 10_000, "no longer degraded");
  });
});
