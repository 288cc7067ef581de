/**
 * What bench:gateway prints: latency and calls/s per target and load, CPU per call by process
 * during the throughput runs, the A/B against a baseline build, the verdicts of issue #15
 * (docs/BENCHMARKS.md), and whether the call log holds a row per call.
 */
import { availableParallelism } from "node:os";
import { fmt, summarizeLatency } from "./gateway-support";
import { LOADS, type Load, type LoadResult, type Measured } from "./gateway-load";

const NAME = 34;
const LOAD_NAME: Record<Load, string> = { lean: "lean", sdk: "SDK" };

const callsPerSecond = (r: LoadResult | undefined) => (r ? (r.calls - r.wrong) / r.seconds : Number.NaN);
/** CPU µs per call of one field of a load's CPU snapshot. */
const perCall = (r: LoadResult | undefined, ms: (r: LoadResult) => number) => (r && r.calls > 0 ? (ms(r) * 1000) / r.calls : Number.NaN);
const proxyPerCall = (r: LoadResult | undefined) => perCall(r, (x) => x.cpu.self);
const cell = (n: number, width: number, digits = 0) => (Number.isFinite(n) ? fmt(n, digits) : "—").padStart(width);

export function printFigures(measured: Measured[], sessions: number): void {
  console.log(`${"".padEnd(NAME)} ${"median".padStart(8)} ${"p99".padStart(8)}   calls/s at ${sessions} sessions: ${"lean".padStart(7)} ${"SDK".padStart(7)}`);
  for (const m of measured) {
    const latency = summarizeLatency(m.samples);
    const wrong = LOADS.flatMap((load) => {
      const r = m.loads[load];
      return r?.wrong ? [`${LOAD_NAME[load]}: ${fmt(r.wrong)} of ${fmt(r.calls)} answers wrong or failed, not counted`] : [];
    });
    console.log(`${m.target.name.padEnd(NAME)} ${cell(latency.median, 5, 2)} ms ${cell(latency.p99, 5, 2)} ms   ${"".padEnd(24)}${cell(callsPerSecond(m.loads.lean), 7)} ${cell(callsPerSecond(m.loads.sdk), 7)}${wrong.length ? `  (${wrong.join("; ")})` : ""}`);
  }
}

/**
 * CPU µs per call during the throughput runs, by process group (10 ms tick resolution, summed over
 * the rounds), and how busy the machine's cores were meanwhile: a target whose machine was near
 * 100 % busy is bound by the machine's total CPU per call, not by its own process.
 */
