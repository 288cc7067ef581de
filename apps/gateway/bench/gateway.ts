/**
 * `npm run bench:gateway` — tools/call `echo` on server-everything through every path in one run
 * (docs/BENCHMARKS.md): direct stdio, the gateway over Streamable HTTP and legacy SSE (API-key auth, rate
 * limiting and call logging on), supergateway (SSE; Streamable HTTP stateful) and mcp-proxy (SSE;
 * Streamable HTTP), each a separate process. Prints median/p99 at one client (the SDK Client),
 * calls/s at 50 concurrent sessions (a lean client, bench/lean-mcp-client.ts, so the load generator
 * is not what is measured; direct stdio: one SDK connection with 50 calls in flight), and the
 * targets: added median ≤ 1.0 ms and p99 ≤ 5 ms over direct stdio; throughput ≥ 2× supergateway
 * and ≥ 1.5× the best peer. Answers are checked: a wrong echo (a proxy mixing up sessions) is
 * reported and not counted.
 *
 * Database: a scratch database on DATABASE_URL's server (dropped afterwards) or an embedded Postgres.
 * Options: --calls N (latency calls per target, default 3000), --seconds N (throughput time per target,
 * default 6), --sessions N (default 50), --rounds N (interleaved rounds, default 3), --only TEXT
 * (measure only targets whose name contains TEXT; repeatable), --baseline DIR (another checkout of the
 * repository, installed: its gateway runs beside this one on the same database as the
 * "baseline gateway …" targets, for an A/B of two builds in one run; STDIO_SANDBOX=off in the
 * environment runs the gateways' stdio servers unsandboxed). After the figures, a table of CPU
 * per call during the throughput runs: the proxy process, its upstream children, Postgres, and
 * the load generator — where the machine's time went; with --baseline, the median over rounds of
 * each build's proxy CPU per call against the baseline's (rounds alternate the targets' order).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createRequire } from "node:module";
import {
  CLI_BIN,
  cleanupAll,
  createBenchProject,
  EVERYTHING_BIN,
  fmt,
  freePort,
  httpOk,
  latencySamples,
  leanThroughputRun,
  summarizeLatency,
  throughputRun,
  openScratchDatabase,
  startProcess,
  type LatencyResult,
  type ThroughputResult,
} from "./gateway-support";
import { leanSse, leanStreamable, type LeanSession } from "./lean-mcp-client";
import { cpuSnapshot, cpuSpent, type CpuSnapshot } from "./process-cpu";

const { values: args } = parseArgs({ options: { calls: { type: "string", default: "3000" }, seconds: { type: "string", default: "6" }, sessions: { type: "string", default: "50" }, rounds: { type: "string", default: "3" }, only: { type: "string", multiple: true, default: [] }, baseline: { type: "string" } } });
const CALLS = Number(args.calls);
const SECONDS = Number(args.seconds);
const SESSIONS = Number(args.sessions);
const ROUNDS = Math.max(1, Number(args.rounds));
const require = createRequire(import.meta.url);
const SUPERGATEWAY_BIN = require.resolve("supergateway/dist/index.js");
const MCP_PROXY_BIN = require.resolve("mcp-proxy/dist/bin/mcp-proxy.mjs");
const EVERYTHING_CMD = `${process.execPath} ${EVERYTHING_BIN} stdio`;

interface Target {
  name: string;
  tool: string;
  /** SDK client: the latency runs (and direct stdio's throughput). */
  connect: () => Promise<Client>;
  /** Lean client session: the throughput runs. */
  lean?: () => Promise<LeanSession>;
  peer?: "supergateway" | "mcp-proxy";
  logged?: boolean;
  /** the proxy's process, for CPU accounting */
  pid?: number;
}

