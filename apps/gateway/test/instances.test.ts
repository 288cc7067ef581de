/**
 * Sessions across instances (docs/ARCHITECTURE.md, "Sessions across instances"): two gateways on one
 * database, with Redis carrying the session bus and without it (Postgres NOTIFY). Real SDK clients
 * whose requests are steered to one instance or the other: initialize on A, calls on B; an
 * upstream's notification reaching the client through the instance holding its stream; a legacy
 * SSE POST landing on the instance without the stream; a restarted instance serving an existing
 * session without a new initialize; a revoked or foreign credential refused on restore.
 */
import { spawn } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ListRootsRequestSchema, ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { changePublishingHooks } from "@switchyard/core/changes";
import { CLI_ACTOR } from "@switchyard/core/context";
import { createServer, revokeApiKey } from "@switchyard/core/services";
import { baseEnv, CLI_BIN, everythingServer, freePort, headersFor, postJson, startFixture, startTwoInstances, waitFor, writeRootsLaterServer, type GatewayFixture } from "@switchyard/gateway/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type RunningGateway } from "../src/gateway";

/** Where the next requests of a client go: the test moves it between instances. */
interface Route {
  to: string;
}

/** A fetch that sends every request to `route.to`, whatever origin the client thinks it talks to. */
function routed(route: Route): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const target = new URL(route.to);
    url.protocol = target.protocol;
    url.host = target.host;
    return fetch(url, init);
  };
}

