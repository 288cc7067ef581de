/**
 * `npm run bench:sessions` — memory per idle open session (docs/BENCHMARKS.md: 5,000 sessions on one instance
 * with shared-isolation servers, ≤ 100 KB each). The gateway runs in this process (started with
 * --expose-gc) so its heap can be measured after full collections: each session is initialized,
 * lists the tools of a shared server-everything, and is left idle. Then every session is ended
 * with DELETE and the heap is measured again (nothing may stay behind).
 *
 * Database: a scratch database on DATABASE_URL's server (dropped afterwards) or an embedded Postgres.
 * Options: --sessions N (default 5000), --concurrency N (default 50).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { resolveConfig } from "../src/config";
import { parseEnv } from "../src/env";
import { startGateway } from "../src/gateway";
import { cleanupAll, createBenchProject, fmt, openScratchDatabase } from "./gateway-support";
import { openIdleSession } from "./lean-mcp-client";

const { values: args } = parseArgs({ options: { sessions: { type: "string", default: "5000" }, concurrency: { type: "string", default: "50" } } });
const SESSIONS = Number(args.sessions);
const CONCURRENCY = Number(args.concurrency);
const TARGET_KB = 100;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:sessions does)");

/** After full collections: JS heap, heap + external buffers (what sessions may hold), and RSS. */
async function settledMemory(): Promise<{ js: number; heap: number; rss: number }> {
  // Ends are finished in the background (stored state deleted, the end announced to other instances): let them land.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const m = process.memoryUsage();
  return { js: m.heapUsed, heap: m.heapUsed + m.external, rss: m.rss };
}

async function inBatches<T>(count: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) out.push(await work(i));
    }),
  );
  return out;
}

async function main(): Promise<void> {
  const db = await openScratchDatabase("sessions");
  const project = await createBenchProject(db.handle);
  const dataDir = await mkdtemp(join(tmpdir(), "switchyard-bench-sessions-"));
  const env = parseEnv({ DATABASE_URL: db.url, SWITCHYARD_SECRET_KEY: project.secretKey, AUTH_SECRET: project.authSecret, SWITCHYARD_DATA_DIR: dataDir, STDIO_SERVERS: "on", HOST: "127.0.0.1", LOG_LEVEL: "error",
    // One key opens every session: the per-key and per-project caps must not stop the run.
    MAX_SESSIONS_PER_KEY: String(SESSIONS + 10), MAX_SESSIONS_PER_PROJECT: String(SESSIONS + 10) });
  const config = { ...(await resolveConfig(env)), gatewayPort: 0, databaseUrl: db.url };
  const gateway = await startGateway(config, { instanceId: `bench-${randomBytes(3).toString("hex")}` });
  try {
    const endpoint = `${gateway.url}/projects/${project.projectId}/mcp`;
    const auth = { authorization: `Bearer ${await project.newKey()}` };
    // Warm up: modules loaded, upstream started, catalogue cached, one session opened and ended.
    for (let i = 0; i < 3; i++) await (await openIdleSession(endpoint, auth)).end();
    const before = await settledMemory();
    const started = performance.now();
    const sessions = await inBatches(SESSIONS, () => openIdleSession(endpoint, auth));
    const openedIn = (performance.now() - started) / 1_000;
    const open = await settledMemory();
    const openCount = gateway.sessions.size;
    const perSessionKb = (open.heap - before.heap) / SESSIONS / 1024;
    const perSessionRssKb = (open.rss - before.rss) / SESSIONS / 1024;
    await inBatches(sessions.length, (i) => sessions[i]?.end() ?? Promise.resolve());
    const after = await settledMemory();
    // Two more rounds of the same: once warm, a round must leave nothing behind.
    const round = async () => {
      const again = await inBatches(SESSIONS, () => openIdleSession(endpoint, auth));
      await inBatches(again.length, (i) => again[i]?.end() ?? Promise.resolve());
      return settledMemory();
    };
    const afterSecond = await round();
    const afterThird = await round();
    console.log(`bench:sessions — ${fmt(SESSIONS)} idle Streamable HTTP sessions (initialize, tools/list) on a shared server-everything`);
    console.log(`database: ${db.where}; sessions opened in ${fmt(openedIn, 1)} s; open in the gateway: ${fmt(openCount)}\n`);
    console.log(`heap + external before     ${fmt(before.heap / 1048576, 1)} MiB    rss ${fmt(before.rss / 1048576, 1)} MiB`);
    console.log(`with ${fmt(SESSIONS)} open         ${fmt(open.heap / 1048576, 1)} MiB    rss ${fmt(open.rss / 1048576, 1)} MiB`);
    console.log(`after DELETE of all        ${fmt(after.heap / 1048576, 1)} MiB    rss ${fmt(after.rss / 1048576, 1)} MiB    (sessions left: ${gateway.sessions.size})\n`);
    console.log(`memory per idle session: ${fmt(perSessionKb, 1)} KB heap (${fmt(perSessionRssKb, 1)} KB rss)   target ≤ ${TARGET_KB} KB   ${perSessionKb <= TARGET_KB ? "PASS" : "FAIL"}`);
    console.log(`after a second round       ${fmt(afterSecond.heap / 1048576, 1)} MiB    rss ${fmt(afterSecond.rss / 1048576, 1)} MiB`);
    console.log(`after a third round        ${fmt(afterThird.heap / 1048576, 1)} MiB    rss ${fmt(afterThird.rss / 1048576, 1)} MiB`);
    const growth = (afterThird.js - afterSecond.js) / 1024;
    console.log(`JS heap growth over the third round of ${fmt(SESSIONS)} sessions opened and ended: ${fmt(growth, 0)} KB (${fmt((growth * 1024) / SESSIONS, 0)} B per session)`);
  } finally {
    await gateway.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => void cleanupAll());
