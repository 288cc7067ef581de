/**
 * `npm run bench:gateway` — tools/call `echo` on server-everything through every path in one run
 * (docs/BENCHMARKS.md): direct stdio; the gateway over Streamable HTTP and legacy SSE (API-key
 * auth, rate limiting and call logging on); the bare pipe proxy (bench/bare-pipe-proxy.ts:
 * node:http and a raw pipe to the same upstream, the floor); mcp-proxy and supergateway — each a
 * separate process (bench/gateway-targets.ts). Latency at one SDK client; calls/s at 50 concurrent
 * sessions of the lean client and of the SDK client (bench/gateway-load.ts); CPU per call of the
 * proxy, its upstream, Postgres and the load generator from /proc; the verdicts of issue #15
 * (bench/gateway-report.ts). Answers are checked: a wrong echo (a proxy mixing up sessions) is
 * reported and not counted.
 *
 * Database: a scratch database on DATABASE_URL's server (dropped afterwards) or an embedded Postgres.
 * Options: --calls N (latency calls per target, default 3000), --seconds N (throughput time per
 * target and load, default 6), --sessions N (default 50), --rounds N (interleaved rounds, default 3),
 * --only TEXT (measure only targets whose name contains TEXT; repeatable), --baseline DIR (another
 * checkout of the repository, installed: its gateway runs beside this one on the same database as
 * the "baseline gateway …" targets, for an A/B of two builds in one run; STDIO_SANDBOX=off in the
 * environment runs the gateways' stdio servers unsandboxed; REDIS_URL in the environment is passed
 * to the gateways: cluster-wide rate limits, call caps and the session bus on Redis), --cpu-prof (runs the gateway(s) under
 * `node --cpu-prof` and writes a summary, folded stacks and a flame graph per gateway into
 * --profile-dir DIR, default docs/profiles/bench-gateway-<time>; bench/cpu-profile.ts).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { summarizeProfiles, type Window } from "./cpu-profile";
import { cleanupAll, createBenchProject, fmt, openScratchDatabase } from "./gateway-support";
import { measureAll } from "./gateway-load";
import { printAB, printCpu, printFigures, printRows, printVerdicts } from "./gateway-report";
import { startTargets } from "./gateway-targets";
import { benchArgs, numberOption } from "./options";

const { values: args } = benchArgs({
  options: {
    calls: { type: "string", default: "3000" },
    seconds: { type: "string", default: "6" },
    sessions: { type: "string", default: "50" },
    rounds: { type: "string", default: "3" },
    only: { type: "string", multiple: true, default: [] },
    baseline: { type: "string" },
    "cpu-prof": { type: "boolean", default: false },
    "profile-dir": { type: "string" },
  },
});
const options = {
  calls: numberOption("calls", args.calls),
  seconds: numberOption("seconds", args.seconds, { fractions: true, min: 0.1 }),
  sessions: numberOption("sessions", args.sessions),
  rounds: numberOption("rounds", args.rounds),
};
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
// A relative --profile-dir is taken from where npm was run (INIT_CWD), not from the workspace npm runs the script in.
const profileDir = args["profile-dir"] ? resolve(process.env.INIT_CWD ?? process.cwd(), args["profile-dir"]) : join(REPO, "docs", "profiles", `bench-gateway-${new Date().toISOString().slice(0, 16).replace(":", "")}`);
const cpuProfDir = args["cpu-prof"] ? profileDir : undefined;

/** Throughput-run windows per profiled process (its --cpu-prof subdirectory). */
const profileWindows = new Map<string, Window[]>();

async function main(): Promise<void> {
  const started = performance.now();
  const db = await openScratchDatabase("gateway");
  const database = new URL(db.url).pathname.slice(1);
  const project = await createBenchProject(db.handle);
  const dataDir = await mkdtemp(join(tmpdir(), "switchyard-bench-gw-"));
  const targets = await startTargets(project, db.url, dataDir, { only: args.only, baseline: args.baseline, cpuProfDir });
  console.log(`bench:gateway — echo on server-everything; ${fmt(options.calls)} sequential calls at 1 SDK client, ${options.seconds} s at ${options.sessions} concurrent sessions per target and load (lean client, SDK client)`);
  console.log(`database: ${db.where}; targets measured in ${options.rounds} interleaved rounds so load from elsewhere on the machine falls on all alike${cpuProfDir ? "; gateway(s) under --cpu-prof (its sampling adds to their CPU)" : ""}\n`);
  const measured = await measureAll(targets, { ...options, database });
  for (const m of measured) {
    const label = m.target.kind === "gateway" ? "gateway" : m.target.kind === "baseline" ? "baseline-gateway" : undefined;
    if (label) profileWindows.set(label, [...(profileWindows.get(label) ?? []), ...m.windows]);
  }
  printFigures(measured, options.sessions);
  printCpu(measured);
  printAB(measured, options.rounds);
  printVerdicts(measured);
  const logged = measured.filter((m) => m.target.kind === "gateway" || m.target.kind === "baseline");
  if (logged.length > 0) {
    const count = async () => (await db.handle.sql<{ n: number }[]>`select count(*)::int as n from tool_call_logs where project_id = ${project.projectId}`)[0]?.n ?? 0;
    await printRows(count, logged.reduce((n, m) => n + m.sent, 0));
  }
  await rm(dataDir, { recursive: true, force: true });
  console.log(`\nrun took ${fmt((performance.now() - started) / 1000)} s`);
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    // The gateways write their profiles as they exit, which cleanupAll waits for.
    await cleanupAll();
    if (cpuProfDir) for (const path of summarizeProfiles(cpuProfDir, profileWindows)) console.log(`profile summary: ${path}`);
    // After a failure, SDK clients left open (direct stdio's child among them) would keep the process alive.
    process.exit();
  });
