/** The real `@modelcontextprotocol/server-everything` in an HTTP mode on a free port, and process checks. */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort } from "@switchyard/db";
import { testPath } from "./env";

const require = createRequire(import.meta.url);

/** Absolute path of server-everything's entry point (`mcp-server-everything [stdio|sse|streamableHttp]`). */
export const EVERYTHING_BIN = join(dirname(require.resolve("@modelcontextprotocol/server-everything/package.json")), "dist", "index.js");

export interface RunningEverything {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts server-everything in `sse` or `streamableHttp` mode (on `port`, or a free one) and waits until it listens. */
export async function startEverything(mode: "sse" | "streamableHttp", port?: number): Promise<RunningEverything> {
  port ??= await freePort();
  const child = spawn(process.execPath, [EVERYTHING_BIN, mode], { env: { PATH: testPath(), PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything ${mode} did not start`)), 15_000);
    let seen = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (/listening on port|running on port/i.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`server-everything ${mode} exited with ${code}: ${seen}`)));
  });
  return {
    port,
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Whether a process with this pid still runs (a zombie waiting to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Pids of running processes whose command line contains `marker`. */
export function pidsWithArg(marker: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, "utf8").includes(marker) && isAlive(Number(d));
      } catch {
        return false;
      }
    })
    .map(Number);
}
