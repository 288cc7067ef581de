/** Runs the real `switchyard` binary as a user would, with a controlled environment. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { inheritedEnv } from "./env";

export const CLI_BIN = fileURLToPath(new URL("../../bin/switchyard.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The variables a test may not leak into a CLI run (each run states its own). */
const CONTROLLED = ["DATABASE_URL", "REDIS_URL", "SWITCHYARD_DATA_DIR", "SWITCHYARD_SECRET_KEY", "AUTH_SECRET", "STDIO_SERVERS", "ADMIN_EMAIL", "ADMIN_PASSWORD", "SWITCHYARD_MODE"];

export function baseEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(inheritedEnv())) if (v !== undefined && !CONTROLLED.includes(k)) env[k] = v;
  return { ...env, ...extra };
}

export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

export function parseJson<T = Record<string, unknown>>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`CLI failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
