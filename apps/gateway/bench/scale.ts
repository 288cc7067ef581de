/**
 * `npm run bench:scale` — the gateway scaled out (docs/BENCHMARKS.md, docs/DEPLOY.md): one
 * instance, then two, behind the fault suite's round-robin balancer (test/cluster: own Postgres
 * and Redis, `switchyard gateway` processes, server-everything over stdio), the same load for each:
 * calls/s, p50/p99 per call and gateway CPU per call (the gateway processes and their upstream
 * children). With two instances, requests of a session land on either instance, so the difference
 * in CPU per call is what serving a session from any instance costs (printed as the relayed
 * calls' extra cost). Then 5,000 open sessions spread over both instances through the balancer.
 * Options: --seconds N (per run, default 8), --sessions N (concurrent sessions, half Streamable
 * HTTP and half SSE, default 32), --idle N (open sessions, default 5000).
 */
import { randomBytes } from "node:crypto";
import { startCluster, everything } from "../test/cluster/cluster";
import { startRoundRobinProxy } from "../test/cluster/round-robin-proxy";
import { fmt } from "./gateway-support";
import { leanSse, leanStreamable, openIdleSession, type LeanSession } from "./lean-mcp-client";
import { cpuSnapshot, cpuSpent } from "./process-cpu";
import { benchArgs, numberOption } from "./options";

const { values: args } = benchArgs({ options: { seconds: { type: "string", default: "8" }, sessions: { type: "string", default: "32" }, idle: { type: "string", default: "5000" } } });
const SECONDS = numberOption("seconds", args.seconds, { fractions: true, min: 0.1 });
const SESSIONS = numberOption("sessions", args.sessions);
const IDLE = numberOption("idle", args.idle, { min: 0 });
const METRICS_TOKEN = randomBytes(16).toString("hex");

/** A lean SSE session waits for its answers on the stream: one that never comes must not stop the run. */
const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

interface RunResult {
  name: string;
  calls: number;
  errors: number;
  openFailed: number;
  callsPerSecond: number;
  p50: number;
  p99: number;
  cpuMsPerCall: number;
}

// One key opens every session: the per-key and per-project session caps (cluster-wide with Redis) are lifted.
const cluster = await startCluster({ instances: 2, env: { METRICS_TOKEN, DEFAULT_KEY_RATE_LIMIT_PER_MINUTE: "1000000", MAX_SESSIONS_PER_KEY: "100000", MAX_SESSIONS_PER_PROJECT: "100000" } });
try {
  const { key } = await cluster.newKey();
  await cluster.addServer(everything());
  const auth = { authorization: `Bearer ${key}` };
  const [first] = cluster.gateways;
  if (!first) throw new Error("no gateway");
  const single = await startRoundRobinProxy([first.url]);
  const endpoints = (base: string) => ({ http: `${base}/projects/${cluster.project.id}/mcp`, sse: `${base}/projects/${cluster.project.id}/sse` });
  // Each instance starts its upstream and learns the key before anything is measured.
  for (const g of cluster.gateways) await (await leanStreamable(endpoints(g.url).http, auth)).echo("everything__echo", "warm");

  const run = async (name: string, base: string, pids: (number | undefined)[]): Promise<RunResult> => {
    const { http, sse } = endpoints(base);
    let openFailed = 0;
    const opened = await Promise.all(Array.from({ length: SESSIONS }, (_, i) => within(5_000, i % 2 ? leanSse(sse, auth) : leanStreamable(http, auth)).catch(() => void openFailed++)));
    const sessions = opened.filter((s): s is LeanSession => s !== undefined);
    const loop = async (until: number, latencies?: number[]) => {
      let calls = 0;
      let errors = 0;
      await Promise.all(
        sessions.map(async (session, c) => {
          for (let i = 0; performance.now() < until; i++) {
            const message = `${c}.${i}`;
            const started = performance.now();
            const text = await within(5_000, session.echo("everything__echo", message)).catch(() => undefined);
            latencies?.push(performance.now() - started);
            calls++;
            if (text !== `Echo: ${message}`) errors++;
          }
        }),
      );
      return { calls, errors };
    };
    await loop(performance.now() + 1_000);
    const latencies: number[] = [];
    const before = pids.map((pid) => cpuSnapshot(pid));
    const started = performance.now();
    const { calls, errors } = await loop(started + SECONDS * 1_000, latencies);
    const seconds = (performance.now() - started) / 1_000;
    const spent = pids.map((pid, i) => cpuSpent(before[i] ?? cpuSnapshot(pid), cpuSnapshot(pid)));
    for (const s of sessions) s.close();
    latencies.sort((a, b) => a - b);
    const gatewayCpu = spent.reduce((sum, s) => sum + s.self + s.children, 0);
    return { name, calls, errors, openFailed, callsPerSecond: calls / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), cpuMsPerCall: gatewayCpu / Math.max(1, calls) };
  };

  const results: RunResult[] = [];
  for (const [name, base, pids] of [
    ["1 instance", single.url, [first.pid()]],
    [`${cluster.gateways.length} instances`, cluster.proxy.url, cluster.gateways.map((g) => g.pid())],
  ] as const) {
    process.stderr.write(`measuring ${name}…\n`);
    results.push(await run(name, base, [...pids]));
  }
  await single.close();
  console.log(`\nbench:scale — ${SESSIONS} sessions (half Streamable HTTP, half SSE), echo on server-everything (stdio), ${SECONDS} s per run, round-robin balancer in the load generator's process\n`);
  console.log(["target", "calls/s", "p50 ms", "p99 ms", "gateway CPU ms/call", "errors", "sessions not opened"].join(" | "));
  for (const r of results) console.log([r.name, fmt(r.callsPerSecond), fmt(r.p50, 2), fmt(r.p99, 2), fmt(r.cpuMsPerCall, 3), r.errors, r.openFailed].join(" | "));
  const [one, two] = results;
  if (one && two) console.log(`\nrelayed calls' extra cost: ${fmt(two.cpuMsPerCall - one.cpuMsPerCall, 3)} ms gateway CPU per call; throughput ${fmt((100 * two.callsPerSecond) / one.callsPerSecond - 100, 1)} % against one instance`);

  // Open sessions spread over every instance through the balancer, held open idle.
  const started = performance.now();
  const idle: { end: () => Promise<void> }[] = [];
  let idleFailed = 0;
  for (let i = 0; i < IDLE; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, IDLE - i) }, () => within(10_000, openIdleSession(endpoints(cluster.proxy.url).http, auth)).catch(() => void idleFailed++)));
    for (const s of batch) if (s) idle.push(s);
  }
  const openSeconds = (performance.now() - started) / 1_000;
  const perInstance = await Promise.all(
    cluster.gateways.map(async (g) => {
      const text = await (await fetch(`${g.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      const open = [...text.matchAll(/switchyard_open_sessions\{[^}]*\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      const rss = Number(/switchyard_gateway_process_resident_memory_bytes (\d+)/.exec(text)?.[1] ?? 0);
      return `${g.name}: ${open} open, ${fmt(rss / 1024 / 1024)} MB RSS`;
    }),
  );
  console.log(`\n${IDLE} sessions opened through the balancer in ${fmt(openSeconds, 1)} s: ${idle.length} open, ${idleFailed} failed; ${perInstance.join("; ")}`);
  for (let i = 0; i < idle.length; i += 100) await Promise.all(idle.slice(i, i + 100).map((s) => s.end().catch(() => undefined)));
} finally {
  await cluster.close();
}
