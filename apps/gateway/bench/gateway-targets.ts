/**
 * What bench:gateway measures: every path to server-everything's `echo`, each its own process —
 * direct stdio, the gateway (Streamable HTTP and SSE, API key, rate limit and call log on), the
 * bare pipe proxy (bench/bare-pipe-proxy.ts: the floor), mcp-proxy, supergateway, and with
 * --baseline another build's gateway — and how to open SDK and lean client sessions on each.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CLI_BIN, EVERYTHING_BIN, freePort, httpOk, startProcess, type BenchProject } from "./gateway-support";
import { leanSse, leanStreamable, type LeanSession } from "./lean-mcp-client";

const require = createRequire(import.meta.url);
const SUPERGATEWAY_BIN = require.resolve("supergateway/dist/index.js");
const MCP_PROXY_BIN = require.resolve("mcp-proxy/dist/bin/mcp-proxy.mjs");
const TSX_LOADER = pathToFileURL(require.resolve("tsx")).href;
const BARE_PROXY = new URL("./bare-pipe-proxy.ts", import.meta.url).pathname;
const EVERYTHING_CMD = `${process.execPath} ${EVERYTHING_BIN} stdio`;

export type Kind = "direct" | "gateway" | "baseline" | "bare" | "mcp-proxy" | "supergateway";

export interface Target {
  name: string;
  kind: Kind;
  transport: "stdio" | "http" | "sse";
  tool: string;
  /** An SDK client session: latency, and the SDK-client throughput load. */
  connect: () => Promise<Client>;
  /** A lean client session (bench/lean-mcp-client.ts): the lean throughput load. */
  lean?: () => Promise<LeanSession>;
  /** The proxy's process, for CPU accounting. */
  pid?: number;
}

export interface TargetOptions {
  only: string[];
  /** A checkout of another build whose gateway runs beside this one (the A/B). */
  baseline?: string;
  /** Runs the gateway(s) with `node --cpu-prof`, one subdirectory per gateway. */
  cpuProfDir?: string;
}

