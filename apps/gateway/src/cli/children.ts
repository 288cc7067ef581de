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
}

export function startChild(spec: ChildSpec, onLine: (name: string, line: string) => void): Supervised {
  // The IPC channel lets our own children notice when this process dies (see exitWithParent).
  const child = spawn(spec.command, spec.args, { env: spec.env, cwd: spec.cwd, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", (line) => onLine(spec.name, line));
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", (e) => {
      onLine(spec.name, `failed to start: ${e.message}`);
      resolve(-1);
    });
  });
  return { name: spec.name, process: child, exited };
}

/** SIGTERM, then SIGKILL after `graceMs` for anything still running. */
export async function stopChild(child: Supervised, graceMs = 15_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** Polls `url` until it answers below 500 (a console redirecting to its login page counts as up). */
export async function waitForHttp(url: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`process exited before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status < 500) return;
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError})`);
}
