/**
 * `npm run bench:sessions` — memory per idle open session (docs/BENCHMARKS.md, "Idle sessions":
 * 10,000 sessions on one instance with shared-isolation servers, ≤ 15 KB of heap each), for
 * Streamable HTTP and legacy SSE in turn. The gateway runs in this process (started with
 * --expose-gc) so its heap can be measured after full collections; the clients run in a child
 * process (session-clients.ts) so their sockets and parsers are not counted. Each session is
 * initialized, lists the tools of a shared server-everything, and is left idle (an SSE session
 * keeps its stream open, as it must). Progress is printed every 1,000 sessions: how many are open,
 * the heap after a full collection, and the heap per session so far. Then every session is ended
 * (DELETE; the SSE stream closed) and the heap is measured again (nothing may stay behind), and
 * the same is done for `--rounds` more rounds to show a warm round leaves nothing behind.
 *
 * Database: a scratch database on DATABASE_URL's server (dropped afterwards) or an embedded Postgres.
 * Options: --sessions N (default 10000), --transport streamable|sse|both (default both),
 * --concurrency N (default 50), --rounds N (extra open/end rounds, default 2),
 * --snapshot DIR (heap snapshots before and with the sessions open, per transport, for
 * bench/heap-by-constructor.ts).
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeHeapSnapshot } from "node:v8";
import { resolveConfig } from "../src/config";
import { parseEnv } from "../src/env";
import { startGateway } from "../src/gateway";
import { cleanupAll, createBenchProject, fmt, openScratchDatabase } from "./gateway-support";
import type { BenchTransport, ClientCommand, ClientReport } from "./session-clients";
import { benchArgs, choiceOption, numberOption } from "./options";

const { values: args } = benchArgs({
  options: {
    sessions: { type: "string", default: "10000" },
    transport: { type: "string", default: "both" },
    concurrency: { type: "string", default: "50" },
    rounds: { type: "string", default: "2" },
    snapshot: { type: "string" },
  },
});
const SESSIONS = numberOption("sessions", args.sessions);
const CONCURRENCY = numberOption("concurrency", args.concurrency);
const ROUNDS = numberOption("rounds", args.rounds);
const PROGRESS_EVERY = 1_000;
const TARGET_KB = 15;
const TRANSPORT_CHOICE = choiceOption("transport", args.transport, ["streamable", "sse", "both"] as const);
const TRANSPORTS: BenchTransport[] = TRANSPORT_CHOICE === "both" ? ["streamable", "sse"] : [TRANSPORT_CHOICE];

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:sessions does)");

const MiB = (bytes: number) => `${fmt(bytes / 1048576, 1)} MiB`;

interface Memory {
  js: number;
  /** JS heap + external buffers (what sessions may hold). */
  heap: number;
  rss: number;
}

function collected(): Memory {
  for (let i = 0; i < 2; i++) gc?.();
  const m = process.memoryUsage();
  return { js: m.heapUsed, heap: m.heapUsed + m.external, rss: m.rss };
}

/**
 * After full collections, once work finished in the background has landed: ends are recorded after
 * the DELETE was answered (stored state deleted, the end row written and announced), and with
 * thousands at once that takes seconds. Measured until two readings 2 s apart agree within 1%.
 */
async function settledMemory(): Promise<Memory> {
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  let last = collected();
  for (let i = 0; i < 30; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const now = collected();
    if (Math.abs(now.heap - last.heap) < last.heap / 100) return now;
    last = now;
  }
  return last;
}

/** The client process: one command at a time, its reports passed to `onReport` until the final one. */
class Clients {
  private readonly child: ChildProcess;
  constructor() {
    this.child = fork(fileURLToPath(new URL("./session-clients.ts", import.meta.url)), { execArgv: ["--import", "tsx"], stdio: "inherit" });
  }

  run(cmd: ClientCommand, onProgress: (opened: number) => void = () => undefined): Promise<Exclude<ClientReport, { progress: number }>> {
    return new Promise((resolve, reject) => {
      const listener = (report: ClientReport) => {
        if ("progress" in report) return onProgress(report.progress);
        this.child.off("message", listener);
        if ("failed" in report) reject(new Error(`session clients: ${report.failed}`));
        else resolve(report);
      };
      this.child.on("message", listener);
      this.child.send(cmd);
    });
  }

  close(): void {
    this.child.disconnect();
  }
}

