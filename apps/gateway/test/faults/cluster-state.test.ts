/**
 * State that must hold across instances, checked with clients on each instance directly: a
 * revocation, a server switched off and a tool switched off reach every instance within a second
 * (the change feed); a revocation missed while the feed was down takes effect once it reconnects;
 * a key's rate limit counts cluster-wide with Redis and falls back to local counts (fail open,
 * counted in /metrics) without it.
 */
import { randomBytes } from "node:crypto";
import { CLI_ACTOR } from "@switchyard/core/context";
import { revokeApiKey, setServerEnabled, setToolEnabled } from "@switchyard/core/services";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { everything } from "../cluster/cluster";
import { connectClient } from "../cluster/load";
import { startScenario, warm, type Scenario } from "./scenario";
import { sleep } from "./settings";

const METRICS_TOKEN = randomBytes(16).toString("hex");
let s: Scenario;
beforeAll(async () => {
  s = await startScenario({ env: { METRICS_TOKEN } });
}, 120_000);
afterAll(async () => s?.cluster.close());

const onEveryInstance = (key: string) => Promise.all(s.cluster.gateways.map((g, i) => connectClient(s.cluster.instanceEndpoint(g, i % 2 ? "sse" : "http"), i % 2 ? "sse" : "http", key)));

/** Milliseconds until `check` holds for every client (polled every 25 ms, up to 5 s). */
async function msUntil(clients: Client[], check: (c: Client) => Promise<boolean>): Promise<number> {
  const started = performance.now();
  const pending = new Set(clients);
  while (pending.size > 0 && performance.now() - started < 5_000) {
    for (const c of [...pending]) if (await check(c).catch(() => false)) pending.delete(c);
    if (pending.size > 0) await sleep(25);
  }
  return pending.size === 0 ? Math.round(performance.now() - started) : Number.POSITIVE_INFINITY;
}

// A call caught by its session's end (legacy SSE: the answer had no stream left to travel on) waits
// for the client's own timeout; a short one keeps the poll going, and the next call is refused.
const refused = async (c: Client) =>
  c.callTool({ name: "everything__echo", arguments: { message: "x" } }, undefined, { timeout: 400 }).then(
    () => false,
    (e: unknown) => !/timed out/i.test(e instanceof Error ? e.message : String(e)),
  );
const lacks = (tool: string) => async (c: Client) => !(await c.listTools()).tools.some((t) => t.name === tool);

it("reaches every instance within a second: revocation, a server switched off, a tool switched off", async () => {
  const victim = await s.cluster.newKey();
  const revokedClients = await onEveryInstance(victim.key);
  const started = Date.now();
  await revokeApiKey(s.cluster.deps, CLI_ACTOR, s.cluster.project, victim.id);
  const revocationMs = await msUntil(revokedClients, refused);

  const other = await s.cluster.addServer(everything("other"));
  await warm(s.cluster, s.key, "other__echo");
  const clients = await onEveryInstance(s.key);
  await setServerEnabled(s.cluster.deps, CLI_ACTOR, s.cluster.project, other.id, false);
  const serverMs = await msUntil(clients, lacks("other__echo"));

  const [tool] = await s.cluster.db.sql<{ id: string }[]>`select t.id from server_tools t join mcp_servers m on m.id = t.server_id where m.project_id = ${s.cluster.project.id} and m.name = 'everything' and t.name = 'get-sum'`;
  if (!tool) throw new Error("get-sum not catalogued");
  await setToolEnabled(s.cluster.deps, CLI_ACTOR, s.cluster.project, tool.id, false);
  const toolMs = await msUntil(clients, lacks("everything__get-sum"));
  process.stdout.write(`[faults] change feed across ${s.cluster.gateways.length} instances: revocation ${revocationMs} ms / server off ${serverMs} ms / tool off ${toolMs} ms (${Date.now() - started} ms in all)\n`);
  expect(Math.max(revocationMs, serverMs, toolMs)).toBeLessThan(1_000);
  await Promise.all([...revokedClients, ...clients].map((c) => c.close().catch(() => undefined)));
});

it("applies a revocation missed while the change feed was down once it reconnects", async () => {
  const victim = await s.cluster.newKey();
  const clients = await onEveryInstance(victim.key);
  // Revoked behind the feed's back (no notification), then every gateway's LISTEN connection cut.
  await s.cluster.db.sql`update api_keys set revoked_at = now() where id = ${victim.id}`;
  await s.cluster.db.sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen%'`;
  await sleep(1_500);
  const ms = await msUntil(clients, refused);
  process.stdout.write(`[faults] revocation missed by the feed applied ${ms} ms after its reconnect\n`);
  expect(ms).toBeLessThan(1_000);
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
});

it("counts a key's rate limit across instances with Redis and locally (counted) without it", async () => {
  const limit = 12;
  const limited = await s.cluster.newKey({ rateLimitPerMinute: limit });
  const allowedAcross = async () => {
    const clients = await onEveryInstance(limited.key).catch(() => []);
    let ok = 0;
    // Opening the sessions took a few units of the budget; then calls alternate until every instance refuses.
    const refusedBy = new Set<number>();
    for (let i = 0; refusedBy.size < clients.length && i < 10 * limit; i++) {
      const n = i % clients.length;
      if (refusedBy.has(n)) continue;
      if (await refused(clients[n] as Client)) refusedBy.add(n);
      else ok++;
    }
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    return ok;
  };
  const withRedis = await allowedAcross();
  const redis = s.cluster.redis;
  if (!redis) throw new Error("no redis");
  await redis.stop();
  const local = await s.cluster.newKey({ rateLimitPerMinute: limit });
  limited.key = local.key;
  const withoutRedis = await allowedAcross();
  const failOpen = await Promise.all(
    s.cluster.gateways.map(async (g) => {
      const text = await (await fetch(`${g.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      return Number(/switchyard_rate_limit_fail_open_total (\d+)/.exec(text)?.[1] ?? 0);
    }),
  );
  await redis.start();
  process.stdout.write(`[faults] rate limit ${limit}/min: ${withRedis} calls allowed across ${s.cluster.gateways.length} instances with Redis, ${withoutRedis} without (fail open locally, counted ${failOpen.join(" + ")})\n`);
  // One budget for the cluster with Redis; without it each further instance adds a full budget of its own.
  expect(withRedis).toBeGreaterThan(0);
  expect(withRedis).toBeLessThan(limit);
  expect(withoutRedis - withRedis).toBe(limit * (s.cluster.gateways.length - 1));
  for (const n of failOpen) expect(n).toBeGreaterThan(0);
});
