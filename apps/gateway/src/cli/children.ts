/**
 * The processes `switchyard start` supervises (gateway, worker, console): started with an
 * explicit environment, their output prefixed, and all stopped together.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface Supervised {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
  /** When the child last printed a line: a child still printing is still making progress. */
  lastOutputAt: number;
}

export function startChild(spec: ChildSpec, onLine: (name: string, line: string) => void): Supervised {
  // The IPC channel lets our own children notice when this process dies (see exitWithParent).
  const child = spawn(spec.command, spec.args, { env: spec.env, cwd: spec.cwd, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const supervised: Supervised = { name: spec.name, process: child, exited: Promise.resolve(null), lastOutputAt: Date.now() };
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => {
      supervised.lastOutputAt = Date.now();
      onLine(spec.name, line);
    });
  }
  supervised.exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", (e) => {
      onLine(spec.name, `failed to start: ${e.message}`);
      resolve(-1);
    });
  });
  return supervised;
}

/** SIGTERM, then SIGKILL after `graceMs` for anything still running. */
export async function stopChild(child: Supervised, graceMs = 15_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}

export interface ReadyWait {
  /** Give up after the child has been silent and unready for this long. */
  silenceLimitMs: number;
  /** Called every `progressEveryMs` while waiting, with the time waited so far. */
  onProgress: (waitedMs: number) => void;
  progressEveryMs?: number;
}

/**
 * Polls `url` until it answers below 500 (a console redirecting to its login page counts as up).
 * There is no fixed deadline: a slow machine's first start is still healthy while the child runs
 * and keeps printing; the wait ends when the child exits or stays silent past the limit.
 */
export async function waitForHttp(child: Supervised, url: string, opts: ReadyWait): Promise<void> {
  const started = Date.now();
  let lastError = "";
  let nextProgress = started + (opts.progressEveryMs ?? 10_000);
  for (;;) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) throw new Error(`the ${child.name} exited before it answered on ${url} (its output is above)`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status < 500) return;
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    const now = Date.now();
    const silentFor = now - Math.max(child.lastOutputAt, started);
    if (silentFor > opts.silenceLimitMs) {
      throw new Error(`the ${child.name} printed nothing and did not answer on ${url} for ${Math.round(silentFor / 1000)} s (${lastError}): see its output above, or raise SWITCHYARD_START_TIMEOUT_SECONDS on a very slow machine`);
    }
    if (now >= nextProgress) {
      opts.onProgress(now - started);
      nextProgress = now + (opts.progressEveryMs ?? 10_000);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
