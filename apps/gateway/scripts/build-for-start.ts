/**
 * `npm start`'s build step: turbo rebuilds only what changed (the CLI bundle, the console) and
 * this prints which step runs and for how long, instead of minutes of silence. A failed build
 * ends with its output and one sentence; `npm start` then stops before starting anything.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = join(dirname(createRequire(import.meta.url).resolve("turbo/package.json")), "../..");
const STEPS: Record<string, string> = {
  "@switchyard/gateway#build": "CLI, gateway and worker bundle (esbuild)",
  "@switchyard/web#build": "console (next build)",
};
const HEARTBEAT_MS = 10_000;
/** npm's script echo and Next's route table: not progress. */
const NOISE = /^(>|Route \(|[┌├└│]|[○ƒ●] {2}\()/;

interface TurboEvent {
  source: string;
  level: string;
  text: string;
}

function elapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, "0")} s`;
}

const started = Date.now();
const args = ["run", "build", ...Object.keys(STEPS).map((task) => `--filter=${task.split("#")[0] ?? task}`), "--json"];
const withConsole = !process.argv.includes("--no-console");
if (!withConsole) args.splice(args.indexOf("--filter=@switchyard/web"), 1);
process.stdout.write(`Building what changed since the last start (${withConsole ? "CLI bundle and console" : "CLI bundle"})…\n`);

const turbo = spawn(join(ROOT, "node_modules/.bin/turbo"), args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" } });
const output = new Map<string, string[]>();
let building = false;
/** Tasks restored from turbo's cache: their replayed logs are not news. */
const replaying = new Set<string>();
let lastPrint = Date.now();
const print = (line: string) => {
  process.stdout.write(`${line}\n`);
  lastPrint = Date.now();
};

createInterface({ input: turbo.stdout }).on("line", (raw) => {
  let event: TurboEvent;
  try {
    event = JSON.parse(raw) as TurboEvent;
  } catch {
    return;
  }
  const step = STEPS[event.source];
  if (!step) return;
  const lines = output.get(event.source) ?? [];
  lines.push(event.text);
  output.set(event.source, lines);
  if (event.text.startsWith("cache hit")) {
    replaying.add(event.source);
    print(`  ${step}: up to date`);
  }
  else if (event.text.startsWith("cache miss")) {
    building = true;
    print(`  ${step}: building (${elapsed(Date.now() - started)})`);
  } else if (event.text.trim() && !NOISE.test(event.text) && !replaying.has(event.source)) print(`    ${event.text}`);
});

const heartbeat = setInterval(() => {
  if (building && Date.now() - lastPrint >= HEARTBEAT_MS) print(`  … still building, ${elapsed(Date.now() - started)} so far`);
}, 1_000);

turbo.on("exit", (code) => {
  clearInterval(heartbeat);
  if (code === 0) {
    print(`Build done in ${elapsed(Date.now() - started)}.`);
    return;
  }
  for (const [task, lines] of output) if (lines.length) process.stderr.write(`\n--- ${task} ---\n${lines.join("\n")}\n`);
  process.stderr.write(`\nerror: the build failed after ${elapsed(Date.now() - started)} (output above); fix it, or run \`npm run build\` for the full log.\n`);
  process.exit(code ?? 1);
});
