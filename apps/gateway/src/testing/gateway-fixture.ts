/**
 * Shared setup for the gateway's integration tests: an isolated, migrated database, a user, team
 * and project made with the real services, servers and API keys registered the way the console
 * does it, a gateway on a free port, and SDK clients over both transports.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CLI_ACTOR, type ServiceDeps } from "@switchyard/core/context";
import { createApiKey, createProject, createServer, createTeam, createUser, type CreateApiKeyInput } from "@switchyard/core/services";
import type { McpServer } from "@switchyard/db";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import type { ServerConfigInput } from "@switchyard/shared";
import { resolveConfig, type Config } from "../config";
import { parseEnv } from "../env";
import { startGateway, type GatewayOptions, type RunningGateway } from "../gateway";
import { EVERYTHING_BIN } from "@switchyard/core/testing";

export interface Project {
  id: string;
  teamId: string;
}

export interface GatewayFixture {
  db: TestDatabase;
  deps: ServiceDeps;
  config: Config & { databaseUrl: string };
  dataDir: string;
  userId: string;
  project: Project;
  gateway: RunningGateway;
  url: string;
  /** Another project of the same team (cross-tenant checks). */
  newProject: (name: string) => Promise<Project>;
  newKey: (project?: Project, input?: Partial<CreateApiKeyInput>) => Promise<{ key: string; id: string; hash: string }>;
  addServer: (input: ServerConfigInput, project?: Project) => Promise<McpServer>;
  /** SDK client connected to the project endpoint (or one server's) over Streamable HTTP or SSE. */
  connect: (opts: { key: string; transport?: "http" | "sse"; server?: string; project?: Project; name?: string }) => Promise<Client>;
  endpointUrl: (opts: { transport?: "http" | "sse"; server?: string; project?: Project }) => string;
  /** Waits until the log writer wrote everything recorded so far. */
  flushLogs: () => Promise<void>;
  close: () => Promise<void>;
}

/** server-everything over stdio, the way a team would register it. */
export function everythingServer(name = "everything", over: Partial<Extract<ServerConfigInput, { transport: "stdio" }>> = {}): ServerConfigInput {
  return { name, transport: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio"], timeoutMs: 10_000, ...over };
}

/**
 * @param database a database of the test's own (e.g. an embedded Postgres it stops on purpose);
 *   default: an isolated copy of the migrated template.
 */
export async function startFixture(options: GatewayOptions = {}, envOver: Record<string, string> = {}, database?: TestDatabase): Promise<GatewayFixture> {
  const db = database ?? (await createTestDatabase());
  const dataDir = await mkdtemp(join(tmpdir(), "switchyard-gw-"));
  const env = parseEnv({
    DATABASE_URL: db.url,
    SWITCHYARD_SECRET_KEY: randomBytes(32).toString("hex"),
    AUTH_SECRET: randomBytes(32).toString("hex"),
    SWITCHYARD_DATA_DIR: dataDir,
    STDIO_SERVERS: "on",
    // Fixture servers are scripts in the OS temp dir, which the sandbox hides; test/security turns it on.
    STDIO_SANDBOX: "off",
    ALLOW_PRIVATE_UPSTREAMS: "true",
    HOST: "127.0.0.1",
    LOG_LEVEL: "error",
    ...envOver,
  });
  const resolved = await resolveConfig(env);
  const config = { ...resolved, gatewayPort: 0, databaseUrl: db.url };
  const deps: ServiceDeps = { db: db.db, keyring: config.keyring, policy: config.policy };
  const user = await createUser(deps, CLI_ACTOR, { email: `owner-${randomBytes(4).toString("hex")}@example.com`, password: "correct horse battery staple" });
  const team = await createTeam(deps, CLI_ACTOR, { name: `Team ${randomBytes(3).toString("hex")}`, owner: user.id });
  const newProject = async (name: string): Promise<Project> => {
    const p = await createProject(deps, CLI_ACTOR, team.id, { name });
    return { id: p.id, teamId: p.teamId };
  };
  const project = await newProject("Main");
  const gateway = await startGateway(config, { sseKeepAliveMs: 15_000, ...options });
  const endpointUrl: GatewayFixture["endpointUrl"] = ({ transport = "http", server, project: p = project }) =>
    `${gateway.url}/projects/${p.id}${server ? `/servers/${server}` : ""}/${transport === "http" ? "mcp" : "sse"}`;
  const clients: Client[] = [];
  return {
    db,
    deps,
    config,
    dataDir,
    userId: user.id,
    project,
    gateway,
    url: gateway.url,
    newProject,
    newKey: async (p = project, input = {}) => {
      const { key, apiKey } = await createApiKey(deps, CLI_ACTOR, p, { name: `key-${randomBytes(3).toString("hex")}`, ...input });
      const { hashApiKey } = await import("@switchyard/core/api-key-material");
      return { key, id: apiKey.id, hash: hashApiKey(key) };
    },
    addServer: (input, p = project) => createServer(deps, CLI_ACTOR, p, input),
    endpointUrl,
    connect: async ({ key, transport = "http", server, project: p, name = "vitest-client" }) => {
      const url = new URL(endpointUrl({ transport, ...(server ? { server } : {}), ...(p ? { project: p } : {}) }));
      const headers = { authorization: `Bearer ${key}` };
      const client = new Client({ name, version: "1.0.0" });
      await client.connect(transport === "http" ? new StreamableHTTPClientTransport(url, { requestInit: { headers } }) : new SSEClientTransport(url, { requestInit: { headers } }));
      clients.push(client);
      return client;
    },
    flushLogs: async () => {
      // Calls are recorded right after their response is sent (a setImmediate later).
      await new Promise((resolve) => setImmediate(resolve));
      await gateway.logWriter.flush();
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await gateway.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Two gateway instances on one database — `fx.gateway` ("a") and `b` — with a key and server-everything, for cross-instance tests. */
export async function startTwoInstances(envOver: Record<string, string> = {}): Promise<{ fx: GatewayFixture; b: RunningGateway; key: string }> {
  const fx = await startFixture({ instanceId: "a", warmWindowMs: 0 }, envOver);
  const b = await startGateway(fx.config, { instanceId: "b", warmWindowMs: 0 });
  const { key } = await fx.newKey();
  await fx.addServer(everythingServer("everything"));
  return { fx, b, key };
}
