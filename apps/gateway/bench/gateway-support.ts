/**
 * Shared by bench/gateway.ts and bench/sessions.ts: a scratch database (on DATABASE_URL's server,
 * dropped afterwards, or an embedded Postgres), a project with server-everything and API keys
 * made through the real services, child processes that die with the benchmark, and the
 * latency/throughput loops every target is measured with.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { LeanSession } from "./lean-mcp-client";
import { CLI_ACTOR, type ServiceDeps } from "@switchyard/core/context";
import { createApiKey, createProject, createServer, createTeam, createUser } from "@switchyard/core/services";
import { Keyring } from "@switchyard/core/secrets";
import { ZERO_SETUP_POLICY } from "@switchyard/core/servers";
import { freePort, type DbHandle } from "@switchyard/db";
import { onCleanup } from "./scratch-database";

export { cleanupAll, openScratchDatabase } from "./scratch-database";

const require = createRequire(import.meta.url);
export const EVERYTHING_BIN = join(dirname(require.resolve("@modelcontextprotocol/server-everything/package.json")), "dist", "index.js");
export const CLI_BIN = fileURLToPath(new URL("../bin/switchyard.js", import.meta.url));

export interface BenchProject {
  projectId: string;
  secretKey: string;
  authSecret: string;
  newKey: () => Promise<string>;
}

/** A project with server-everything (stdio, shared isolation) registered. */
export async function createBenchProject(handle: DbHandle): Promise<BenchProject> {
  const secretKey = randomBytes(32).toString("hex");
  const deps: ServiceDeps = { db: handle.db, keyring: Keyring.fromStrings(secretKey), policy: ZERO_SETUP_POLICY };
  const user = await createUser(deps, CLI_ACTOR, { email: `bench-${randomBytes(3).toString("hex")}@example.com`, password: "bench password 123" });
  const team = await createTeam(deps, CLI_ACTOR, { name: "Bench", owner: user.id });
  const project = await createProject(deps, CLI_ACTOR, team.id, { name: "Bench" });
  await createServer(deps, CLI_ACTOR, project, { name: "everything", transport: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio"] });
  return {
    projectId: project.id,
    secretKey,
    authSecret: randomBytes(32).toString("hex"),
    // Each measured run gets its own key at the highest per-key limit, so no run is rate limited.
    newKey: async () => (await createApiKey(deps, CLI_ACTOR, project, { name: `bench-${randomBytes(3).toString("hex")}`, rateLimitPerMinute: 100_000 })).key,
  };
}

/** Spawns a process that is killed when the benchmark ends; resolves once `ready` answers. */
export async function startProcess(name: string, args: string[], env: Record<string, string>, ready: () => Promise<boolean>): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000)));
  onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  });
  const until = Date.now() + 60_000;
  while (!(await ready().catch(() => false))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > until) throw new Error(`${name} did not become ready: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}

export const httpOk = (url: string) => async () => (await fetch(url)).status < 500;

export { freePort };

// ---- measurement ------------------------------------------------------------------------------

export interface LatencyResult {
  median: number;
  p99: number;
  calls: number;
}

export interface ThroughputResult {
  callsPerSecond: number;
  calls: number;
  /** Answers that were not the echo of what this client sent (a proxy mixing sessions up), or errors. */
  wrong: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** One echo call; true when the answer is this call's echo. */
export async function echo(client: Client, tool: string, message: string): Promise<boolean> {
  const result = await client.callTool({ name: tool, arguments: { message } });
  const first = (result.content as { type: string; text?: string }[] | undefined)?.[0];
  return first?.text === `Echo: ${message}`;
}

/** Sequential calls on one client; returns each call's duration in ms. */
export async function latencySamples(client: Client, tool: string, calls: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await echo(client, tool, `warm ${i}`);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    if (!(await echo(client, tool, `lat ${i}`))) throw new Error(`wrong answer from ${tool}`);
    times.push(performance.now() - t0);
  }
  return times;
}

export function summarizeLatency(samples: number[]): LatencyResult {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99), calls: sorted.length };
}

/** Every client calls in a loop for `seconds`; with one client, `concurrency` calls run on it at once. */
export async function throughputRun(clients: Client[], tool: string, seconds: number, concurrency = 1): Promise<{ calls: number; wrong: number; seconds: number }> {
  let calls = 0;
  let wrong = 0;
  const started = performance.now();
  const until = started + seconds * 1_000;
  const loops = clients.flatMap((client, c) =>
    Array.from({ length: concurrency }, async (_, k) => {
      for (let i = 0; performance.now() < until; i++) {
        const ok = await echo(client, tool, `c${c}.${k}.${i}`).catch(() => false);
        calls++;
        if (!ok) wrong++;
      }
    }),
  );
  await Promise.all(loops);
  return { calls, wrong, seconds: (performance.now() - started) / 1_000 };
}

/** The same loop over lean sessions (see lean-mcp-client.ts). */
export async function leanThroughputRun(sessions: LeanSession[], tool: string, seconds: number): Promise<{ calls: number; wrong: number; seconds: number }> {
  let calls = 0;
  let wrong = 0;
  const started = performance.now();
  const until = started + seconds * 1_000;
  await Promise.all(
    sessions.map(async (session, c) => {
      for (let i = 0; performance.now() < until; i++) {
        const message = `c${c}.${i}`;
        const text = await session.echo(tool, message).catch(() => undefined);
        calls++;
        if (text !== `Echo: ${message}`) wrong++;
      }
    }),
  );
  return { calls, wrong, seconds: (performance.now() - started) / 1_000 };
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