export function printCpu(measured: Measured[]): void {
  console.log(`\nCPU per call during the throughput runs (µs; proxy = the target's own process, upstream = its children, postgres = the scratch database's backends; ${availableParallelism()} cores):`);
  console.log(`${"".padEnd(NAME)} ${"load".padEnd(5)} ${"proxy".padStart(7)} ${"upstream".padStart(9)} ${"postgres".padStart(9)} ${"load gen".padStart(9)} ${"total".padStart(7)} ${"cores busy".padStart(11)}`);
  for (const m of measured) {
    for (const load of LOADS) {
      const r = m.loads[load];
      if (!r || r.calls === 0) continue;
      const own = m.target.pid !== undefined;
      const busy = r.cpu.machineTotal > 0 ? `${fmt((100 * r.cpu.machineBusy) / r.cpu.machineTotal)} %` : "—";
      const total = perCall(r, (x) => x.cpu.self + x.cpu.children + x.cpu.postgres + x.cpu.loadGenerator);
      console.log(
        `${m.target.name.padEnd(NAME)} ${LOAD_NAME[load].padEnd(5)} ${own ? cell(proxyPerCall(r), 7) : "—".padStart(7)} ${own ? cell(perCall(r, (x) => x.cpu.children), 9) : "—".padStart(9)} ${cell(perCall(r, (x) => x.cpu.postgres), 9)} ${cell(perCall(r, (x) => x.cpu.loadGenerator), 9)} ${cell(total, 7)} ${busy.padStart(11)}`,
      );
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * With --baseline: each build's proxy CPU per call against the baseline's under the lean load,
 * round by round (the two ran back to back in the same round), and the median of those ratios —
 * steadier than the totals on a shared machine, where one round's load can swing a figure ±30 %.
 */
export function printAB(measured: Measured[], rounds: number): void {
  const base = new Map(measured.filter((m) => m.target.kind === "baseline").map((m) => [m.target.name.slice("baseline ".length), m]));
  if (base.size === 0) return;
  console.log(`\nA/B, proxy CPU per call against the baseline under the lean load, round by round (${rounds} rounds; median of the ratios):`);
  for (const m of measured) {
    const b = base.get(m.target.name);
    if (!b || m.target.kind !== "gateway") continue;
    const theirs = b.loads.lean?.perRound ?? [];
    const ratios = (m.loads.lean?.perRound ?? []).map((v, i) => v / (theirs[i] ?? Number.NaN)).filter(Number.isFinite);
    console.log(`${m.target.name.padEnd(NAME)} ${fmt((median(ratios) - 1) * 100, 1).padStart(6)} %   rounds: ${ratios.map((r) => fmt(r, 2)).join(" ")}`);
  }
}

/** The verdicts of issue #15; each needs its targets in the run (--only may leave them out). */
export function printVerdicts(measured: Measured[]): void {
  const byName = new Map(measured.map((m) => [m.target.name, m]));
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const line = (label: string, text: string) => console.log(`  ${label.padEnd(52)} ${text}`);
  if (!measured.some((m) => m.target.kind === "gateway")) {
    console.log("\nverdicts: not judged (the gateway was not measured)");
    return;
  }
  console.log("\nverdicts (gateway: API key, rate limit and call log on):");
  for (const transport of ["Streamable HTTP", "SSE"]) {
    const gw = byName.get(`gateway ${transport}`);
    if (!gw) continue;
    const bare = byName.get(`bare pipe proxy ${transport}`);
    const direct = byName.get("direct stdio");
    const mcpProxySse = byName.get("mcp-proxy SSE");
    const supergateways = measured.filter((m) => m.target.kind === "supergateway");
    const cpuRatio = (load: Load) => proxyPerCall(gw.loads[load]) / proxyPerCall(bare?.loads[load]);
    if (bare) {
      const ratio = cpuRatio("lean");
      line(`${transport}: gateway CPU/call ≤ 1.3× bare pipe proxy's`, `${fmt(ratio, 2)}× (${fmt(proxyPerCall(gw.loads.lean))} vs ${fmt(proxyPerCall(bare.loads.lean))} µs, lean load; SDK load ${fmt(cpuRatio("sdk"), 2)}×)   ${verdict(ratio <= 1.3)}`);
    } else line(`${transport}: gateway CPU/call ≤ 1.3× bare pipe proxy's`, "not judged (bare pipe proxy not measured)");
    const ours = callsPerSecond(gw.loads.sdk);
    if (mcpProxySse) {
      const ratio = ours / callsPerSecond(mcpProxySse.loads.sdk);
      line(`${transport}: calls/s ≥ 1.3× mcp-proxy SSE (SDK load)`, `${fmt(ratio, 2)}× (${fmt(ours)} vs ${fmt(callsPerSecond(mcpProxySse.loads.sdk))})   ${verdict(ratio >= 1.3)}`);
    } else line(`${transport}: calls/s ≥ 1.3× mcp-proxy SSE (SDK load)`, "not judged (mcp-proxy SSE not measured)");
    if (supergateways.length > 0) {
      const best = Math.max(...supergateways.map((m) => callsPerSecond(m.loads.sdk)));
      line(`${transport}: calls/s ≥ 3× supergateway (SDK load, best)`, `${fmt(ours / best, 2)}× (${fmt(ours)} vs ${fmt(best)})   ${verdict(ours >= 3 * best)}`);
    } else line(`${transport}: calls/s ≥ 3× supergateway (SDK load, best)`, "not judged (supergateway not measured)");
    if (direct) {
      const added = summarizeLatency(gw.samples).median - summarizeLatency(direct.samples).median;
      line(`${transport}: added median ≤ 0.5 ms over direct stdio`, `${fmt(added, 2)} ms   ${verdict(added <= 0.5)}`);
    } else line(`${transport}: added median ≤ 0.5 ms over direct stdio`, "not judged (direct stdio not measured)");
  }
  const logged = measured.filter((m) => m.target.kind === "gateway").flatMap((m) => LOADS.flatMap((load) => m.loads[load] ?? []));
  if (logged.length > 0) {
    const calls = logged.reduce((n, r) => n + r.calls, 0);
    const pgUs = (logged.reduce((n, r) => n + r.cpu.postgres, 0) * 1000) / calls;
    line("Postgres CPU per logged call ≤ 25 µs", `${fmt(pgUs, 1)} µs (gateway throughput runs, both loads)   ${verdict(pgUs <= 25)}`);
  }
}

export async function printRows(count: () => Promise<number>, expected: number): Promise<void> {
  let rows = 0;
  for (let i = 0; i < 50 && rows < expected; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    rows = await count();
  }
  console.log(`\ngateway call log: ${fmt(rows)} rows for ${fmt(expected)} calls through the gateway (${rows === expected ? "rows == calls" : "MISMATCH"})`);
}
