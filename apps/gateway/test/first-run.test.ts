/**
 * The first hour of a new user, as the README tells it: a fresh clone, `npm start`, the banner,
 * the first admin's credentials, an `npx -y` stdio server and a first tool call; and what goes
 * wrong on the way (a private directory as root, a start killed mid-way, a dead stdout) ends in
 * one sentence and leaves nothing readable or half-made behind.
 */
import { readFileSync, existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { authenticateUser } from "@switchyard/core/services";
import { createDb, freePort } from "@switchyard/db";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, CLI_BIN, cloneWithModules, launch, type Launched, type LocalRegistry, parseJson, passwordFilesIn, pressCtrlC, readableByOthers, runCli, startLocalRegistry, until } from "@switchyard/gateway/testing";

const BANNER = "Press Ctrl-C to stop.";
const FIXTURE_PACKAGE = join(import.meta.dirname, "..", "src", "testing", "fixtures", "echo-package");
const running: Launched[] = [];
const dirs: string[] = [];

async function tempDir(prefix: string, mode = 0o755): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, mode);
  dirs.push(dir);
  return dir;
}

function secretsReadableByOthers(dataDir: string): string[] {
  // The server log holds no secret; everything else in the data dir is private.
  return readableByOthers(dataDir).filter((f) => !f.endsWith("postgres.log"));
}

/** Ctrl-C through npm (which itself ends by the signal): the product and its Postgres are gone. */
async function stopsCleanly(l: Launched, dataDir: string): Promise<void> {
  const pgPid = Number(readFileSync(join(dataDir, "postgres", "cluster", "postmaster.pid"), "utf8").split("\n")[0]);
  await pressCtrlC(l);
  expect(() => process.kill(pgPid, 0)).toThrow();
  expect(existsSync(join(dataDir, "runtime.json"))).toBe(false);
}