async function connectWith(transport: StdioClientTransport | StreamableHTTPClientTransport | SSEClientTransport): Promise<Client> {
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/**
 * The SDK transports pass one long-lived AbortSignal to every POST's fetch, and Node's fetch keeps
 * a listener on it per request until that request is garbage collected: over thousands of calls
 * the list grows and every add walks it, slowing the load generator (and warning past 1,500).
 * POSTs go without the signal here; the streams keep theirs so close() still ends them.
 */
const postsWithoutSignal: typeof fetch = (input, init) => {
  if (init?.method !== "POST") return fetch(input, init);
  const { signal: _unused, ...rest } = init;
  return fetch(input, rest);
};

function remote(name: string, kind: Kind, transport: "http" | "sse", tool: string, url: string, auth: () => Promise<Record<string, string>>, pid: number | undefined): Target {
  return {
    name,
    kind,
    transport,
    tool,
    pid,
    connect: async () => {
      const options = { requestInit: { headers: await auth() }, fetch: postsWithoutSignal };
      return connectWith(transport === "http" ? new StreamableHTTPClientTransport(new URL(url), options) : new SSEClientTransport(new URL(url), options));
    },
    lean: async () => (transport === "http" ? leanStreamable(url, await auth()) : leanSse(url, await auth())),
  };
}

const profiled = (dir: string | undefined, label: string) => (dir ? ["--cpu-prof", `--cpu-prof-dir=${join(dir, label)}`] : []);

/** Starts every process the selected targets need; all die with the benchmark (gateway-support). */
export async function startTargets(project: BenchProject, dbUrl: string, dataDir: string, options: TargetOptions): Promise<Target[]> {
  const wanted = (name: string) => options.only.length === 0 || options.only.some((text) => name.includes(text));
  const anyWanted = (...names: string[]) => names.some(wanted);
  const [gwPort, basePort, barePort, sgSsePort, sgHttpPort, proxyPort] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  const env = { DATABASE_URL: dbUrl, SWITCHYARD_SECRET_KEY: project.secretKey, AUTH_SECRET: project.authSecret, SWITCHYARD_DATA_DIR: dataDir, STDIO_SERVERS: "on", HOST: "127.0.0.1", GATEWAY_PORT: String(gwPort), LOG_LEVEL: "error", ...(process.env.STDIO_SANDBOX ? { STDIO_SANDBOX: process.env.STDIO_SANDBOX } : {}), ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}) };
  // Every gateway session gets its own key (at the highest per-key limit), as separate users would.
  const key = async () => ({ authorization: `Bearer ${await project.newKey()}` });
  const none = () => Promise.resolve({});
  const targets: Target[] = [];
  if (wanted("direct stdio")) {
    targets.push({ name: "direct stdio", kind: "direct", transport: "stdio", tool: "echo", connect: () => connectWith(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING_BIN, "stdio"], stderr: "ignore" })) });
  }
  if (anyWanted("gateway Streamable HTTP", "gateway SSE")) {
    const gateway = await startProcess("gateway", [...profiled(options.cpuProfDir, "gateway"), CLI_BIN, "gateway"], env, httpOk(`http://127.0.0.1:${gwPort}/healthz`));
    const endpoint = `http://127.0.0.1:${gwPort}/projects/${project.projectId}`;
    targets.push(remote("gateway Streamable HTTP", "gateway", "http", "everything__echo", `${endpoint}/mcp`, key, gateway.pid));
    targets.push(remote("gateway SSE", "gateway", "sse", "everything__echo", `${endpoint}/sse`, key, gateway.pid));
  }
  if (options.baseline && anyWanted("baseline gateway Streamable HTTP", "baseline gateway SSE")) {
    const bin = join(options.baseline, "apps", "gateway", "bin", "switchyard.js");
    const baseline = await startProcess("baseline gateway", [...profiled(options.cpuProfDir, "baseline-gateway"), bin, "gateway"], { ...env, GATEWAY_PORT: String(basePort), SWITCHYARD_DATA_DIR: join(dataDir, "baseline") }, httpOk(`http://127.0.0.1:${basePort}/healthz`));
    const endpoint = `http://127.0.0.1:${basePort}/projects/${project.projectId}`;
    targets.push(remote("baseline gateway Streamable HTTP", "baseline", "http", "everything__echo", `${endpoint}/mcp`, key, baseline.pid));
    targets.push(remote("baseline gateway SSE", "baseline", "sse", "everything__echo", `${endpoint}/sse`, key, baseline.pid));
  }
  if (anyWanted("bare pipe proxy Streamable HTTP", "bare pipe proxy SSE")) {
    const bare = await startProcess("bare pipe proxy", ["--import", TSX_LOADER, BARE_PROXY, String(barePort), process.execPath, EVERYTHING_BIN, "stdio"], {}, httpOk(`http://127.0.0.1:${barePort}/ready`));
    targets.push(remote("bare pipe proxy Streamable HTTP", "bare", "http", "echo", `http://127.0.0.1:${barePort}/mcp`, none, bare.pid));
    targets.push(remote("bare pipe proxy SSE", "bare", "sse", "echo", `http://127.0.0.1:${barePort}/sse`, none, bare.pid));
  }
  if (anyWanted("mcp-proxy Streamable HTTP", "mcp-proxy SSE")) {
    const proxy = await startProcess("mcp-proxy", [MCP_PROXY_BIN, "--port", String(proxyPort), "--host", "127.0.0.1", "--", process.execPath, EVERYTHING_BIN, "stdio"], {}, httpOk(`http://127.0.0.1:${proxyPort}/ready`));
    targets.push(remote("mcp-proxy Streamable HTTP", "mcp-proxy", "http", "echo", `http://127.0.0.1:${proxyPort}/mcp`, none, proxy.pid));
    targets.push(remote("mcp-proxy SSE", "mcp-proxy", "sse", "echo", `http://127.0.0.1:${proxyPort}/sse`, none, proxy.pid));
  }
  if (wanted("supergateway Streamable HTTP")) {
    const sg = await startProcess("supergateway (Streamable HTTP)", [SUPERGATEWAY_BIN, "--stdio", EVERYTHING_CMD, "--outputTransport", "streamableHttp", "--stateful", "--port", String(sgHttpPort), "--logLevel", "none"], {}, httpOk(`http://127.0.0.1:${sgHttpPort}/ready`));
    targets.push(remote("supergateway Streamable HTTP", "supergateway", "http", "echo", `http://127.0.0.1:${sgHttpPort}/mcp`, none, sg.pid));
  }
  if (wanted("supergateway SSE")) {
    const sg = await startProcess("supergateway (SSE)", [SUPERGATEWAY_BIN, "--stdio", EVERYTHING_CMD, "--port", String(sgSsePort), "--logLevel", "none"], {}, httpOk(`http://127.0.0.1:${sgSsePort}/ready`));
    targets.push(remote("supergateway SSE", "supergateway", "sse", "echo", `http://127.0.0.1:${sgSsePort}/sse`, none, sg.pid));
  }
  // Filtered again: "gateway S" also names the baseline's and the bare proxy's targets.
  return targets.filter((t) => wanted(t.name));
}