async function connectWith(transport: StdioClientTransport | StreamableHTTPClientTransport | SSEClientTransport): Promise<Client> {
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/**
 * The SDK transports pass one long-lived AbortSignal to every POST's fetch, and Node's fetch keeps
 * a listener on it per request until that request is garbage collected: over thousands of calls
 * the list grows and every add walks it, slowing the load generator (and warning past 1,500).
 * POSTs go without the signal here; the streams keep theirs so close() still ends them.
 */
const postsWithoutSignal: typeof fetch = (input, init) => {
  if (init?.method !== "POST") return fetch(input, init);
  const { signal: _unused, ...rest } = init;
  return fetch(input, rest);
};

function remote(name: string, tool: string, kind: "http" | "sse", url: string, auth: () => Promise<Record<string, string>>, extra: Partial<Target>): Target {
  return {
    name,
    tool,
    connect: async () => {
      const options = { requestInit: { headers: await auth() }, fetch: postsWithoutSignal };
      return connectWith(kind === "http" ? new StreamableHTTPClientTransport(new URL(url), options) : new SSEClientTransport(new URL(url), options));
    },
    lean: async () => (kind === "http" ? leanStreamable(url, await auth()) : leanSse(url, await auth())),
    ...extra,
  };
}

interface Measured {
  target: Target;
  single: Client;
  sdkClients: Client[];
  sessions: LeanSession[];
  samples: number[];
  calls: number;
  wrong: number;
  seconds: number;
  cpu: CpuSnapshot;
  /** Proxy CPU µs per call of each round's throughput run (the A/B's paired comparison). */
  perRound: number[];
}

async function startPeers(project: Awaited<ReturnType<typeof createBenchProject>>, dbUrl: string, dataDir: string): Promise<Target[]> {
  const [gwPort, sgSsePort, sgHttpPort, proxyPort, basePort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const gw = `http://127.0.0.1:${gwPort}`;
  const env = { DATABASE_URL: dbUrl, SWITCHYARD_SECRET_KEY: project.secretKey, AUTH_SECRET: project.authSecret, SWITCHYARD_DATA_DIR: dataDir, STDIO_SERVERS: "on", HOST: "127.0.0.1", GATEWAY_PORT: String(gwPort), LOG_LEVEL: "error", ...(process.env.STDIO_SANDBOX ? { STDIO_SANDBOX: process.env.STDIO_SANDBOX } : {}) };
  const gateway = await startProcess("gateway", [CLI_BIN, "gateway"], env, httpOk(`${gw}/healthz`));
  const sgSse = await startProcess("supergateway (SSE)", [SUPERGATEWAY_BIN, "--stdio", EVERYTHING_CMD, "--port", String(sgSsePort), "--logLevel", "none"], {}, httpOk(`http://127.0.0.1:${sgSsePort}/ready`));
  const sgHttp = await startProcess("supergateway (Streamable)", [SUPERGATEWAY_BIN, "--stdio", EVERYTHING_CMD, "--outputTransport", "streamableHttp", "--stateful", "--port", String(sgHttpPort), "--logLevel", "none"], {}, httpOk(`http://127.0.0.1:${sgHttpPort}/ready`));
  const proxy = await startProcess("mcp-proxy", [MCP_PROXY_BIN, "--port", String(proxyPort), "--host", "127.0.0.1", "--", process.execPath, EVERYTHING_BIN, "stdio"], {}, httpOk(`http://127.0.0.1:${proxyPort}/ready`));
  const endpoint = `${gw}/projects/${project.projectId}`;
  const baseline = args.baseline
    ? await startProcess("baseline gateway", [join(args.baseline, "apps", "gateway", "bin", "switchyard.js"), "gateway"], { ...env, GATEWAY_PORT: String(basePort), SWITCHYARD_DATA_DIR: join(dataDir, "baseline") }, httpOk(`http://127.0.0.1:${basePort}/healthz`))
    : undefined;
  const baseEndpoint = `http://127.0.0.1:${basePort}/projects/${project.projectId}`;
  // Every gateway session gets its own key (at the highest per-key limit), as separate users would.
  const key = async () => ({ authorization: `Bearer ${await project.newKey()}` });
  const none = () => Promise.resolve({});
  return [
    { name: "direct stdio", tool: "echo", connect: () => connectWith(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING_BIN, "stdio"], stderr: "ignore" })) },
    remote("gateway Streamable HTTP", "everything__echo", "http", `${endpoint}/mcp`, key, { logged: true, pid: gateway.pid }),
    remote("gateway SSE", "everything__echo", "sse", `${endpoint}/sse`, key, { logged: true, pid: gateway.pid }),
    ...(baseline
      ? [
          remote("baseline gateway Streamable HTTP", "everything__echo", "http", `${baseEndpoint}/mcp`, key, { logged: true, pid: baseline.pid }),
          remote("baseline gateway SSE", "everything__echo", "sse", `${baseEndpoint}/sse`, key, { logged: true, pid: baseline.pid }),
        ]
      : []),
    remote("supergateway SSE", "echo", "sse", `http://127.0.0.1:${sgSsePort}/sse`, none, { peer: "supergateway", pid: sgSse.pid }),
    remote("supergateway Streamable", "echo", "http", `http://127.0.0.1:${sgHttpPort}/mcp`, none, { peer: "supergateway", pid: sgHttp.pid }),
    remote("mcp-proxy SSE", "echo", "sse", `http://127.0.0.1:${proxyPort}/sse`, none, { peer: "mcp-proxy", pid: proxy.pid }),
    remote("mcp-proxy Streamable", "echo", "http", `http://127.0.0.1:${proxyPort}/mcp`, none, { peer: "mcp-proxy", pid: proxy.pid }),
  ].filter((t) => args.only.length === 0 || args.only.some((text) => t.name.includes(text)));
}