type Gateway = Awaited<ReturnType<typeof startGateway>>;

async function untilEnded(gateway: Gateway): Promise<void> {
  for (let i = 0; i < 100 && gateway.sessions.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function benchTransport(gateway: Gateway, clients: Clients, transport: BenchTransport, endpoint: string, auth: Record<string, string>, snapshotDir: string | undefined): Promise<number> {
  const open = (onProgress?: (n: number) => void) => clients.run({ op: "open", transport, endpoint, auth, count: SESSIONS, concurrency: CONCURRENCY, progressEvery: PROGRESS_EVERY }, onProgress);
  const end = async () => {
    await clients.run({ op: "end", concurrency: CONCURRENCY });
    await untilEnded(gateway);
  };
  const label = transport === "streamable" ? "Streamable HTTP" : "legacy SSE";
  console.log(`\n${label}: ${fmt(SESSIONS)} idle sessions (initialize, tools/list) on a shared server-everything`);
  // Warm up: modules loaded, upstream started, catalogue cached, sessions opened and ended.
  await clients.run({ op: "open", transport, endpoint, auth, count: 3, concurrency: 1, progressEvery: PROGRESS_EVERY });
  await end();
  const before = await settledMemory();
  if (snapshotDir) writeHeapSnapshot(join(snapshotDir, `${transport}-before.heapsnapshot`));
  console.log(`  heap + external before          ${MiB(before.heap)}    rss ${MiB(before.rss)}`);
  const opened = await open((n) => {
    const now = collected();
    console.log(`  ${fmt(n).padStart(6)} open   heap ${MiB(now.heap).padStart(10)}   ${fmt((now.heap - before.heap) / n / 1024, 1).padStart(5)} KB per session`);
  });
  if ("failed" in opened || !("opened" in opened)) throw new Error("opening failed");
  const withOpen = await settledMemory();
  if (snapshotDir) writeHeapSnapshot(join(snapshotDir, `${transport}-open.heapsnapshot`));
  const held = gateway.sessions.size;
  const perSessionKb = (withOpen.heap - before.heap) / SESSIONS / 1024;
  const perSessionRssKb = (withOpen.rss - before.rss) / SESSIONS / 1024;
  console.log(`  ${fmt(SESSIONS).padStart(6)} open   heap ${MiB(withOpen.heap).padStart(10)}   ${fmt(perSessionKb, 1).padStart(5)} KB per session (settled; opened in ${fmt(opened.seconds, 1)} s; held by the gateway: ${fmt(held)})`);
  await end();
  const after = await settledMemory();
  console.log(`  after ending them all           ${MiB(after.heap)}    rss ${MiB(after.rss)}    (sessions left: ${gateway.sessions.size})`);
  let previous = after;
  let growth = 0;
  for (let r = 0; r < ROUNDS; r++) {
    await open();
    await end();
    const now = await settledMemory();
    growth = (now.js - previous.js) / 1024;
    console.log(`  after round ${r + 2}                   ${MiB(now.heap)}    rss ${MiB(now.rss)}    JS heap growth ${fmt(growth, 0)} KB (${fmt((growth * 1024) / SESSIONS, 0)} B per session)`);
    previous = now;
  }
  console.log(`  memory per idle ${label} session: ${fmt(perSessionKb, 1)} KB heap (${fmt(perSessionRssKb, 1)} KB rss)   target ≤ ${TARGET_KB} KB   ${perSessionKb <= TARGET_KB ? "PASS" : "FAIL"}`);
  return perSessionKb;
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
  const clients = new Clients();
  if (args.snapshot) await mkdir(args.snapshot, { recursive: true });
  try {
    console.log(`bench:sessions — database: ${db.where}; concurrency ${CONCURRENCY}`);
    const auth = { authorization: `Bearer ${await project.newKey()}` };
    const results: string[] = [];
    for (const transport of TRANSPORTS) {
      const endpoint = `${gateway.url}/projects/${project.projectId}/${transport === "streamable" ? "mcp" : "sse"}`;
      const kb = await benchTransport(gateway, clients, transport, endpoint, auth, args.snapshot);
      results.push(`${transport} ${fmt(kb, 1)} KB`);
    }
    console.log(`\nheap per idle session at ${fmt(SESSIONS)}: ${results.join(", ")} (target ≤ ${TARGET_KB} KB)`);
  } finally {
    clients.close();
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
