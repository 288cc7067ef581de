/**
 * The fault suite's deployment on loopback, shaped like docker/docker-compose.yml: a Postgres and
 * a Redis of the test's own, migrations, two `switchyard gateway` processes on the same database
 * and Redis, and the round-robin balancer in front. A project with server-everything (stdio) and
 * keys made through the real services, which announce changes the way the console does.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { changePublishingHooks } from "@switchyard/core/changes";
import { CLI_ACTOR, type ServiceDeps } from "@switchyard/core/context";
import { Keyring } from "@switchyard/core/secrets";
import { ZERO_SETUP_POLICY } from "@switchyard/core/servers";
import { createApiKey, createProject, createServer, createTeam, createUser } from "@switchyard/core/services";
import { createDb, runMigrations, type DbHandle } from "@switchyard/db";
import type { ServerConfigInput } from "@switchyard/shared";
import { EVERYTHING_BIN } from "@switchyard/gateway/testing";
import { gatewayProcess, type GatewayProcess } from "./gateway-process";
import { startOwnPostgres, type OwnPostgres } from "./own-postgres";
import { startOwnRedis, type OwnRedis } from "./own-redis";
import { startRoundRobinProxy, type RoundRobinProxy } from "./round-robin-proxy";

export interface Cluster {
  pg: OwnPostgres;
  redis: OwnRedis | undefined;
  db: DbHandle;
  deps: ServiceDeps;
  project: { id: string; teamId: string };
  gateways: GatewayProcess[];
  proxy: RoundRobinProxy;
  /** The environment every gateway shares (database, Redis, secrets): a worker beside them gets the same. */
  env: Record<string, string>;
  /** The project's aggregated endpoint through the balancer. */
  endpoint: (transport: "http" | "sse") => string;
  /** The same endpoint on one instance, bypassing the balancer. */
  instanceEndpoint: (gateway: GatewayProcess, transport: "http" | "sse") => string;
  newKey: (input?: { rateLimitPerMinute?: number }) => Promise<{ key: string; id: string; hash: string }>;
  addServer: (config: ServerConfigInput) => Promise<{ id: string }>;
  close: () => Promise<void>;
}

export interface ClusterOptions {
  instances?: number;
  redis?: boolean;
  /** Extra environment for every gateway. */
  env?: Record<string, string>;
}

export const everything = (name = "everything", extraArgs: string[] = []): ServerConfigInput => ({ name, transport: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio", ...extraArgs] });

export async function startCluster({ instances = 2, redis: withRedis = true, env = {} }: ClusterOptions = {}): Promise<Cluster> {
  const pg = await startOwnPostgres();
  const redis = withRedis ? await startOwnRedis() : undefined;
  await runMigrations(pg.url);
  const db = createDb(pg.url, { max: 4 });
  const secretKey = randomBytes(32).toString("hex");
  const authSecret = randomBytes(32).toString("hex");
  const deps: ServiceDeps = { db: db.db, keyring: Keyring.fromStrings(secretKey), policy: ZERO_SETUP_POLICY, hooks: changePublishingHooks(db.sql) };
  const user = await createUser(deps, CLI_ACTOR, { email: `faults-${randomBytes(3).toString("hex")}@example.com`, password: "fault suite password" });
  const team = await createTeam(deps, CLI_ACTOR, { name: "Faults", owner: user.id });
  const project = await createProject(deps, CLI_ACTOR, team.id, { name: "Faults" });
  const dataRoot = await mkdtemp(join(tmpdir(), "sy-cluster-data-"));
  const shared = { DATABASE_URL: pg.url, ...(redis ? { REDIS_URL: redis.url } : {}), SWITCHYARD_SECRET_KEY: secretKey, AUTH_SECRET: authSecret, ...env };
  const gateways: GatewayProcess[] = [];
  for (let i = 1; i <= instances; i++) gateways.push(await gatewayProcess(`gateway-${i}`, { ...shared, SWITCHYARD_DATA_DIR: join(dataRoot, `gateway-${i}`) }));
  await Promise.all(gateways.map((g) => g.start()));
  const proxy = await startRoundRobinProxy(gateways.map((g) => g.url));
  return {
    pg,
    redis,
    db,
    deps,
    project,
    gateways,
    proxy,
    env: shared,
    endpoint: (transport) => `${proxy.url}/projects/${project.id}/${transport === "http" ? "mcp" : "sse"}`,
    instanceEndpoint: (gateway, transport) => `${gateway.url}/projects/${project.id}/${transport === "http" ? "mcp" : "sse"}`,
    newKey: async (input = {}) => {
      const created = await createApiKey(deps, CLI_ACTOR, project, { name: `faults-${randomBytes(3).toString("hex")}`, rateLimitPerMinute: input.rateLimitPerMinute ?? 100_000 });
      const [row] = await db.sql<{ hash: string }[]>`select hash from api_keys where id = ${created.apiKey.id}`;
      return { key: created.key, id: created.apiKey.id, hash: row?.hash ?? "" };
    },
    addServer: async (config) => createServer(deps, CLI_ACTOR, project, config),
    close: async () => {
      await proxy.close();
      await Promise.all(gateways.map((g) => g.stop("SIGKILL")));
      await db.close().catch(() => undefined);
      await redis?.stop();
      await pg.destroy();
      await rm(dataRoot, { recursive: true, force: true });
    },
  };
}
