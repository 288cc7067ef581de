/**
 * One `switchyard gateway` process as an operator runs it (the compose file's configuration),
 * on a fixed loopback port so a restart comes back where the balancer expects it; or the
 * `switchyard worker` beside it (ready once `ready` says so).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "@switchyard/db";
import { baseEnv, CLI_BIN } from "@switchyard/gateway/testing";

export interface GatewayProcess {
  name: string;
  url: string;
  pid: () => number | undefined;
  start: () => Promise<void>;
  /** SIGTERM (drain, then exit) or SIGKILL (instance death); resolves with the exit code once gone. */
  stop: (signal?: "SIGTERM" | "SIGKILL") => Promise<number | null>;
  stderr: () => string;
}

export async function gatewayProcess(name: string, env: Record<string, string>, command: "gateway" | "worker" = "gateway", ready?: () => Promise<boolean>): Promise<GatewayProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let stderr = "";
  const start = async () => {
    const proc = spawn(process.execPath, [CLI_BIN, command], {
      env: baseEnv({ STDIO_SERVERS: "on", STDIO_SANDBOX: "off", HOST: "127.0.0.1", GATEWAY_PORT: String(port), LOG_LEVEL: "warn", TRUST_PROXY: "1", ...env }),
      stdio: ["ignore", "ignore", "pipe"],
    });
    child = proc;
    proc.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8_000)));
    const until = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}: ${stderr}`);
      let last = "";
      const up = await (ready ? ready().catch(() => false) : fetch(`${url}/readyz`).then(async (r) => ((last = await r.text()), r.ok), () => false));
      if (up) return;
      if (Date.now() > until) throw new Error(`${name} not ready (${last}): ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const stop = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return proc?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    proc.kill(signal);
    return exited;
  };
  return { name, url, pid: () => child?.pid, start, stop, stderr: () => stderr };
}
