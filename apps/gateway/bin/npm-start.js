#!/usr/bin/env node
// `npm start`: turbo rebuilds only what changed (the CLI bundle and, unless --no-console, the
// console) while this prints each step and the time spent, instead of minutes of silence; then
// it runs `switchyard start` with the same arguments. Plain JavaScript: it runs before any build.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = fileURLToPath(new URL("./switchyard.js", import.meta.url));
const args = process.argv.slice(2);
const withConsole = !args.includes("--no-console");
const STEPS = {
  "@switchyard/gateway#build": "CLI, gateway and worker bundle (esbuild)",
  ...(withConsole ? { "@switchyard/web#build": "console (next build)" } : {}),
};
const HEARTBEAT_MS = 10_000;
/** npm's script echo and Next's route table: not progress. */
const NOISE = /^(>|Route \(|[┌├└│]|[○ƒ●] {2}\()/;

const started = Date.now();
const elapsed = () => {
  const s = Math.round((Date.now() - started) / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, "0")} s`;
};
let lastPrint = Date.now();
const print = (line) => {
  process.stdout.write(`${line}\n`);
  lastPrint = Date.now();
};
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);

function build() {
  return new Promise((resolve) => {
    print(`Building what changed since the last start (${withConsole ? "CLI bundle and console" : "CLI bundle"})…`);
    const filters = Object.keys(STEPS).map((task) => `--filter=${task.split("#")[0]}`);
    const turbo = spawn(`${ROOT}node_modules/.bin/turbo`, ["run", "build", ...filters, "--json"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" },
    });
    const output = new Map();
    /** Tasks restored from turbo's cache: their replayed logs are not news. */
    const replaying = new Set();
    let building = false;
    createInterface({ input: turbo.stdout }).on("line", (raw) => {
      let event;
      try {
        event = JSON.parse(raw);
      } catch {
        return;
      }
      const step = STEPS[event.source];
      if (!step) return;
      output.set(event.source, [...(output.get(event.source) ?? []), event.text]);
      if (event.text.startsWith("cache hit")) {
        replaying.add(event.source);
        print(`  ${step}: up to date`);
      } else if (event.text.startsWith("cache miss")) {
        building = true;
        print(`  ${step}: building (${elapsed()})`);
      } else if (event.text.trim() && !NOISE.test(event.text) && !replaying.has(event.source)) print(`    ${event.text}`);
    });
    const heartbeat = setInterval(() => {
      if (building && Date.now() - lastPrint >= HEARTBEAT_MS) print(`  … still building, ${elapsed()} so far`);
    }, 1_000);
    turbo.on("error", (e) => {
      clearInterval(heartbeat);
      process.stderr.write(`error: cannot run turbo (${e.message}): run \`npm ci\` first\n`);
      resolve(false);
    });
    turbo.on("exit", (code) => {
      clearInterval(heartbeat);
      if (code === 0) {
        print(`Build done in ${elapsed()}.`);
        return resolve(true);
      }
      for (const [task, lines] of output) process.stderr.write(`\n--- ${task} ---\n${lines.join("\n")}\n`);
      process.stderr.write(`\nerror: the build failed after ${elapsed()} (output above); fix it, or run \`npm run build\` for the full log.\n`);
      resolve(false);
    });
  });
}

if (!(await build())) process.exit(1);
// The product runs in a child that gets the terminal; signals sent to this process alone are passed on.
const product = spawn(process.execPath, [CLI, "start", ...args], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => product.kill(signal));
product.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
