/**
 * docker/docker-compose.yml's deployment without Docker: the same processes on loopback with the
 * environment the compose file gives them (read from the file itself; only host names and ports
 * differ): Postgres with the compose file's role and database, Redis, the one-shot `migrate`, two
 * `gateway` replicas, the `worker`, and a round-robin balancer with docker/nginx.conf's settings
 * (checked against the file). An unmodified SDK client works over both transports, and so does
 * the MCP Inspector CLI, as docs/DEPLOY.md promises a newcomer.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { CLI_ACTOR, type ServiceDeps } from "@switchyard/core/context";
import { createJobQueues, STATUS_QUEUE } from "@switchyard/core/queues";
import { Keyring } from "@switchyard/core/secrets";
import { ZERO_SETUP_POLICY } from "@switchyard/core/servers";
import { createApiKey, createProject, createServer, createTeam, createUser } from "@switchyard/core/services";
import { createDb } from "@switchyard/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { baseEnv, EVERYTHING_BIN, runCli } from "@switchyard/gateway/testing";
import { gatewayProcess, type GatewayProcess } from "../cluster/gateway-process";
import { connectClient } from "../cluster/load";
import { startOwnPostgres, type OwnPostgres } from "../cluster/own-postgres";
import { startOwnRedis, type OwnRedis } from "../cluster/own-redis";
import { startRoundRobinProxy, type RoundRobinProxy } from "../cluster/round-robin-proxy";

const run = promisify(execFile);
const DOCKER = fileURLToPath(new URL("../../../../docker/", import.meta.url));
const require = createRequire(import.meta.url);
const INSPECTOR_BIN = join(dirname(require.resolve("@modelcontextprotocol/inspector/package.json")), "cli", "build", "cli.js");

const service = z.object({ command: z.array(z.string()).optional(), environment: z.record(z.string(), z.union([z.string(), z.number()])).optional() });
const composeSchema = z.object({ services: z.record(z.string(), service) });

/** `${NAME:-default}` as compose expands it, from `vars`. */
const expand = (value: string, vars: Record<string, string>) => value.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => vars[name] ?? fallback ?? "");

let pg: OwnPostgres;
let redis: OwnRedis;
let dir: string;
let proxy: RoundRobinProxy | undefined;
const processes: GatewayProcess[] = [];
let endpoint: (t: "http" | "sse") => string;
let key: string;