afterAll(async () => {
  for (const l of running) await pressCtrlC(l);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe("a fresh clone", () => {
  it("npm start in a private (0700) directory ends in the banner or in one sentence, with no secret readable by others and nothing that blocks the next start", async () => {
    const dir = await tempDir("sy-first-run-", 0o700);
    const clone = cloneWithModules(dir);
    const env = baseEnv({ GATEWAY_PORT: String(await freePort()), SWITCHYARD_SCRATCH_DIR: join(dir, "scratch") });
    const first = launch("npm", ["start", "--", "--no-console"], { env, cwd: clone });
    running.push(first);
    const outcome = await until(first, BANNER, 240_000);
    const output = first.output();
    expect(output).toMatch(/Building what changed since the last start/);
    expect(output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
    expect(secretsReadableByOthers(join(clone, ".data"))).toEqual([]);
    expect(passwordFilesIn(tmpdir(), join(clone, ".data", "postgres", "password"))).toEqual([]);
    if (outcome === "exited") {
      // As root, Postgres runs as `postgres`, who cannot enter the private directory: say so and what to do.
      expect(userInfo().uid).toBe(0);
      expect(await first.exited).not.toBe(0);
      const errors = output.split("\n").filter((l) => l.startsWith("error: "));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/cannot reach .+: run as a normal user, move the checkout out of a private \(0700\) directory, or set DATABASE_URL/);
      // Following the advice works at once: no half-made cluster or lock is in the way.
      await chmod(dir, 0o755);
      const second = launch("npm", ["start", "--", "--no-console"], { env, cwd: clone });
      running.push(second);
      expect(await until(second, BANNER, 180_000)).toBe("ready");
      expect(secretsReadableByOthers(join(clone, ".data"))).toEqual([]);
      await stopsCleanly(second, join(clone, ".data"));
    } else {
      await stopsCleanly(first, join(clone, ".data"));
    }
  }, 480_000);
});

describe("the first start's admin, an npx server and a dead stdout", () => {
  let dataDir: string;
  let env: Record<string, string>;
  let registry: LocalRegistry;
  let gatewayPort: number;

  beforeAll(async () => {
    const dir = await tempDir("sy-first-admin-");
    dataDir = join(dir, "data");
    gatewayPort = await freePort();
    registry = await startLocalRegistry(FIXTURE_PACKAGE);
    env = baseEnv({
      SWITCHYARD_DATA_DIR: dataDir,
      SWITCHYARD_SCRATCH_DIR: join(dir, "scratch"),
      // A cold cache of its own, whatever the machine has downloaded before.
      SWITCHYARD_PACKAGE_CACHE_DIR: join(dir, "package-cache"),
      GATEWAY_PORT: String(gatewayPort),
    });
  });

  afterAll(async () => {
    await registry.close();
  });

  it("keeps the generated admin password recoverable when the first start is killed right after creating the admin", async () => {
    const first = launch(process.execPath, [CLI_BIN, "start", "--no-console"], { env });
    running.push(first);
    expect(await until(first, "created the first admin", 120_000)).toBe("ready");
    first.child.kill("SIGKILL");
    await first.exited;
    const file = join(dataDir, "first-admin.txt");
    const saved = /password: (\S+)/.exec(readFileSync(file, "utf8"))?.[1];
    expect(saved).toBeTruthy();

    const second = launch(process.execPath, [CLI_BIN, "start", "--no-console"], { env });
    running.push(second);
    expect(await until(second, BANNER, 120_000)).toBe("ready");
    expect(second.output()).toContain(`Password    ${saved}`);
    expect(second.output()).toContain(file);
    const { databaseUrl } = JSON.parse(readFileSync(join(dataDir, "runtime.json"), "utf8")) as { databaseUrl: string };
    const handle = createDb(databaseUrl, { max: 1 });
    try {
      expect(await authenticateUser({ db: handle.db }, "admin@switchyard.local", saved ?? "")).toMatchObject({ email: "admin@switchyard.local" });
    } finally {
      await handle.close();
    }
  }, 300_000);

  it("brings an `npx -y <package>` server online from a cold package cache, showing it as installing first, and serves its tool", async () => {
    const product = running.at(-1);
    const user = parseJson(await runCli(["admin", "create-user", "--email", "first@example.com", "--password-stdin", "--json"], env, "a long password"));
    expect(user.email).toBe("first@example.com");
    const team = parseJson(await runCli(["admin", "create-team", "--name", "First", "--owner", "first@example.com", "--json"], env));
    const project = parseJson<{ id: string }>(await runCli(["admin", "create-project", "--team", String(team.slug), "--name", "Main", "--json"], env));
    const added = await runCli(
      ["admin", "add-server", "--project", project.id, "--name", "echo", "--command", "npx", "--arg", "-y", "--arg", "switchyard-fixture-echo@1.0.0", "--env", `npm_config_registry=${registry.url}`],
      env,
    );
    expect(added.stdout).toMatch(/installing/);
    const { key } = parseJson<{ key: string }>(await runCli(["admin", "create-api-key", "--project", project.id, "--name", "first", "--json"], env));

    if (!existsSync(join(dataDir, "runtime.json"))) throw new Error(`the product stopped:\n${product?.output() ?? ""}`);
    const { databaseUrl } = JSON.parse(readFileSync(join(dataDir, "runtime.json"), "utf8")) as { databaseUrl: string };
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
    try {
      let status = "";
      const deadline = Date.now() + 240_000;
      while (status !== "online" && Date.now() < deadline) {
        const [row] = await sql<{ status: string }[]>`select status from mcp_servers where project_id = ${project.id} and name = 'echo'`;
        status = row?.status ?? "";
        if (status !== "online") await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe("online");
      const events = await sql<{ message: string }[]>`select e.message from server_events e join mcp_servers s on s.id = e.server_id where s.name = 'echo' order by e.at`;
      expect(events.map((e) => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^Installing/), expect.stringMatching(/installing → online/)]));
    } finally {
      await sql.end();
    }
    expect(registry.requests).toContain("/switchyard-fixture-echo/-/switchyard-fixture-echo-1.0.0.tgz");

    const client = new Client({ name: "first-run", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${gatewayPort}/projects/${project.id}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("echo__echo");
      const result = await client.request({ method: "tools/call", params: { name: "echo__echo", arguments: { message: "first call" } } }, CallToolResultSchema);
      expect(result.content).toEqual([{ type: "text", text: "echo: first call" }]);
    } finally {
      await client.close();
    }
  }, 420_000);

  it("shuts down cleanly, Postgres included, after whatever reads its stdout has gone away", async () => {
    const current = running.at(-1);
    if (!current) throw new Error("the product is not running");
    const pgPid = Number(readFileSync(join(dataDir, "postgres", "cluster", "postmaster.pid"), "utf8").split("\n")[0]);
    // The piped logger dies: every later write of `start` hits a closed pipe.
    current.child.stdout?.destroy();
    current.child.stderr?.destroy();
    await runCli(["admin", "create-team", "--name", "After Stdout", "--owner", "first@example.com", "--json"], env);
    expect(await pressCtrlC(current)).toBe(0);
    expect(() => process.kill(pgPid, 0)).toThrow();
    expect(existsSync(join(dataDir, "runtime.json"))).toBe(false);
  }, 120_000);
});