async function main(): Promise<void> {
  const db = await openScratchDatabase("gateway");
  const project = await createBenchProject(db.handle);
  const dataDir = await mkdtemp(join(tmpdir(), "switchyard-bench-gw-"));
  const targets = await startPeers(project, db.url, dataDir);
  console.log(`bench:gateway — echo on server-everything; ${fmt(CALLS)} sequential calls at 1 client, ${SECONDS} s at ${SESSIONS} concurrent sessions per target`);
  console.log(`database: ${db.where}; targets measured in ${ROUNDS} interleaved rounds so load from elsewhere on the machine falls on all alike\n`);
  const measured: Measured[] = [];
  for (const target of targets) {
    const single = await target.connect();
    await latencySamples(single, target.tool, 0, 200);
    const sdkClients = target.lean ? [] : [await target.connect()];
    const sessions = target.lean ? await Promise.all(Array.from({ length: SESSIONS }, () => (target.lean as () => Promise<LeanSession>)())) : [];
    await Promise.all(sessions.map((s, i) => s.echo(target.tool, `warm ${i}`)));
    measured.push({ target, single, sdkClients, sessions, samples: [], calls: 0, wrong: 0, seconds: 0, cpu: NO_CPU, perRound: [] });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const m of measured) m.samples.push(...(await latencySamples(m.single, m.target.tool, Math.ceil(CALLS / ROUNDS), 20)));
    // Every other round runs the targets in reverse, so no build is always measured first.
    for (const m of round % 2 === 0 ? measured : [...measured].reverse()) {
      const before = cpuSnapshot(m.target.pid);
      const run = m.target.lean ? await leanThroughputRun(m.sessions, m.target.tool, SECONDS / ROUNDS) : await throughputRun(m.sdkClients, m.target.tool, SECONDS / ROUNDS, SESSIONS);
      const spent = cpuSpent(before, cpuSnapshot(m.target.pid));
      m.calls += run.calls;
      m.wrong += run.wrong;
      m.seconds += run.seconds;
      m.cpu = addCpu(m.cpu, spent);
      m.perRound.push(run.calls > 0 ? (spent.self * 1000) / run.calls : Number.NaN);
    }
  }
  const results = new Map<string, { latency: LatencyResult; throughput: ThroughputResult }>();
  let gatewayCalls = 0;
  for (const m of measured) {
    const latency = summarizeLatency(m.samples);
    const throughput: ThroughputResult = { callsPerSecond: (m.calls - m.wrong) / m.seconds, calls: m.calls, wrong: m.wrong };
    results.set(m.target.name, { latency, throughput });
    if (m.target.logged) gatewayCalls += 200 + 20 * ROUNDS + latency.calls + m.sessions.length + m.calls;
    const wrong = m.wrong ? `  (${fmt(m.wrong)} of ${fmt(m.calls)} answers wrong or failed: not counted)` : "";
    console.log(`${m.target.name.padEnd(34)} median ${fmt(latency.median, 2).padStart(6)} ms   p99 ${fmt(latency.p99, 2).padStart(6)} ms   ${fmt(throughput.callsPerSecond).padStart(7)} calls/s${wrong}`);
    for (const s of m.sessions) s.close();
    await Promise.all([m.single, ...m.sdkClients].map((c) => c.close().catch(() => undefined)));
  }
  printCpu(measured);
  printAB(measured);
  printTargets(targets, results);
  await printRows(db.handle.sql, project.projectId, gatewayCalls);
  await rm(dataDir, { recursive: true, force: true });
}