const BUSES: { bus: string; env: Record<string, string> }[] = [
  { bus: "Redis pub/sub", env: { REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" } },
  { bus: "Postgres NOTIFY", env: {} },
];

describe.each(BUSES)("two instances, session bus over $bus", ({ env }) => {
  let fx: GatewayFixture;
  let a: RunningGateway;
  let b: RunningGateway;
  let key: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    ({ fx, b, key } = await startTwoInstances(env));
    a = fx.gateway;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await b?.close();
    await fx?.close();
  });

  const mcpPath = () => `/projects/${fx.project.id}/mcp`;

  async function streamableClient(route: Route, k = key): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
    const transport = new StreamableHTTPClientTransport(new URL(`${a.url}${mcpPath()}`), { fetch: routed(route), requestInit: { headers: { authorization: `Bearer ${k}` } } });
    const client = new Client({ name: "instances-test", version: "1.0.0" });
    await client.connect(transport);
    clients.push(client);
    return { client, transport };
  }

  async function streamOwner(id: string): Promise<string | null | undefined> {
    const [row] = await fx.db.sql<{ stream_owner: string | null }[]>`select stream_owner from gateway_sessions where id = ${id}`;
    return row?.stream_owner;
  }

  it("serves a session opened on A from B, calls included, without a new initialize", async () => {
    const route = { to: a.url };
    const { client, transport } = await streamableClient(route);
    const id = transport.sessionId ?? "";
    route.to = b.url;
    expect(b.sessions.get(id)).toBeUndefined();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("everything__echo");
    expect(b.sessions.get(id)).toBeDefined();
    // Alternating, as a round-robin balancer would.
    for (let i = 0; i < 4; i++) {
      route.to = i % 2 ? a.url : b.url;
      expect(await client.callTool({ name: "everything__echo", arguments: { message: `call ${i}` } })).toEqual({ content: [{ type: "text", text: `Echo: call ${i}` }] });
    }
    await fx.flushLogs();
    await b.logWriter.flush();
    const [row] = await fx.db.sql<{ calls_total: number; ended_at: Date | null }[]>`select calls_total, ended_at from client_sessions where id = ${id}`;
    expect(row).toEqual({ calls_total: 4, ended_at: null });
  });

  it("sends an upstream's notification on B to the client's stream held by A", async () => {
    const route = { to: a.url };
    const { client, transport } = await streamableClient(route);
    const id = transport.sessionId ?? "";
    await waitFor(async () => (await streamOwner(id)) === "a", 5_000, "the GET stream held by A");
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    route.to = b.url;
    const uri = "demo://resource/dynamic/text/3";
    await client.subscribeResource({ uri });
    await client.callTool({ name: "everything__toggle-subscriber-updates", arguments: {} });
    try {
      await waitFor(() => updates.includes(uri), 15_000, "a resource update from B's upstream");
      expect(b.sessions.get(id)?.holdsStream).toBe(false);
      expect(a.sessions.get(id)?.holdsStream).toBe(true);
    } finally {
      await client.callTool({ name: "everything__toggle-subscriber-updates", arguments: {} });
      await client.unsubscribeResource({ uri });
    }
  });

  it("hands the client's answer to a sampling request asked by B, POSTed to A, back to B", async () => {
    // Calls go to B; the client's answers (JSON-RPC responses) to A, as a balancer might send them.
    const answersTo: Route = { to: a.url };
    const callsTo: Route = { to: b.url };
    const fetchFn: typeof fetch = (input, init) => {
      const body = typeof init?.body === "string" ? init.body : "";
      return routed(body.includes('"result"') ? answersTo : callsTo)(input, init);
    };
    const transport = new StreamableHTTPClientTransport(new URL(`${a.url}${mcpPath()}`), { fetch: fetchFn, requestInit: { headers: { authorization: `Bearer ${key}` } } });
    const client = new Client({ name: "instances-sampling", version: "1.0.0" }, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, () => ({ model: "test-model", role: "assistant", content: { type: "text", text: "sampled across instances" } }));
    await client.connect(transport);
    clients.push(client);
    const sampled = await client.callTool({ name: "everything__trigger-sampling-request", arguments: { prompt: "Say hi" } });
    expect(JSON.stringify(sampled.content)).toContain("sampled across instances");
    expect(a.sessions.get(transport.sessionId ?? "")).toBeDefined();
  });

  it("hands a legacy SSE POST landing on B to A, which holds the stream", async () => {
    const route = { to: a.url };
    const url = new URL(`${a.url}/projects/${fx.project.id}/servers/everything/sse`);
    // The stream (GET) goes to A; every POST to B.
    const fetchFn: typeof fetch = (input, init) => routed(init?.method === "POST" ? { to: b.url } : route)(input, init);
    const transport = new SSEClientTransport(url, { fetch: fetchFn, requestInit: { headers: { authorization: `Bearer ${key}` } } });
    const client = new Client({ name: "instances-sse", version: "1.0.0" });
    await client.connect(transport);
    clients.push(client);
    expect(await client.callTool({ name: "echo", arguments: { message: "via b" } })).toEqual({ content: [{ type: "text", text: "Echo: via b" }] });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const sseSessions = a.sessions.all().filter((s) => s.transport === "sse");
    expect(sseSessions).toHaveLength(1);
    expect(b.sessions.all().filter((s) => s.transport === "sse")).toEqual([]);
    await client.close();
    // The stream ended: the session is gone, and a POST for it anywhere is 404.
    const id = sseSessions[0]?.id ?? "";
    await waitFor(async () => (await fx.db.sql`select 1 from gateway_sessions where id = ${id}`).length === 0, 3_000, "SSE session state deleted");
    const late = await postJson(`${b.url}/projects/${fx.project.id}/servers/everything/messages?sessionId=${id}`, { jsonrpc: "2.0", id: 1, method: "ping" }, headersFor(key));
    expect(late.status).toBe(404);
  });

  it("keeps a Streamable HTTP session across a restart of the instance serving it, with recently used upstreams warmed", async () => {
    const route = { to: b.url };
    const { client, transport } = await streamableClient(route);
    const id = transport.sessionId ?? "";
    expect((await client.callTool({ name: "everything__echo", arguments: { message: "before" } })).content).toBeDefined();
    await b.close();
    // The upstream used in the last hour is started at boot, before any call asks for it.
    b = await startGateway(fx.config, { instanceId: "b" });
    expect(await b.warmed).toBe(1);
    expect(b.pool.stats().upstreams).toBe(1);
    route.to = b.url;
    expect(await client.callTool({ name: "everything__echo", arguments: { message: "after" } })).toEqual({ content: [{ type: "text", text: "Echo: after" }] });
    expect(transport.sessionId).toBe(id);
    expect(b.sessions.get(id)).toBeDefined();
  });

  it("refuses a stored session to another credential (404) and to a revoked one (401), and forgets it on revocation", async () => {
    const mine = await fx.newKey();
    const other = await fx.newKey();
    const route = { to: a.url };
    const { transport } = await streamableClient(route, mine.key);
    const id = transport.sessionId ?? "";
    const ping = (k: string) => postJson(`${b.url}${mcpPath()}`, { jsonrpc: "2.0", id: 7, method: "ping" }, headersFor(k, { "mcp-session-id": id, "mcp-protocol-version": "2025-06-18" }));
    expect((await ping(other.key)).status).toBe(404);
    expect(b.sessions.get(id)).toBeUndefined();
    await revokeApiKey({ ...fx.deps, hooks: changePublishingHooks(fx.db.sql) }, CLI_ACTOR, fx.project, mine.id);
    await waitFor(async () => (await fx.db.sql`select 1 from gateway_sessions where id = ${id}`).length === 0, 2_000, "stored session deleted");
    expect((await ping(mine.key)).status).toBe(401);
    await fx.flushLogs();
    await b.logWriter.flush();
    await waitFor(async () => (await fx.db.sql<{ end_reason: string }[]>`select end_reason from client_sessions where id = ${id}`)[0]?.end_reason === "key_revoked", 3_000, "end recorded");
  });

  it("asks the client through A's stream when a per-session upstream on B asks outside any call", async () => {
    const script = await writeRootsLaterServer(fx.dataDir);
    const hooks = changePublishingHooks(fx.db.sql);
    await createServer({ ...fx.deps, hooks }, CLI_ACTOR, fx.project, { name: "later", transport: "stdio", command: process.execPath, args: [script], isolation: "per_session" });
    const route = { to: a.url };
    const transport = new StreamableHTTPClientTransport(new URL(`${a.url}${mcpPath()}`), { fetch: routed(route), requestInit: { headers: { authorization: `Bearer ${key}` } } });
    const client = new Client({ name: "instances-roots", version: "1.0.0" }, { capabilities: { roots: { listChanged: true } } });
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: "file:///across", name: "across" }] }));
    await client.connect(transport);
    clients.push(client);
    const id = transport.sessionId ?? "";
    await waitFor(async () => (await streamOwner(id)) === "a", 5_000, "the GET stream held by A");
    route.to = b.url;
    const text = async (name: string) => JSON.stringify((await client.callTool({ name, arguments: {} })).content);
    await waitFor(async () => (await text("later__ask-later")).includes("will ask"), 10_000, "the new server served on B");
    await waitFor(async () => (await text("later__last-roots")).includes("file:///across"), 10_000, "the roots answered through A");
  });
});

