/** Child processes for end-to-end tests: output kept in a log file, stopped with SIGTERM then SIGKILL. */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";

export const RESULTS_DIR = join(import.meta.dirname, "..", "..", "test-results");

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  stop: () => Promise<void>;
}

export function startProcess(name: string, command: string, args: string[], opts: { env: Record<string, string>; cwd: string }): RunningProcess {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logFile = join(RESULTS_DIR, `${name}.log`);
  const log = createWriteStream(logFile);
  // The IPC channel lets the gateway's `exitWithParent` end it if this test process dies.
  const stdio: StdioOptions = ["ignore", "pipe", "pipe", "ipc"];
  const child: ChildProcess = spawn(command, args, { env: opts.env as NodeJS.ProcessEnv, cwd: opts.cwd, stdio });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name,
    child,
    logFile,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}

/** Polls until `url` answers below 500; fails early if the process exits. */
export async function waitForHttp(url: string, proc: RunningProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited (code ${proc.child.exitCode}) before ${url} answered; see ${proc.logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000), redirect: "manual" });
      if (res.status < 500) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last}); see ${proc.logFile}`);
}
