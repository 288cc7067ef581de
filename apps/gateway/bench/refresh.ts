/**
 * `npm run bench:refresh` — the worker's status refresh over 200 servers (docs/BENCHMARKS.md: 10 % dead,
 * 10 % slow, all refreshed in ≤ 3 × the call timeout), through the real path: refreshServerStatus
 * with the worker's probe (connectUpstream over Streamable HTTP) and every result written to Postgres.
 *
 * Upstreams, all on loopback (private upstreams allowed for the bench):
 *   fast  — real MCP servers (SDK low-level Server, Streamable HTTP), several endpoints per process-local listener
 *   slow  — the same, answering `initialize` and `tools/list` only after --slow-ms each
 *   dead  — half a closed port (connection refused), half a blackhole (accepts, never answers: costs the connect timeout)
 *
 * Database: a scratch database on the server of DATABASE_URL (dropped afterwards), or an embedded
 * Postgres in a temporary directory when DATABASE_URL is unset.
 * Options: --servers N (200) --remote-concurrency N (the worker's default, 32) --call-timeout MS (5000)
 *          --connect-timeout MS (5000) --slow-ms MS (1500)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { Keyring, generateSecretKey } from "@switchyard/core/secrets";
import { REFRESH_DEFAULTS, createServerProbe, refreshServerStatus } from "@switchyard/core/status";
import { sealServerConfig } from "@switchyard/core/servers";
import { insertProject, insertServer, insertTeam } from "@switchyard/db";
import { cleanupAll, openScratchDatabase } from "./scratch-database";
import { benchArgs, numberOption } from "./options";

const { values: args } = benchArgs({
  options: {
    servers: { type: "string", default: "200" },
    "remote-concurrency": { type: "string", default: String(REFRESH_DEFAULTS.remoteConcurrency) },
    "call-timeout": { type: "string", default: "5000" },
    "connect-timeout": { type: "string", default: "5000" },
    "slow-ms": { type: "string", default: "1500" },
  },
});
const TOTAL = numberOption("servers", args.servers);
const CONCURRENCY = numberOption("remote-concurrency", args["remote-concurrency"]);
const CALL_TIMEOUT = numberOption("call-timeout", args["call-timeout"]);
const CONNECT_TIMEOUT = numberOption("connect-timeout", args["connect-timeout"]);
const SLOW_MS = numberOption("slow-ms", args["slow-ms"], { min: 0 });
const DEAD = Math.round(TOTAL * 0.1);
const SLOW = Math.round(TOTAL * 0.1);
const FAST = TOTAL - DEAD - SLOW;
const ENDPOINTS_PER_LISTENER = 40;
const TARGET_FACTOR = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => (ms / 1000).toFixed(2);

// ---- upstreams -------------------------------------------------------------------------------

const TOOLS = Array.from({ length: 5 }, (_, i) => ({
  name: `tool_${i}`,
  description: `Bench tool ${i}`,
  inputSchema: { type: "object" as const, properties: { q: { type: "string" } } },
}));

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown) : undefined;
}

/** One listener serving many stateless MCP endpoints (`/mcp/<n>`); `delayMs` holds back initialize and tools/list. */
async function startMcpListener(delayMs: number): Promise<{ server: HttpServer; port: number }> {
  const server = createHttpServer((req, res) => {
    void (async () => {
      const body = req.method === "POST" ? await readJson(req) : undefined;
      const method = body && typeof body === "object" && "method" in body ? String(body.method) : "";
      if (delayMs && method === "initialize") await sleep(delayMs);
      const mcp = new Server({ name: `bench${req.url ?? ""}`, version: "1.0.0" }, { capabilities: { tools: {} } });
      mcp.setRequestHandler(ListToolsRequestSchema, async () => {
        if (delayMs) await sleep(delayMs);
        return { tools: TOOLS };
      });
      // Stateless: a fresh server and transport per request, as the SDK's stateless example does.
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on("close", () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch(() => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Accepts connections and never answers: a hung host. */
async function startBlackhole(): Promise<{ server: TcpServer; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((s) => {
    sockets.add(s);
    s.on("error", () => undefined);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---- run -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { where, handle } = await openScratchDatabase("refresh", { max: CONCURRENCY + 4 });
  const keyring = Keyring.fromStrings(generateSecretKey());
  const scratchRoot = await mkdtemp(join(tmpdir(), "switchyard-bench-scratch-"));
  const listeners: HttpServer[] = [];
  const blackhole = await startBlackhole();
  try {
    const fastListeners = await Promise.all(Array.from({ length: Math.ceil(FAST / ENDPOINTS_PER_LISTENER) }, () => startMcpListener(0)));
    const slowListener = await startMcpListener(SLOW_MS);
    listeners.push(...fastListeners.map((l) => l.server), slowListener.server);
    const refused = await closedPort();

    const urls: string[] = [];
    for (let i = 0; i < FAST; i++) urls.push(`http://127.0.0.1:${fastListeners[Math.floor(i / ENDPOINTS_PER_LISTENER)]?.port ?? 0}/mcp/${i}`);
    for (let i = 0; i < SLOW; i++) urls.push(`http://127.0.0.1:${slowListener.port}/mcp/slow-${i}`);
    for (let i = 0; i < DEAD; i++) urls.push(`http://127.0.0.1:${i % 2 === 0 ? refused : blackhole.port}/mcp/dead-${i}`);

    const team = await insertTeam(handle.db, { name: "Bench", slug: "bench" });
    const project = await insertProject(handle.db, team.id, { name: "Bench", slug: "bench" });
    for (const [i, u] of urls.entries()) {
      await insertServer(
        handle.db,
        project.id,
        sealServerConfig(keyring, { name: `server-${String(i).padStart(3, "0")}`, transport: "streamable_http", url: u, headers: {}, timeoutMs: 60_000, enabled: true, isolation: "shared" }),
      );
    }
    const probe = createServerProbe({ keyring, policy: { stdio: "off", stdioAllowlist: [], allowPrivateUpstreams: true }, scratchRoot, selfUrls: [] });

    console.log(`status refresh benchmark — ${TOTAL} servers: ${FAST} fast, ${SLOW} slow (answer initialize and tools/list after ${SLOW_MS} ms each), ${DEAD} dead (${Math.ceil(DEAD / 2)} refused, ${Math.floor(DEAD / 2)} blackholed)`);
    console.log(`remote concurrency ${CONCURRENCY} (stdio ${REFRESH_DEFAULTS.concurrency}, unused here) · connect timeout ${CONNECT_TIMEOUT} ms · call timeout ${CALL_TIMEOUT} ms · ${where}`);
    let failed = false;
    for (const label of ["cold (no status yet)", "warm (slowest first from the last run)"]) {
      const started = performance.now();
      const summary = await refreshServerStatus({ db: handle.db, probe }, { kind: "all" }, { remoteConcurrency: CONCURRENCY, connectTimeoutMs: CONNECT_TIMEOUT, callTimeoutMs: CALL_TIMEOUT, slowMs: SLOW_MS });
      const ms = performance.now() - started;
      const factor = ms / CALL_TIMEOUT;
      const ok = factor <= TARGET_FACTOR;
      failed ||= !ok;
      console.log(
        `run ${label}: ${secs(ms)} s = ${factor.toFixed(2)} × call timeout (target ≤ ${TARGET_FACTOR}×) ${ok ? "PASS" : "FAIL"}` +
          ` · online ${summary.online} · degraded ${summary.degraded} · offline ${summary.offline} · error ${summary.error} · checked ${summary.done}/${summary.total}`,
      );
    }
    process.exitCode = failed ? 1 : 0;
  } finally {
    for (const s of blackhole.sockets) s.destroy();
    blackhole.server.close();
    for (const l of listeners) l.closeAllConnections();
    await Promise.all(listeners.map((l) => new Promise((resolve) => l.close(resolve))));
    await rm(scratchRoot, { recursive: true, force: true });
  }
}

try {
  await main();
} finally {
  await cleanupAll();
}