describe("an instance killed (SIGKILL)", () => {
  let fx: GatewayFixture;
  let key: string;

  beforeAll(async () => {
    fx = await startFixture({ instanceId: "survivor", warmWindowMs: 0 });
    ({ key } = await fx.newKey());
    await fx.addServer(everythingServer("everything"));
  }, 60_000);

  afterAll(async () => fx?.close());

  it("fails only the calls in flight on it; its sessions go on with another instance", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [CLI_BIN, "gateway"], {
      env: baseEnv({
        DATABASE_URL: fx.config.databaseUrl,
        SWITCHYARD_SECRET_KEY: fx.config.secretKey,
        AUTH_SECRET: fx.config.authSecret,
        SWITCHYARD_DATA_DIR: fx.dataDir,
        STDIO_SERVERS: "on",
        STDIO_SANDBOX: "off",
        HOST: "127.0.0.1",
        GATEWAY_PORT: String(port),
        LOG_LEVEL: "error",
      }),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const doomed = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${doomed}/healthz`).catch(() => undefined))?.ok, 30_000, `gateway up (${stderr})`);
      const route = { to: doomed };
      const transport = new StreamableHTTPClientTransport(new URL(`${doomed}/projects/${fx.project.id}/mcp`), { fetch: routed(route), requestInit: { headers: { authorization: `Bearer ${key}` } } });
      const client = new Client({ name: "sigkill-test", version: "1.0.0" });
      await client.connect(transport);
      try {
        expect(await client.callTool({ name: "everything__echo", arguments: { message: "before" } })).toEqual({ content: [{ type: "text", text: "Echo: before" }] });
        const inFlight = client.callTool({ name: "everything__trigger-long-running-operation", arguments: { duration: 5, steps: 5 } }).then(
          () => "answered",
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        // As a balancer would once the instance is gone: what follows goes to the survivor.
        route.to = fx.gateway.url;
        child.kill("SIGKILL");
        await exited;
        expect(await inFlight).toMatch(/fetch failed|terminated|closed/i);
        expect(await client.callTool({ name: "everything__echo", arguments: { message: "after" } })).toEqual({ content: [{ type: "text", text: "Echo: after" }] });
        expect(fx.gateway.sessions.get(transport.sessionId ?? "")).toBeDefined();
      } finally {
        await client.close().catch(() => undefined);
      }
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);
});
