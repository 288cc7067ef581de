/**
 * What the upstream hot path assumes of the installed SDK (direct-requests.ts, call-control.ts,
 * upstream-pool.ts). DirectRequests takes over handlers the SDK Client owns on its transport and
 * mimics the Client's failures; when an SDK upgrade changes any of this, this file fails before
 * calls do. If it does, re-read the SDK's shared/protocol.js, fix the hot path (or set the gateway's
 * `hotPath.upstream` to "sdk", mcp/transport/route.ts) and update these checks.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { ChildProcess } from "node:child_process";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { CallToolRequestSchema, CallToolResultSchema, ErrorCode, ListToolsRequestSchema, McpError, ProgressNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { DirectRequests } from "./direct-requests";

/** A Client connected to a real SDK Server over the in-memory pair; `seen` holds what reached the server side. */
async function connected() {
  const seen: JSONRPCMessage[] = [];
  const server = new Server({ name: "upstream", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    if (req.params.name === "progress") {
      await extra.sendNotification({ method: "notifications/progress", params: { progressToken: req.params._meta?.progressToken ?? "none", progress: 1 } });
      return { content: [] };
    }
    await new Promise<void>((resolve) => extra.signal.addEventListener("abort", () => resolve(), { once: true }));
    return { content: [] };
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const serverOnMessage = serverSide.onmessage;
  serverSide.onmessage = (message, extra) => {
    seen.push(message);
    serverOnMessage?.call(serverSide, message, extra);
  };
  const client = new Client({ name: "gateway", version: "1.0.0" });
  const before = { onmessage: clientSide.onmessage, onclose: clientSide.onclose, onerror: clientSide.onerror };
  await client.connect(clientSide);
  open.push(client, server);
  return { client, server, serverSide, clientSide, seen, before };
}

let open: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close().catch(() => undefined)));
  open = [];
});

describe("the SDK Client as the direct path relies on it", () => {
  it("owns onmessage, onclose and onerror of its transport once connected, and `client.transport` is that transport", async () => {
    const { client, clientSide, before } = await connected();
    expect(before).toEqual({ onmessage: undefined, onclose: undefined, onerror: undefined });
    expect(client.transport).toBe(clientSide);
    expect(typeof clientSide.onmessage).toBe("function");
    expect(typeof clientSide.onclose).toBe("function");
    expect(typeof clientSide.onerror).toBe("function");
  });

  it("never sets the handlers again after connect, so the direct path's wrappers stay in place", async () => {
    const { client, clientSide } = await connected();
    new DirectRequests(clientSide);
    const wrapped = { onmessage: clientSide.onmessage, onclose: clientSide.onclose, onerror: clientSide.onerror };
    await client.listTools();
    await client.ping();
    await client.request({ method: "tools/call", params: { name: "progress" } }, CallToolResultSchema);
    expect({ onmessage: clientSide.onmessage, onclose: clientSide.onclose, onerror: clientSide.onerror }).toEqual(wrapped);
  });

  it("numbers its own requests (so the direct path's `sy-N` ids never meet its own)", async () => {
    const { client, seen } = await connected();
    await client.listTools();
    const ids = seen.filter((m) => "id" in m && "method" in m).map((m) => (m as { id: unknown }).id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(typeof id).toBe("number");
  });

  it("reports a response it did not ask for as an error: responses to direct requests must not reach it", async () => {
    const { client, serverSide } = await connected();
    const errors: Error[] = [];
    client.onerror = (e) => void errors.push(e);
    await serverSide.send({ jsonrpc: "2.0", id: "sy-1", result: { content: [] } });
    await expect.poll(() => errors.map((e) => e.message)).toEqual([expect.stringMatching(/unknown message ID/)]);
  });

  it("fails pending requests with ConnectionClosed \"Connection closed\" when the transport closes, as the direct path does", async () => {
    const { client, clientSide } = await connected();
    const direct = new DirectRequests(clientSide);
    const theirs = client.request({ method: "tools/call", params: { name: "hang" } }, CallToolResultSchema).catch((e: unknown) => e);
    const ours = direct.request("tools/call", { name: "hang" }).result.catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await client.close();
    const [sdkError, directError] = await Promise.all([theirs, ours]);
    expect(sdkError).toBeInstanceOf(McpError);
    expect(directError).toBeInstanceOf(McpError);
    expect({ code: (directError as McpError).code, message: (directError as McpError).message }).toEqual({ code: (sdkError as McpError).code, message: (sdkError as McpError).message });
    expect((sdkError as McpError).code).toBe(ErrorCode.ConnectionClosed);
  });

  it("leaves a progress token put in `_meta` alone when no onprogress is given, and lets the pool's progress handler replace its own", async () => {
    const { client } = await connected();
    const progress: unknown[] = [];
    client.setNotificationHandler(ProgressNotificationSchema, (n) => void progress.push(n.params));
    await client.request({ method: "tools/call", params: { name: "progress", _meta: { progressToken: 41 } } }, CallToolResultSchema);
    await expect.poll(() => progress).toEqual([{ progressToken: 41, progress: 1 }]);
  });

  it("keeps a stdio child in `_process`, its stdin writable once started (DirectRequests corks it)", async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: ["-e", "process.stdin.resume()"], stderr: "ignore" });
    await transport.start();
    try {
      const child = (transport as unknown as { _process?: ChildProcess })._process;
      expect(child?.pid).toBe(transport.pid);
      expect(child?.stdin?.writable).toBe(true);
    } finally {
      await transport.close();
    }
  });
});
