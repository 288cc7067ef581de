/**
 * Real upstream MCP servers for the gateway's tests: server-everything and server-filesystem from
 * npm, and a small "probe" server built on the SDK's own Server that reports on stderr what
 * reached it (the gateway stores child stderr as server events, so tests can read it back).
 */
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

import { startEverything } from "@switchyard/core/testing";

const require = createRequire(import.meta.url);
export const FILESYSTEM_BIN = join(dirname(require.resolve("@modelcontextprotocol/server-filesystem/package.json")), "dist", "index.js");

/** The file URL of an SDK module, for scripts written out as upstream servers. */
export function sdkModule(path: string): string {
  // The SDK's exports map sends require() to dist/cjs; the probe is an ES module.
  return pathToFileURL(require.resolve(`@modelcontextprotocol/sdk/${path}`).replace("/dist/cjs/", "/dist/esm/")).href;
}

/**
 * Writes the probe server into `dir`: tools `hang` (waits until cancelled, logging the
 * cancellation and the request's id on stderr), `slow` (answers after `ms`), and any extra names (an extra `fail`
 * answers a JSON-RPC error: -32602 "bad arguments" with data); it starts answering only after
 * `startDelayMs`.
 */
export async function writeProbeServer(dir: string, extraToolNames: string[] = [], startDelayMs = 0): Promise<string> {
  const script = join(dir, `probe-server-${startDelayMs}.mjs`);
  await writeFile(
    script,
    `
import { Server } from ${JSON.stringify(sdkModule("server/index.js"))};
import { StdioServerTransport } from ${JSON.stringify(sdkModule("server/stdio.js"))};
import { CallToolRequestSchema, ListToolsRequestSchema, McpError } from ${JSON.stringify(sdkModule("types.js"))};
const server = new Server({ name: "probe", version: "1.0.0" }, { capabilities: { tools: {} } });
const names = ["hang", "slow", ...${JSON.stringify(extraToolNames)}];
server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: names.map((name) => ({ name, description: "probe " + name, inputSchema: { type: "object" } })) }));
server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
  const args = req.params.arguments ?? {};
  if (req.params.name === "fail") throw new McpError(-32602, "bad arguments", { field: "x" });
  if (req.params.name === "hang" || req.params.name === "slow") {
    const ms = req.params.name === "hang" ? 600000 : Number(args.ms ?? 100);
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      extra.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        console.error("probe: cancelled " + req.params.name + " (request " + String(extra.requestId) + ")");
        reject(new Error("cancelled"));
      });
    });
    return { content: [{ type: "text", text: "done" }] };
  }
  return { content: [{ type: "text", text: req.params.name }] };
});
// A slow starter (a server that installs itself on first run, say) answers nothing before this.
await new Promise((resolve) => setTimeout(resolve, ${startDelayMs}));
await server.connect(new StdioServerTransport());
`,
  );
  return script;
}

/**
 * Writes a server that declares logging and remembers the level `logging/setLevel` gave it; its
 * tool `current-level` answers that level ("unset" before any). Extra arguments (a marker to
 * find its process by) are ignored.
 */
export async function writeLevelServer(dir: string): Promise<string> {
  const script = join(dir, "level-server.mjs");
  await writeFile(
    script,
    `
import { Server } from ${JSON.stringify(sdkModule("server/index.js"))};
import { StdioServerTransport } from ${JSON.stringify(sdkModule("server/stdio.js"))};
import * as t from ${JSON.stringify(sdkModule("types.js"))};
const server = new Server({ name: "level", version: "1.0.0" }, { capabilities: { tools: {}, logging: {} } });
let level = "unset";
server.setRequestHandler(t.SetLevelRequestSchema, (req) => {
  level = req.params.level;
  return {};
});
server.setRequestHandler(t.ListToolsRequestSchema, () => ({ tools: [{ name: "current-level", description: "the level set by logging/setLevel", inputSchema: { type: "object" } }] }));
server.setRequestHandler(t.CallToolRequestSchema, () => ({ content: [{ type: "text", text: level }] }));
await server.connect(new StdioServerTransport());
`,
  );
  return script;
}

/**
 * Writes a server whose prompts (`{name}`) and resources (`shelf://{name}`) are the names in the
 * JSON array in `listFile`, read at each listing: a catalogue that changes between refreshes.
 * Extra arguments (a marker to find its process by) are ignored.
 */
export async function writeShelfServer(dir: string, listFile: string): Promise<string> {
  const script = join(dir, "shelf-server.mjs");
  await writeFile(
    script,
    `
import { readFileSync } from "node:fs";
import { Server } from ${JSON.stringify(sdkModule("server/index.js"))};
import { StdioServerTransport } from ${JSON.stringify(sdkModule("server/stdio.js"))};
import * as t from ${JSON.stringify(sdkModule("types.js"))};
const names = () => JSON.parse(readFileSync(${JSON.stringify(listFile)}, "utf8"));
const server = new Server({ name: "shelf", version: "1.0.0" }, { capabilities: { tools: {}, prompts: { listChanged: true }, resources: { listChanged: true } } });
server.setRequestHandler(t.ListToolsRequestSchema, () => ({ tools: [] }));
server.setRequestHandler(t.ListPromptsRequestSchema, () => ({ prompts: names().map((name) => ({ name })) }));
server.setRequestHandler(t.GetPromptRequestSchema, (req) => ({ messages: [{ role: "user", content: { type: "text", text: "shelf: " + req.params.name } }] }));
server.setRequestHandler(t.ListResourcesRequestSchema, () => ({ resources: names().map((name) => ({ uri: "shelf://" + name, name })) }));
server.setRequestHandler(t.ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [] }));
server.setRequestHandler(t.ReadResourceRequestSchema, (req) => ({ contents: [{ uri: req.params.uri, text: "on the shelf" }] }));
await server.connect(new StdioServerTransport());
`,
  );
  return script;
}

