/** Small helpers for benchmarks that time whole processes: spawn, wait for output or HTTP, stop. */
import { spawn, type ChildProcess } from "node:child_process";

export interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function startProc(command: string, args: string[], opts: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Proc {
  const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"], detached: true });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  child.stdin?.end(opts.input ?? "");
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Runs to completion; throws with the output on a non-zero exit. Returns the output and wall time. */
export async function run(command: string, args: string[], opts: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Promise<{ out: string; ms: number }> {
  const started = performance.now();
  const p = startProc(command, args, opts);
  const code = await p.exited;
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${code}:\n${p.output()}`);
  return { out: p.output(), ms };
}

export async function waitForOutput(p: Proc, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!p.output().includes(text)) {
    if (p.child.exitCode !== null) throw new Error(`exited before printing "${text}":\n${p.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await fetch(url).then((r) => r.status, () => 0);
    if (got === status) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Ctrl-C to the process group, then wait. */
export async function interrupt(p: Proc): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) process.kill(-(p.child.pid ?? 0), "SIGINT");
  await p.exited;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
