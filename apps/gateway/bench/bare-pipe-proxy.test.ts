import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupAll, EVERYTHING_BIN, freePort, httpOk, startProcess } from "./gateway-support";
import { leanSse, leanStreamable } from "./lean-mcp-client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
let base = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const script = new URL("./bare-pipe-proxy.ts", import.meta.url).pathname;
  await startProcess("bare pipe proxy", ["--import", pathToFileURL(require.resolve("tsx")).href, script, String(port), process.execPath, EVERYTHING_BIN, "stdio"], {}, httpOk(`${base}/ready`));
});

afterAll(() => cleanupAll());

const texts = (result: Awaited<ReturnType<Client["callTool"]>>) => (result.content as { text?: string }[]).map((c) => c.text);

describe("the bare pipe proxy of bench:gateway", () => {
  it("serves SDK clients over Streamable HTTP and SSE at once, each call answered with its own echo", async () => {
    const clients = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const client = new Client({ name: "test", version: "1.0.0" });
        await client.connect(i % 2 ? new SSEClientTransport(new URL(`${base}/sse`)) : new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
        return client;
      }),
    );
    const answers = await Promise.all(clients.flatMap((client, c) => Array.from({ length: 20 }, (_, k) => client.callTool({ name: "echo", arguments: { message: `${c}.${k}` } }).then(texts))));
    expect(answers).toEqual(clients.flatMap((_, c) => Array.from({ length: 20 }, (__, k) => [`Echo: ${c}.${k}`])));
    await Promise.all(clients.map((c) => c.close()));
  });

  it("serves the lean client of the throughput runs on both transports", async () => {
    const sessions = await Promise.all([leanStreamable(`${base}/mcp`, {}), leanSse(`${base}/sse`, {})]);
    expect(await Promise.all(sessions.map((s, i) => s.echo("echo", `lean ${i}`)))).toEqual(["Echo: lean 0", "Echo: lean 1"]);
    for (const s of sessions) s.close();
  });
});
