import type { ChildProcess } from "node:child_process";
import type { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { DirectRequests } from "./direct-requests";

/** A real SDK server and client over the SDK's in-memory transport pair, with DirectRequests on the client's side. */
async function connected() {
  const cancelled: string[] = [];
  const server = new Server({ name: "upstream", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [{ name: "echo", inputSchema: { type: "object" } }] }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    const args = req.params.arguments ?? {};
    if (req.params.name === "fail") throw new McpError(ErrorCode.InvalidParams, "bad arguments", { field: "x" });
    if (req.params.name === "hang") {
      await new Promise<void>((resolve) => extra.signal.addEventListener("abort", () => resolve(), { once: true }));
      cancelled.push(String(extra.requestId));
      return { content: [] };
    }
    return { content: [{ type: "text", text: `Echo: ${String(args.message)}` }], structuredContent: { echoed: args.message }, extraField: 1 };
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "gateway", version: "1.0.0" });
  await client.connect(clientSide);
  if (!client.transport) throw new Error("client has no transport");
  const direct = new DirectRequests(client.transport);
  return { server, client, direct, cancelled };
}

let open: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close().catch(() => undefined)));
  open = [];
});

describe("DirectRequests", () => {
  it("returns the upstream's result unchanged, beside the Client's own requests", async () => {
    const { client, direct, server } = await connected();
    open.push(client, server);
    const [result, listed] = await Promise.all([direct.request("tools/call", { name: "echo", arguments: { message: "hi" } }).result, client.listTools()]);
    expect(result).toEqual({ content: [{ type: "text", text: "Echo: hi" }], structuredContent: { echoed: "hi" }, extraField: 1 });
    expect(listed.tools.map((t) => t.name)).toEqual(["echo"]);
    expect(direct.size).toBe(0);
  });

  it("rejects with the upstream's JSON-RPC error as an McpError", async () => {
    const { client, direct, server } = await connected();
    open.push(client, server);
    const error = await direct.request("tools/call", { name: "fail" }).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: ErrorCode.InvalidParams, data: { field: "x" } });
    expect((error as Error).message).toContain("bad arguments");
  });

  it("cancel tells the upstream (notifications/cancelled with our id) and rejects at once with the reason", async () => {
    const { client, direct, server, cancelled } = await connected();
    open.push(client, server);
    const request = direct.request("tools/call", { name: "hang" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    request.cancel(new Error("timed out after 20 ms"));
    await expect(request.result).rejects.toThrow("timed out after 20 ms");
    await expect.poll(() => cancelled).toEqual(["sy-1"]);
    expect(direct.size).toBe(0);
    // The connection is still good for the next call.
    await expect(direct.request("tools/call", { name: "echo", arguments: { message: "again" } }).result).resolves.toMatchObject({ content: [{ text: "Echo: again" }] });
  });

  it("fails pending and later requests as the SDK does when the connection closes", async () => {
    const { client, direct, server } = await connected();
    open.push(server);
    const pending = direct.request("tools/call", { name: "hang" });
    await client.close();
    const error = await pending.result.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.ConnectionClosed });
    expect((error as Error).message).toContain("Connection closed");
    await expect(direct.request("tools/call", { name: "echo" }).result).rejects.toMatchObject({ code: ErrorCode.ConnectionClosed });
  });

  it("writes the requests of one turn to a stdio child in one write, and each is answered", async () => {
    // A child answering every request with how many reads of its stdin it has seen so far.
    const child = `let reads = 0, rest = "";
      process.stdin.on("data", (chunk) => {
        reads++;
        const lines = (rest + chunk).split("\\n");
        rest = lines.pop();
        for (const line of lines) {
          const m = JSON.parse(line);
          if (m.id !== undefined && m.method) process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { reads } }) + "\\n");
        }
      });`;
    const transport = new StdioClientTransport({ command: process.execPath, args: ["-e", child], stderr: "ignore" });
    await transport.start();
    open.push(transport);
    const direct = new DirectRequests(transport);
    // What reaches the pipe: one `_writev` with every chunk of the turn, instead of a `_write` each.
    const stdin = (transport as unknown as { _process: ChildProcess })._process.stdin as Writable;
    const writes: number[] = [];
    const [writev, write] = [stdin._writev?.bind(stdin), stdin._write.bind(stdin)];
    stdin._writev = (chunks, cb) => (writes.push(chunks.length), writev?.(chunks, cb));
    stdin._write = (chunk, encoding, cb) => (writes.push(1), write(chunk, encoding, cb));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => direct.request("tools/call", { name: "echo", arguments: { i } }).result));
    expect(writes).toEqual([20]);
    expect(results).toEqual(Array.from({ length: 20 }, () => ({ reads: 1 })));
    // The next turn's request goes in the next write.
    expect(await direct.request("tools/call", { name: "echo" }).result).toEqual({ reads: 2 });
    expect(writes).toEqual([20, 1]);
  });
});
