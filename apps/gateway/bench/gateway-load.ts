/**
 * How bench:gateway loads each target: latency at one SDK client, then throughput at N concurrent
 * sessions twice — N lean client sessions (bench/lean-mcp-client.ts: the proxy, not the load
 * generator, is what runs out of CPU) and N SDK `Client` sessions (what users run; on two cores
 * the SDK client itself can be the bottleneck, so its own CPU per call is reported too). Rounds
 * interleave the targets, every other round in reverse, so load from elsewhere on the machine
 * falls on all alike and no target is always measured first.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { latencySamples, leanThroughputRun, throughputRun } from "./gateway-support";
import type { Target } from "./gateway-targets";
import type { LeanSession } from "./lean-mcp-client";
import { nowMicros, type Window } from "./cpu-profile";
import { cpuSnapshot, cpuSpent, type CpuSnapshot } from "./process-cpu";

export type Load = "lean" | "sdk";
export const LOADS: Load[] = ["lean", "sdk"];

export interface LoadResult {
  calls: number;
  wrong: number;
  seconds: number;
  /** CPU ms over the throughput runs, summed over the rounds. */
  cpu: CpuSnapshot;
  /** The proxy's CPU µs per call in each round (the A/B's paired comparison). */
  perRound: number[];
}

export interface Measured {
  target: Target;
  /** Latency samples (ms) at one SDK client. */
  samples: number[];
  /** Calls that reached the target in all (warm-ups included): the call log's expected rows. */
  sent: number;
  loads: Partial<Record<Load, LoadResult>>;
  /** When the throughput runs were (for --cpu-prof: the samples that count). */
  windows: Window[];
}

export interface LoadOptions {
  calls: number;
  seconds: number;
  sessions: number;
  rounds: number;
  /** The scratch database: Postgres CPU counts only its backends. */
  database: string;
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

interface Open {
  m: Measured;
  single: Client;
  sdk: Client[];
  lean: LeanSession[];
}

const LATENCY_WARMUP = 200;
/**
 * Pause after each throughput run before reading CPU: the gateway writes its call log every 100 ms,
 * and the last batch's Postgres and gateway CPU belongs to this target, not to the next one.
 */
const SETTLE_MS = 400;
const ROUND_WARMUP = 20;

/**
 * Opening a session is not measured, so a failed one is tried again: on a loaded machine a peer
 * that spawns a process per session (supergateway) can take long enough that a kept-alive socket
 * is closed by the server just as the next request goes out (ECONNRESET).
 */
async function withRetry<T>(open: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await open();
    } catch (e) {
      if (i >= attempts) throw e;
    }
  }
}

async function openSessions(target: Target, sessions: number): Promise<Open> {
  const single = await withRetry(target.connect);
  await latencySamples(single, target.tool, 0, LATENCY_WARMUP);
  // Direct stdio has no sessions to open: its SDK load is one connection with N calls in flight.
  const sdk = target.kind === "direct" ? [await target.connect()] : await Promise.all(Array.from({ length: sessions }, () => withRetry(target.connect)));
  const lean = target.lean ? await Promise.all(Array.from({ length: sessions }, () => withRetry(target.lean as () => Promise<LeanSession>))) : [];
  await Promise.all(lean.map((s, i) => withRetry(() => s.echo(target.tool, `warm ${i}`))));
  return { m: { target, samples: [], sent: LATENCY_WARMUP + lean.length, loads: {}, windows: [] }, single, sdk, lean };
}

/** Opens every target's sessions, warms them, and runs the rounds. */
export async function measureAll(targets: Target[], o: LoadOptions): Promise<Measured[]> {
  const open: Open[] = [];
  for (const target of targets) {
    process.stderr.write(`opening sessions on ${target.name}\n`);
    open.push(await openSessions(target, o.sessions).catch((e: unknown) => {
      throw new Error(`${target.name}: opening sessions failed`, { cause: e });
    }));
  }
  for (let round = 0; round < o.rounds; round++) {
    for (const { m, single } of open) {
      const samples = await latencySamples(single, m.target.tool, Math.ceil(o.calls / o.rounds), ROUND_WARMUP);
      m.samples.push(...samples);
      m.sent += ROUND_WARMUP + samples.length;
    }
    for (const load of LOADS) {
      for (const x of round % 2 === 0 ? open : [...open].reverse()) {
        if (load === "lean" && x.lean.length === 0) continue;
        const before = cpuSnapshot(x.m.target.pid, { database: o.database });
        const seconds = o.seconds / o.rounds;
        const from = nowMicros();
        const run = load === "lean" ? await leanThroughputRun(x.lean, x.m.target.tool, seconds) : await throughputRun(x.sdk, x.m.target.tool, seconds, x.m.target.kind === "direct" ? o.sessions : 1);
        x.m.windows.push([from, nowMicros()]);
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const spent = cpuSpent(before, cpuSnapshot(x.m.target.pid, { database: o.database }));
        const r = x.m.loads[load] ?? { calls: 0, wrong: 0, seconds: 0, cpu: NO_CPU, perRound: [] };
        x.m.loads[load] = { calls: r.calls + run.calls, wrong: r.wrong + run.wrong, seconds: r.seconds + run.seconds, cpu: addCpu(r.cpu, spent), perRound: [...r.perRound, run.calls > 0 ? (spent.self * 1000) / run.calls : Number.NaN] };
        x.m.sent += run.calls;
      }
    }
  }
  for (const x of open) {
    for (const s of x.lean) s.close();
    await Promise.all([x.single, ...x.sdk].map((c) => c.close().catch(() => undefined)));
  }
  return open.map((x) => x.m);
}
