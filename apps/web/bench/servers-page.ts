/**
 * `npm run bench:console` — server-side render time of a project's Servers page with 50 servers
 * whose upstreams are dead (target ≤ 150 ms, docs/BENCHMARKS.md). Half are stdio servers whose command does
 * not exist, half remote servers pointing at a listener that accepts and never answers: a page
 * that probed anything live would hang or spawn, and the listener counts every connection.
 *
 * Uses DATABASE_URL (an admin URL; a throwaway database is created and dropped) or an embedded
 * Postgres of its own; runs the built console (`next build` first if sources changed).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyring } from "@switchyard/core/secrets";
import { createProject, createServer as createMcpServer, createTeam, createUser } from "@switchyard/core/services";
import { createDb, ensureDatabase, runMigrations, startEmbeddedPostgres, updateServerStatus } from "@switchyard/db";
import { loginHttp, startStack } from "../test/harness/stack";

const SERVERS = 50;
const WARMUP = 15;
const SAMPLES = 60;
const TARGET_MS = 150;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const pgDir = process.env.DATABASE_URL ? undefined : await mkdtemp(join(tmpdir(), "sy-bench-pg-"));
  const embedded = pgDir ? await startEmbeddedPostgres({ dir: pgDir }) : undefined;
  const adminUrl = process.env.DATABASE_URL ?? embedded?.url ?? "";
  const dbName = `sy_bench_console_${randomBytes(4).toString("hex")}`;
  const url = await ensureDatabase(adminUrl, dbName);

  // A "dead" upstream that accepts TCP connections and never answers; every connection is counted.
  let upstreamConnections = 0;
  const hang = createServer((socket) => {
    upstreamConnections += 1;
    socket.on("error", () => undefined);
  });
  await new Promise<void>((r) => hang.listen(0, "127.0.0.1", r));
  const hangPort = (hang.address() as { port: number }).port;

  const cleanup: (() => Promise<void>)[] = [];
  try {
    await runMigrations(url);
    const stackEnv = { STDIO_SERVERS: "on", ALLOW_PRIVATE_UPSTREAMS: "true" };
    const stack = await startStack({ databaseUrl: url, name: "bench-console", env: stackEnv });
    cleanup.push(stack.stop);

    const handle = createDb(url, { max: 2 });
    cleanup.push(handle.close);
    const deps = { db: handle.db, keyring: Keyring.fromStrings(stack.secretKey), policy: { stdio: "on" as const, stdioAllowlist: [], allowPrivateUpstreams: true } };
    const password = "bench password 123";
    const user = await createUser(deps, { kind: "system" }, { email: `bench-${randomBytes(3).toString("hex")}@example.test`, password });
    const actor = { kind: "user" as const, userId: user.id, isAdmin: false };
    const team = await createTeam(deps, actor, { name: "Bench team", owner: user.id });
    const project = await createProject(deps, actor, team.id, { name: "Bench project" });
    for (let i = 0; i < SERVERS; i++) {
      const name = `dead-${String(i).padStart(2, "0")}`;
      const server =
        i % 2 === 0
          ? await createMcpServer(deps, actor, project, { name, transport: "stdio", command: `/nonexistent/mcp-server-${i}`, args: ["--token", "secret"], env: { API_TOKEN: "secret-value" } })
          : await createMcpServer(deps, actor, project, { name, transport: "streamable_http", url: `http://127.0.0.1:${hangPort}/mcp/${i}`, headers: { Authorization: "Bearer secret" } });
      // What the worker would have recorded for a dead upstream.
      await updateServerStatus(handle.db, project.id, server.id, {
        status: i % 2 === 0 ? "error" : "offline",
        statusCheckedAt: new Date(),
        statusError: i % 2 === 0 ? "spawn ENOENT" : "connect timeout after 10000 ms",
        statusLatencyMs: null,
      });
    }

    const cookie = await loginHttp(stack.consoleUrl, user.email, password);
    const page = `${stack.consoleUrl}/t/${team.slug}/p/${project.slug}/servers`;
    const fetchPage = async (): Promise<number> => {
      const started = performance.now();
      const res = await fetch(page, { headers: { cookie }, redirect: "manual" });
      const html = await res.text();
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`GET ${page} → HTTP ${res.status}`);
      if (!html.includes("dead-49")) throw new Error("the page does not list all 50 servers");
      return ms;
    };
    for (let i = 0; i < WARMUP; i++) await fetchPage();
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) times.push(await fetchPage());
    times.sort((a, b) => a - b);
    const median = percentile(times, 50);
    const p95 = percentile(times, 95);
    const lines = [
      "",
      `Servers page, ${SERVERS} servers with dead upstreams (${SAMPLES} requests after ${WARMUP} warm-up, built app, loopback):`,
      `  server render time  median ${median.toFixed(1)} ms   p95 ${p95.toFixed(1)} ms   max ${(times.at(-1) ?? 0).toFixed(1)} ms   (target ≤ ${TARGET_MS} ms)`,
      `  connections made to the dead upstreams while rendering: ${upstreamConnections}`,
      `  result: ${median <= TARGET_MS && p95 <= TARGET_MS && upstreamConnections === 0 ? "PASS" : "FAIL"}`,
      "",
    ];
    process.stdout.write(lines.join("\n"));
    if (median > TARGET_MS || upstreamConnections > 0) process.exitCode = 1;
  } finally {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
    hang.close();
    const admin = createDb(adminUrl, { max: 1 });
    await admin.sql.unsafe(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
    await admin.close();
    await embedded?.stop();
    if (pgDir) await rm(pgDir, { recursive: true, force: true });
  }
}

await main();
