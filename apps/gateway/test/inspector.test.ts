/**
 * The MCP Inspector CLI (a real third-party client) against the gateway: tools/list and
 * tools/call over Streamable HTTP and legacy SSE with the API key as a header, and the session
 * it opened recorded as an `inspector` client.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingServer, type GatewayFixture, startFixture, waitFor } from "@switchyard/gateway/testing";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
/** `mcp-inspector` is the bin of @modelcontextprotocol/inspector (1.0.x has --header). */
const INSPECTOR_BIN = join(dirname(require.resolve("@modelcontextprotocol/inspector/package.json")), "cli", "build", "cli.js");

let fx: GatewayFixture;
let key: string;

beforeAll(async () => {
  fx = await startFixture();
  key = (await fx.newKey()).key;
  await fx.addServer(everythingServer("everything"));
  // The Inspector lists once and exits: fill the catalogue first (the worker's refresh would), so
  // its single listing does not also pay for the server's first start.
  const warm = await fx.connect({ key });
  await waitFor(async () => (await warm.listTools()).tools.length > 0, 20_000, "catalogue filled");
}, 60_000);

afterAll(async () => fx?.close());

async function inspector(url: string, transport: "http" | "sse", args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [INSPECTOR_BIN, "--cli", url, "--transport", transport, "--header", `Authorization: Bearer ${key}`, ...args], {
    timeout: 45_000,
    env: { PATH: process.env.PATH ?? "", HOME: fx.dataDir },
  });
  return JSON.parse(stdout) as unknown;
}

describe("MCP Inspector CLI", () => {
  it("lists the aggregated tools over Streamable HTTP", async () => {
    const out = (await inspector(fx.endpointUrl({}), "http", ["--method", "tools/list"])) as { tools: { name: string }[] };
    expect(out.tools.map((t) => t.name)).toContain("everything__echo");
  }, 60_000);

  it("calls a tool over legacy SSE on a server's endpoint", async () => {
    const out = await inspector(fx.endpointUrl({ transport: "sse", server: "everything" }), "sse", ["--method", "tools/call", "--tool-name", "echo", "--tool-arg", "message=hi"]);
    expect(out).toEqual({ content: [{ type: "text", text: "Echo: hi" }] });
    await fx.flushLogs();
    const rows = await fx.db.sql<{ client_type: string; client_name: string }[]>`select client_type, client_name from client_sessions where project_id = ${fx.project.id} and transport = 'sse'`;
    // Inspector 1.0.1 introduces itself as "inspector" (FIELD-NOTES says "inspector-cli"); both are detected.
    expect(rows).toHaveLength(1);
    expect(rows[0]?.client_type).toBe("inspector");
    expect(rows[0]?.client_name).toMatch(/inspector/);
  }, 60_000);
});
