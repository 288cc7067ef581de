/**
 * Test helpers for the upstream pool: server configs for the real server-everything and a small
 * "probe" MCP server (the SDK's own low-level Server) that reports on stderr what reached it —
 * cancellations, notifications, request metadata — which server-everything does not reveal.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { McpServer } from "@switchyard/db";
import type { ServerConfig, StdioServerConfig } from "@switchyard/shared";
import { UpstreamError } from "../mcp/jsonrpc-errors";
import { UpstreamPool, type UpstreamPoolDeps } from "../mcp/upstream/upstream-pool";

import { EVERYTHING_BIN } from "@switchyard/core/testing";
import { sdkModule } from "./upstreams";

export function everything(over: Partial<StdioServerConfig> = {}): StdioServerConfig {
  return { name: "everything", transport: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio"], env: {}, timeoutMs: 10_000, enabled: true, isolation: "shared", ...over };
}

/** Writes the probe server script into `dir` and returns its config. */
export async function probeServer(dir: string, over: Partial<StdioServerConfig> = {}): Promise<StdioServerConfig> {
  const script = join(dir, "probe-server.mjs");
  await writeFile(
    script,
    `
import { Server } from ${JSON.stringify(sdkModule("server/index.js"))};
import { StdioServerTransport } from ${JSON.stringify(sdkModule("server/stdio.js"))};
import { CallToolRequestSchema, ListToolsRequestSchema, RootsListChangedNotificationSchema } from ${JSON.stringify(sdkModule("types.js"))};
const server = new Server({ name: "probe", version: "1.0.0" }, { capabilities: { tools: { listChanged: true } } });
const tools = ["wait", "echo-meta", "change-tools"].map((name) => ({ name, inputSchema: { type: "object" } }));
server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
  const args = req.params.arguments ?? {};
  if (req.params.name === "wait") {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, Number(args.ms ?? 0));
      extra.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        console.error("cancelled request " + extra.requestId + ": " + extra.signal.reason);
        reject(new Error("cancelled"));
      });
    });
    return { content: [{ type: "text", text: "waited" }], extra: "kept", structuredContent: { waited: true } };
  }
  if (req.params.name === "echo-meta") return { content: [{ type: "text", text: JSON.stringify(req.params._meta ?? null) }] };
  if (req.params.name === "change-tools") {
    await server.sendToolListChanged();
    return { content: [{ type: "text", text: "changed" }] };
  }
  throw new Error("unknown tool");
});
server.setNotificationHandler(RootsListChangedNotificationSchema, () => console.error("roots changed"));
await server.connect(new StdioServerTransport());
`,
  );
  return everything({ name: "probe", args: [script], ...over });
}

/** A stdio server that fails to start while `flagFile` exists, and is server-everything otherwise. */
export async function flakyServer(dir: string, flagFile: string): Promise<StdioServerConfig> {
  const script = join(dir, "flaky-server.mjs");
  await writeFile(
    script,
    `
import { existsSync } from "node:fs";
if (existsSync(${JSON.stringify(flagFile)})) { console.error("flag set: failing"); process.exit(1); }
process.argv = [process.argv[0], ${JSON.stringify(EVERYTHING_BIN)}, "stdio"];
await import(${JSON.stringify(pathToFileURL(EVERYTHING_BIN).href)});
`,
  );
  return everything({ name: "flaky", args: [script] });
}

type RecordedEvent = Parameters<UpstreamPoolDeps["recordEvent"]>[0];

/** An in-memory server registry and event log standing in for the database. */
export class FakeRegistry {
  readonly events: RecordedEvent[] = [];
  private readonly configs = new Map<string, { projectId: string; config: ServerConfig }>();

  set(projectId: string, serverId: string, config: ServerConfig): void {
    this.configs.set(serverId, { projectId, config });
  }

  readonly loadServer: UpstreamPoolDeps["loadServer"] = (projectId, serverId) => {
    const found = this.configs.get(serverId);
    // Another project's server is "not found", as in the real query.
    if (!found || found.projectId !== projectId) return Promise.reject(new Error("server not found"));
    const row = { id: serverId, projectId, name: found.config.name } as McpServer;
    return Promise.resolve({ row, config: found.config });
  };

  readonly recordEvent: UpstreamPoolDeps["recordEvent"] = (e) => {
    this.events.push(e);
  };

  eventsOf(serverId: string, category?: string): RecordedEvent[] {
    return this.events.filter((e) => e.serverId === serverId && (category === undefined || e.category === category));
  }

  /** Pids from the startup/restart events of a server, in order. */
  pidsOf(serverId: string): number[] {
    return this.eventsOf(serverId)
      .filter((e) => e.category === "startup" || e.category === "restart")
      .flatMap((e) => (typeof e.details?.pid === "number" ? [e.details.pid] : []));
  }
}

/** The pools of one test file, over one registry: `make` one per test, `closeAll` after each. */
export class TestPools {
  private readonly open: UpstreamPool[] = [];

  constructor(
    private readonly registry: FakeRegistry,
    private readonly scratchRoot: string,
    private readonly selfUrls: string[] = [],
  ) {}

  make(over: Partial<UpstreamPoolDeps> = {}): UpstreamPool {
    const pool = new UpstreamPool({
      loadServer: this.registry.loadServer,
      recordEvent: this.registry.recordEvent,
      policy: { stdio: "on", stdioAllowlist: [], allowPrivateUpstreams: false },
      scratchRoot: this.scratchRoot,
      selfUrls: this.selfUrls,
      ...over,
    });
    this.open.push(pool);
    return pool;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((p) => p.close()));
  }
}

/** The UpstreamError a pool call failed with (any other outcome fails the test). */
export async function poolFailure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof UpstreamError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}
