/**
 * `npm run bench:first-run` — the first hour, timed step by step as a new user lives it: a fresh
 * `git clone` of this checkout's HEAD, the real `npm ci` (from the npm registry), `npm start` until
 * the banner (first build included), then the README's example: a user, team, project and key
 * through the CLI, the `npx -y @modelcontextprotocol/server-everything` server (cold package
 * cache), and the first tool call through the gateway.
 * Options: --no-console (skip the console and its build), --keep (leave the clone in place)
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { freePort } from "@switchyard/db";
import { PRODUCT_ROOT } from "../src/package-root";
import { interrupt, run, seconds, startProc, waitForOutput } from "./process-timing";
import { benchArgs } from "./options";

const { values: args } = benchArgs({ options: { "no-console": { type: "boolean", default: false }, keep: { type: "boolean", default: false } } });
const steps: [string, number][] = [];
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  process.stdout.write(`${name}…\n`);
  const started = performance.now();
  const value = await fn();
  steps.push([name, performance.now() - started]);
  process.stdout.write(`  ${seconds(performance.now() - started)}\n`);
  return value;
}

const dir = await mkdtemp(join(tmpdir(), "sy-bench-first-run-"));
// As root, embedded Postgres runs as `postgres`, which must be able to enter the checkout.
await chmod(dir, 0o755);
const clone = join(dir, "switchyard");
const port = await freePort();
const env: Record<string, string> = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: join(dir, "home"),
  GATEWAY_PORT: String(port),
  WEB_PORT: String(await freePort()),
  SWITCHYARD_SCRATCH_DIR: join(dir, "scratch"),
  TURBO_TELEMETRY_DISABLED: "1",
  NEXT_TELEMETRY_DISABLED: "1",
};
const cli = (cliArgs: string[], input?: string) => run(process.execPath, [join(clone, "apps/gateway/bin/switchyard.js"), ...cliArgs, "--json"], { env, cwd: clone, ...(input ? { input } : {}) });
const json = <T>(out: string) => JSON.parse(out) as T;

let product: ReturnType<typeof startProc> | undefined;
try {
  await step("git clone", () => run("git", ["clone", "--quiet", PRODUCT_ROOT, clone]));
  await step("npm ci", () => run("npm", ["ci", "--no-audit", "--no-fund"], { env, cwd: clone }));
  product = await step("npm start → banner", async () => {
    const p = startProc("npm", ["start", ...(args["no-console"] ? ["--", "--no-console"] : [])], { env, cwd: clone });
    await waitForOutput(p, "Press Ctrl-C to stop.", 1_800_000);
    return p;
  });
  await step("first tool call (CLI setup, npx -y server-everything, call)", async () => {
    await cli(["admin", "create-user", "--email", "first@example.com", "--password-stdin"], "a long password");
    await cli(["admin", "create-team", "--name", "First", "--owner", "first@example.com"]);
    const project = json<{ id: string }>((await cli(["admin", "create-project", "--team", "first", "--name", "Main"])).out);
    await cli(["admin", "add-server", "--project", project.id, "--name", "everything", "--command", "npx", "--arg", "-y", "--arg", "@modelcontextprotocol/server-everything"]);
    const { key } = json<{ key: string }>((await cli(["admin", "create-api-key", "--project", project.id, "--name", "bench"])).out);
    const client = new Client({ name: "bench-first-run", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/projects/${project.id}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
    try {
      // The first tools/list may come before the worker's catalogue: ask until the server's tools are there.
      const deadline = Date.now() + 600_000;
      while (!(await client.listTools()).tools.some((t) => t.name === "everything__echo")) {
        if (Date.now() > deadline) throw new Error("everything__echo never appeared");
        await new Promise((r) => setTimeout(r, 500));
      }
      await client.callTool({ name: "everything__echo", arguments: { message: "first" } });
    } finally {
      await client.close();
    }
  });
} finally {
  if (product) await interrupt(product);
  const total = steps.reduce((sum, [, ms]) => sum + ms, 0);
  process.stdout.write(`\nfirst run, step by step${args["no-console"] ? " (--no-console)" : ""}:\n`);
  for (const [name, ms] of steps) process.stdout.write(`  ${name.padEnd(62)} ${seconds(ms).padStart(9)}\n`);
  process.stdout.write(`  ${"total".padEnd(62)} ${seconds(total).padStart(9)}\n`);
  if (!args.keep) await rm(dir, { recursive: true, force: true });
  else process.stdout.write(`clone kept in ${clone}\n`);
}