const NO_CPU: CpuSnapshot = { self: 0, children: 0, postgres: 0, loadGenerator: 0, machineBusy: 0, machineTotal: 0 };

const addCpu = (a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot => ({
  self: a.self + b.self,
  children: a.children + b.children,
  postgres: a.postgres + b.postgres,
  loadGenerator: a.loadGenerator + b.loadGenerator,
  machineBusy: a.machineBusy + b.machineBusy,
  machineTotal: a.machineTotal + b.machineTotal,
});

/**
 * CPU µs per call during the throughput runs, by process group (10 ms tick resolution, summed over
 * the rounds), and how busy the machine's cores were meanwhile: a target whose machine was near
 * 100 % busy is bound by the machine's total CPU per call, not by its own process.
 */
function printCpu(measured: Measured[]): void {
  console.log(`\nCPU per call during the throughput runs (µs; proxy = the target's own process, upstream = its children; ${availableParallelism()} cores):`);
  console.log(`${"".padEnd(34)} ${"proxy".padStart(7)} ${"upstream".padStart(9)} ${"postgres".padStart(9)} ${"load gen".padStart(9)} ${"total".padStart(7)} ${"cores busy".padStart(11)}`);
  for (const m of measured) {
    if (m.calls === 0) continue;
    const per = (ms: number) => (ms * 1000) / m.calls;
    const { self, children, postgres, loadGenerator } = m.cpu;
    const row = [self, children, postgres, loadGenerator].map((ms) => fmt(per(ms)));
    const total = fmt(per(self + children + postgres + loadGenerator));
    const proxy = m.target.pid === undefined ? "—" : (row[0] ?? "");
    const upstream = m.target.pid === undefined ? "—" : (row[1] ?? "");
    const busy = m.cpu.machineTotal > 0 ? `${fmt((100 * m.cpu.machineBusy) / m.cpu.machineTotal)} %` : "—";
    console.log(`${m.target.name.padEnd(34)} ${proxy.padStart(7)} ${upstream.padStart(9)} ${(row[2] ?? "").padStart(9)} ${(row[3] ?? "").padStart(9)} ${total.padStart(7)} ${busy.padStart(11)}`);
  }
}

/**
 * With --baseline: each build's proxy CPU per call against the baseline's, round by round (the
 * two ran back to back in the same round), and the median of those ratios — steadier than the
 * totals on a shared machine, where one round's load can swing a single figure by ±30 %.
 */
function printAB(measured: Measured[]): void {
  const base = new Map(measured.filter((m) => m.target.name.startsWith("baseline ")).map((m) => [m.target.name.slice("baseline ".length), m]));
  if (base.size === 0) return;
  console.log(`\nA/B, proxy CPU per call against the baseline, round by round (${ROUNDS} rounds; median of the ratios):`);
  for (const m of measured) {
    const b = base.get(m.target.name);
    if (!b) continue;
    const ratios = m.perRound.map((v, i) => v / (b.perRound[i] ?? Number.NaN)).filter(Number.isFinite);
    const sorted = [...ratios].sort((x, y) => x - y);
    const median = sorted.length === 0 ? Number.NaN : sorted.length % 2 ? (sorted[(sorted.length - 1) / 2] as number) : ((sorted[sorted.length / 2 - 1] as number) + (sorted[sorted.length / 2] as number)) / 2;
    console.log(`${m.target.name.padEnd(34)} ${fmt((median - 1) * 100, 1).padStart(6)} %   rounds: ${ratios.map((r) => fmt(r, 2)).join(" ")}`);
  }
}

function printTargets(targets: Target[], results: Map<string, { latency: LatencyResult; throughput: ThroughputResult }>): void {
  const get = (name: string) => results.get(name) ?? { latency: { median: NaN, p99: NaN, calls: 0 }, throughput: { callsPerSecond: NaN, calls: 0, wrong: 0 } };
  const direct = get("direct stdio");
  const gwHttp = get("gateway Streamable HTTP");
  const addedMedian = gwHttp.latency.median - direct.latency.median;
  const addedP99 = gwHttp.latency.p99 - direct.latency.p99;
  const peers = targets.filter((t) => t.peer).map((t) => ({ t, r: get(t.name) }));
  if (targets.length < 7) {
    console.log("\ntargets: not judged (--only measured a subset of the targets)");
    return;
  }
  const supergateway = Math.max(...peers.filter((p) => p.t.peer === "supergateway").map((p) => p.r.throughput.callsPerSecond));
  const best = peers.reduce((a, b) => (b.r.throughput.callsPerSecond > a.r.throughput.callsPerSecond ? b : a));
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  console.log("\ntargets (gateway Streamable HTTP, auth + logging on):");
  console.log(`  added median vs direct stdio   ${fmt(addedMedian, 2)} ms   (target ≤ 1.0 ms)   ${verdict(addedMedian <= 1)}`);
  console.log(`  added p99 vs direct stdio      ${fmt(addedP99, 2)} ms   (target ≤ 5 ms)     ${verdict(addedP99 <= 5)}`);
  console.log(`  throughput vs supergateway     ${fmt(gwHttp.throughput.callsPerSecond / supergateway, 2)}×   (target ≥ 2×, best supergateway ${fmt(supergateway)} calls/s)   ${verdict(gwHttp.throughput.callsPerSecond >= 2 * supergateway)}`);
  console.log(`  throughput vs best peer        ${fmt(gwHttp.throughput.callsPerSecond / best.r.throughput.callsPerSecond, 2)}×   (target ≥ 1.5×, ${best.t.name} ${fmt(best.r.throughput.callsPerSecond)} calls/s)   ${verdict(gwHttp.throughput.callsPerSecond >= 1.5 * best.r.throughput.callsPerSecond)}`);
}

async function printRows(sql: Awaited<ReturnType<typeof openScratchDatabase>>["handle"]["sql"], projectId: string, expected: number): Promise<void> {
  let rows = 0;
  for (let i = 0; i < 50 && rows < expected; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    rows = (await sql<{ n: number }[]>`select count(*)::int as n from tool_call_logs where project_id = ${projectId}`)[0]?.n ?? 0;
  }
  console.log(`\ngateway call log: ${fmt(rows)} rows for ${fmt(expected)} calls through the gateway (${rows === expected ? "rows == calls" : "MISMATCH"})`);
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => void cleanupAll());