export interface HttpUpstream {
  url: string;
  stop: () => Promise<void>;
}

/** server-everything in its Streamable HTTP (`/mcp`) or SSE (`/sse`) mode on a free port. */
export async function startEverythingHttp(mode: "streamableHttp" | "sse"): Promise<HttpUpstream> {
  const running = await startEverything(mode);
  return { url: `http://127.0.0.1:${running.port}/${mode === "sse" ? "sse" : "mcp"}`, stop: () => running.stop() };
}

/**
 * Writes a server listing `count` prompts (`{name}-prompt-N`) and resources (`page://{name}/N`),
 * two per page, and a template `page://{name}/items/{id}`; its tool `announce` sends prompts and
 * resources list_changed. For pagination and list_changed across upstreams.
 */
export async function writePagingServer(dir: string, name: string, count: number): Promise<string> {
  const script = join(dir, `paging-server-${name}.mjs`);
  await writeFile(
    script,
    `
import { Server } from ${JSON.stringify(sdkModule("server/index.js"))};
import { StdioServerTransport } from ${JSON.stringify(sdkModule("server/stdio.js"))};
import * as t from ${JSON.stringify(sdkModule("types.js"))};
const name = ${JSON.stringify(name)};
const count = ${count};
const server = new Server({ name, version: "1.0.0" }, { capabilities: { tools: {}, prompts: { listChanged: true }, resources: { listChanged: true } } });
const page = (items, cursor) => {
  const start = cursor ? Number(cursor) : 0;
  const next = start + 2 < items.length ? String(start + 2) : undefined;
  return { items: items.slice(start, start + 2), ...(next ? { nextCursor: next } : {}) };
};
const indexes = [...Array(count).keys()];
server.setRequestHandler(t.ListToolsRequestSchema, () => ({ tools: [{ name: "announce", description: "sends list_changed", inputSchema: { type: "object" } }] }));
server.setRequestHandler(t.CallToolRequestSchema, async () => {
  await server.sendPromptListChanged();
  await server.sendResourceListChanged();
  return { content: [{ type: "text", text: "announced" }] };
});
server.setRequestHandler(t.ListPromptsRequestSchema, (req) => {
  const { items, nextCursor } = page(indexes.map((i) => ({ name: name + "-prompt-" + i, description: "prompt " + i })), req.params?.cursor);
  return { prompts: items, ...(nextCursor ? { nextCursor } : {}) };
});
server.setRequestHandler(t.GetPromptRequestSchema, (req) => ({ messages: [{ role: "user", content: { type: "text", text: "from " + name + ": " + req.params.name } }] }));
server.setRequestHandler(t.ListResourcesRequestSchema, (req) => {
  const { items, nextCursor } = page(indexes.map((i) => ({ uri: "page://" + name + "/" + i, name: name + " " + i })), req.params?.cursor);
  return { resources: items, ...(nextCursor ? { nextCursor } : {}) };
});
server.setRequestHandler(t.ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [{ uriTemplate: "page://" + name + "/items/{id}", name: name + " items" }] }));
server.setRequestHandler(t.ReadResourceRequestSchema, (req) => ({ contents: [{ uri: req.params.uri, text: "read by " + name }] }));
await server.connect(new StdioServerTransport());
`,
  );
  return script;
}

/**
 * Writes a server whose tool `ask-later` asks the client for its roots a moment after the call
 * returned (outside any call), and `last-roots` tells what the answer was.
 */
export async function writeRootsLaterServer(dir: string): Promise<string> {
  const script = join(dir, "roots-later-server.mjs");
  await writeFile(
    script,
    `
import { Server } from ${JSON.stringify(sdkModule("server/index.js"))};
import { StdioServerTransport } from ${JSON.stringify(sdkModule("server/stdio.js"))};
import * as t from ${JSON.stringify(sdkModule("types.js"))};
const server = new Server({ name: "roots-later", version: "1.0.0" }, { capabilities: { tools: {} } });
let last = "none";
const input = { type: "object" };
server.setRequestHandler(t.ListToolsRequestSchema, () => ({ tools: [{ name: "ask-later", inputSchema: input }, { name: "last-roots", inputSchema: input }] }));
server.setRequestHandler(t.CallToolRequestSchema, (req) => {
  if (req.params.name === "ask-later") {
    setTimeout(() => server.listRoots().then((r) => (last = JSON.stringify(r.roots)), (e) => (last = "error: " + e.message)), 200);
    return { content: [{ type: "text", text: "will ask" }] };
  }
  return { content: [{ type: "text", text: last }] };
});
await server.connect(new StdioServerTransport());
`,
  );
  return script;
}
