/**
 * `npm run bench:cli` — how long the compiled `switchyard` takes, beside `node -e 0` in the same run:
 * `switchyard --help` (target ≤ 0.5 s on a quiet machine), `switchyard admin create-project --json`
 * against a running product (≤ 1 s), and `switchyard gateway` until `/readyz` answers 200 (≤ 2 s).
 * Builds the bundle first; runs a zero-setup product (embedded Postgres) in a temporary data dir.
 * Options: --rounds N (5)
 */
import { readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@switchyard/db";
import { buildCli } from "../scripts/build";
import { interrupt, median, run, seconds, startProc, waitForOutput, waitForStatus } from "./process-timing";
import { benchArgs, numberOption } from "./options";

const { values: args } = benchArgs({ options: { rounds: { type: "string", default: "5" } } });
const ROUNDS = numberOption("rounds", args.rounds);
const CLI = join(import.meta.dirname, "../bin/switchyard.js");

async function timed(rounds: number, fn: (i: number) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) out.push(await fn(i));
  return out;
}

await buildCli();
const dir = await mkdtemp(join(tmpdir(), "sy-bench-cli-"));
// As root, embedded Postgres runs as `postgres`, which must be able to enter the data dir.
await chmod(dir, 0o755);
const dataDir = join(dir, "data");
const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_SCRATCH_DIR: join(dir, "scratch"), GATEWAY_PORT: String(await freePort()) };
const product = startProc(process.execPath, [CLI, "start", "--no-console"], { env });
try {
  await waitForOutput(product, "Press Ctrl-C to stop.", 180_000);
  await run(process.execPath, [CLI, "admin", "create-user", "--email", "bench@example.com", "--password-stdin", "--json"], { env, input: "a long password" });
  await run(process.execPath, [CLI, "admin", "create-team", "--name", "Bench", "--owner", "bench@example.com", "--json"], { env });

  const nodeZero = await timed(ROUNDS, async () => (await run(process.execPath, ["-e", "0"])).ms);
  const help = await timed(ROUNDS, async () => (await run(process.execPath, [CLI, "--help"], { env })).ms);
  const createProject = await timed(ROUNDS, async (i) => (await run(process.execPath, [CLI, "admin", "create-project", "--team", "bench", "--name", `Bench ${i}`, "--json"], { env })).ms);

  const { databaseUrl } = JSON.parse(readFileSync(join(dataDir, "runtime.json"), "utf8")) as { databaseUrl: string };
  const secrets = { SWITCHYARD_SECRET_KEY: readFileSync(join(dataDir, "secret-key"), "utf8").trim(), AUTH_SECRET: readFileSync(join(dataDir, "auth-secret"), "utf8").trim() };
  const gatewayReady = await timed(ROUNDS, async () => {
    const port = await freePort();
    const started = performance.now();
    const gw = startProc(process.execPath, [CLI, "gateway"], { env: { ...env, ...secrets, DATABASE_URL: databaseUrl, SWITCHYARD_MODE: "zero-setup", GATEWAY_PORT: String(port) } });
    await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 30_000);
    const ms = performance.now() - started;
    await interrupt(gw);
    return ms;
  });

  const row = (what: string, values: number[], target: string) => `${what.padEnd(44)} ${seconds(median(values)).padStart(8)}   (min ${seconds(Math.min(...values))}, max ${seconds(Math.max(...values))})   ${target}`;
  process.stdout.write(
    [
      `\nswitchyard CLI wall times, median of ${ROUNDS}:`,
      row("node -e 0", nodeZero, "(baseline)"),
      row("switchyard --help", help, "target ≤ 0.5 s"),
      row("switchyard admin create-project --json", createProject, "target ≤ 1 s"),
      row("switchyard gateway → /readyz 200", gatewayReady, "target ≤ 2 s"),
      "",
    ].join("\n"),
  );
} finally {
  await interrupt(product);
  await rm(dir, { recursive: true, force: true });
}
