/** Helpers for the worker's tests: configuration, seeded servers, a private Redis, polling. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSecretKey, type Keyring } from "@switchyard/core/secrets";
import { sealServerConfig } from "@switchyard/core/servers";
import { insertProject, insertServer, insertTeam, listWorkerRuns, type Database, type McpServer, type Project, type WorkerRun } from "@switchyard/db";
import { Redis } from "ioredis";
import { resolveConfig, type Config } from "../config";
import { parseEnv } from "../env";

import { EVERYTHING_BIN } from "@switchyard/core/testing";
import { waitThroughFailures } from "./wait";

export async function workerConfig(databaseUrl: string, redisUrl?: string): Promise<Config & { databaseUrl: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), "sy-worker-"));
  const config = await resolveConfig(
    parseEnv({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      SWITCHYARD_SECRET_KEY: generateSecretKey(),
      AUTH_SECRET: generateSecretKey(),
      SWITCHYARD_DATA_DIR: dataDir,
      STDIO_SERVERS: "on",
      // Timing-sensitive schedule tests; the sandboxed spawn path is covered by test/security.
      STDIO_SANDBOX: "off",
      LOG_LEVEL: "error",
    }),
  );
  return { ...config, databaseUrl };
}

export interface Seeded {
  project: Project;
  everything: McpServer;
  dead: McpServer;
}

/** One project with a real server (server-everything over stdio) and one whose command exits at once. */
export async function seedServers(db: Database, keyring: Keyring): Promise<Seeded> {
  const team = await insertTeam(db, { name: "Worker team", slug: `worker-${Date.now()}` });
  const project = await insertProject(db, team.id, { name: "Worker project", slug: "worker" });
  const common = { env: {}, timeoutMs: 30_000, enabled: true, isolation: "shared" as const };
  const everything = await insertServer(db, project.id, sealServerConfig(keyring, { name: "everything", transport: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio"], ...common }));
  const dead = await insertServer(db, project.id, sealServerConfig(keyring, { name: "dead", transport: "stdio", command: process.execPath, args: ["-e", "process.exit(3)"], ...common }));
  return { project, everything, dead };
}

export async function scheduledRuns(db: Database): Promise<WorkerRun[]> {
  return (await listWorkerRuns(db, { jobName: "refresh-server-status", limit: 200 })).items.filter((r) => r.trigger === "schedule" && r.status === "success");
}

export interface PrivateRedis {
  url: string;
  /** SIGKILL: an outage, not a clean shutdown; without persistence its data is gone. */
  kill(): Promise<void>;
}

/** A redis-server of the test's own (the shared one on 6379 is never stopped). */
export async function startRedis(port: number): Promise<PrivateRedis> {
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const url = `redis://127.0.0.1:${port}`;
  await waitThroughFailures(async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === "PONG";
    } finally {
      client.disconnect();
    }
  }, `redis-server on port ${port}`);
  return {
    url,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}

export interface CuttableProxy {
  port: number;
  /** The database "goes away": every open connection is reset and new ones are refused. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A loopback TCP proxy to `target`, for outages of a shared server the test must not stop. */
export async function startCuttableProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  await listen(0);
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const resetAll = () => {
    for (const s of sockets) s.resetAndDestroy();
    sockets.clear();
  };
  return {
    port: address.port,
    cut: async () => {
      const closed = stopListening();
      resetAll();
      await closed;
    },
    restore: () => listen(address.port),
    close: async () => {
      const closed = server.listening ? stopListening() : Promise.resolve();
      resetAll();
      await closed;
    },
  };
}