beforeAll(async () => {
  const nginx = await readFile(join(DOCKER, "nginx.conf"), "utf8");
  // The balancer below does what nginx.conf says; fail here if the file stops saying it.
  for (const line of ["server gateway-1:8080", "server gateway-2:8080", "proxy_buffering off;", "proxy_http_version 1.1;", "proxy_next_upstream error http_503 non_idempotent;"]) expect(nginx).toContain(line);
  const compose = composeSchema.parse(parse(await readFile(join(DOCKER, "docker-compose.yml"), "utf8"), { merge: true }));
  const password = randomBytes(8).toString("hex");
  pg = await startOwnPostgres();
  redis = await startOwnRedis();
  const admin = createDb(pg.url, { max: 1 });
  await admin.sql.unsafe(`create role switchyard login password '${password}'`);
  await admin.sql.unsafe("create database switchyard owner switchyard");
  await admin.close();
  const vars: Record<string, string> = { POSTGRES_PASSWORD: password, SWITCHYARD_SECRET_KEY: randomBytes(32).toString("hex"), AUTH_SECRET: randomBytes(32).toString("hex"), STDIO_SERVERS: "on" };
  const redisPort = new URL(redis.url).port;
  const envOf = (name: string): Record<string, string> => {
    const raw = compose.services[name]?.environment;
    if (!raw) throw new Error(`compose service ${name} has no environment`);
    const env = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, expand(String(v), vars)]));
    // Only the host names and ports of the compose network differ on loopback.
    if (env.DATABASE_URL) env.DATABASE_URL = env.DATABASE_URL.replace("@postgres:5432/", `@127.0.0.1:${pg.port}/`);
    if (env.REDIS_URL) env.REDIS_URL = env.REDIS_URL.replace("redis://redis:6379", `redis://127.0.0.1:${redisPort}`);
    return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  };
  dir = await mkdtemp(join(tmpdir(), "sy-compose-"));
  const migrate = await runCli(compose.services.migrate?.command ?? [], baseEnv({ ...envOf("migrate"), SWITCHYARD_DATA_DIR: join(dir, "migrate") }));
  expect(migrate.code, migrate.stderr).toBe(0);

  const gatewayEnv = envOf("gateway-1");
  expect(envOf("gateway-2")).toEqual(gatewayEnv);
  expect(compose.services["gateway-1"]?.command).toEqual(["gateway"]);
  for (const name of ["gateway-1", "gateway-2"]) {
    // STDIO_SANDBOX off: the test runs server-everything without the container's bubblewrap setup.
    const p = await gatewayProcess(name, { ...gatewayEnv, STDIO_SANDBOX: "off", SWITCHYARD_DATA_DIR: join(dir, name) });
    processes.push(p);
  }
  await Promise.all(processes.map((p) => p.start()));
  const workerEnv = envOf("worker");
  const queues = createJobQueues({ redisUrl: workerEnv.REDIS_URL, databaseUrl: workerEnv.DATABASE_URL ?? "" });
  try {
    const worker = await gatewayProcess("worker", { ...workerEnv, STDIO_SANDBOX: "off", SWITCHYARD_DATA_DIR: join(dir, "worker") }, "worker", async () => (await queues.getWorkerCount(STATUS_QUEUE)) > 0);
    processes.push(worker);
    await worker.start();
  } finally {
    await queues.close();
  }
  proxy = await startRoundRobinProxy(processes.slice(0, 2).map((p) => p.url));

  const db = createDb(gatewayEnv.DATABASE_URL ?? "", { max: 2 });
  const deps: ServiceDeps = { db: db.db, keyring: Keyring.fromStrings(vars.SWITCHYARD_SECRET_KEY ?? ""), policy: ZERO_SETUP_POLICY };
  const user = await createUser(deps, CLI_ACTOR, { email: "compose@example.com", password: "compose password 1" });
  const team = await createTeam(deps, CLI_ACTOR, { name: "Compose", owner: user.id });
  const project = await createProject(deps, CLI_ACTOR, team.id, { name: "Compose" });
  await createServer(deps, CLI_ACTOR, project, { name: "everything", transport: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio"] });
  key = (await createApiKey(deps, CLI_ACTOR, project, { name: "compose" })).key;
  await db.close();
  endpoint = (t) => `${proxy?.url}/projects/${project.id}/${t === "http" ? "mcp" : "sse"}`;
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all(processes.map((p) => p.stop("SIGTERM")));
  await redis?.stop();
  await pg?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("serves an unmodified SDK client over both transports through the balancer", async () => {
  for (const transport of ["http", "sse"] as const) {
    const client = await connectClient(endpoint(transport), transport, key);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("everything__echo");
    for (let i = 0; i < 6; i++) expect((await client.callTool({ name: "everything__echo", arguments: { message: `${transport}${i}` } })).content).toEqual([{ type: "text", text: `Echo: ${transport}${i}` }]);
    await client.close();
  }
});

it("serves the MCP Inspector CLI over both transports through the balancer", async () => {
  for (const transport of ["http", "sse"] as const) {
    const { stdout } = await run(process.execPath, [INSPECTOR_BIN, "--cli", endpoint(transport), "--transport", transport, "--method", "tools/call", "--tool-name", "everything__echo", "--tool-arg", "message=inspector", "--header", `Authorization: Bearer ${key}`], { timeout: 30_000, env: { PATH: process.env.PATH ?? "", HOME: dir } });
    expect(stdout).toContain("Echo: inspector");
  }
});
