/**
 * The hot call exists twice (mcp/transport/route.ts): downstream the fast path or the session's
 * SDK Server, upstream DirectRequests or the SDK Client. Two gateways, one on the fast routes (the
 * default) and one forced onto the SDK's through the `hotPath` option, take the same calls from a
 * real SDK client over both transports, to the same real stdio upstreams; what the client sees
 * (results, errors, progress) and the log rows written (ids and times aside) must be the same.
 */
import { randomUUID } from "node:crypto";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { McpError, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayOptions } from "../src/gateway";
import { everythingServer, type GatewayFixture, headersFor, messagesOf, openSession, postJson, startFixture, waitFor, writeProbeServer } from "@switchyard/gateway/testing";

const ROUTES = {
  fast: {},
  sdk: { hotPath: { downstream: "sdk", upstream: "sdk" } },
} satisfies Record<string, GatewayOptions>;
type RouteName = keyof typeof ROUTES;
const NAMES = Object.keys(ROUTES) as RouteName[];

const gateways = {} as Record<RouteName, { fx: GatewayFixture; key: string }>;

beforeAll(async () => {
  await Promise.all(
    NAMES.map(async (name) => {
      const fx = await startFixture(ROUTES[name]);
      const key = (await fx.newKey()).key;
      await fx.addServer(everythingServer());
      await fx.addServer({ name: "probe", transport: "stdio", command: process.execPath, args: [await writeProbeServer(fx.dataDir, ["fail"])], timeoutMs: 1_000 });
      gateways[name] = { fx, key };
    }),
  );
}, 90_000);

afterAll(async () => {
  await Promise.all(NAMES.map((name) => gateways[name]?.fx.close()));
});

/** What the client saw: the result, or the JSON-RPC error it was answered. */
async function answerOf(call: Promise<unknown>): Promise<unknown> {
  try {
    return { result: await call };
  } catch (e) {
    if (!(e instanceof McpError)) throw e;
    return { error: { code: e.code, message: e.message, data: e.data } };
  }
}

/** The call's log row, every column but ids and times (their presence is compared instead). */
async function rowOf(fx: GatewayFixture, tag: string): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      await fx.flushLogs();
      const rows = await fx.db.sql<Record<string, unknown>[]>`
        select method, server_name, tool_name, exposed_name, status, error_code, error_message, input, output,
               input_truncated, output_truncated, input_size, output_size, client_type, relay_count,
               server_id is not null as has_server, session_id is not null as has_session, api_key_id is not null as has_key,
               request_id is not null as has_request_id, duration_ms >= 0 as has_duration, finished_at >= started_at as ordered_times
        from tool_call_logs where project_id = ${fx.project.id} and input::text like ${`%${tag}%`}`;
      return rows.length === 1 ? rows[0] : undefined;
    },
    5_000,
    `the log row of ${tag}`,
  );
}

/** The cancellations the probe reported on stderr (stored as server events), oldest first. */
async function probeCancellations(fx: GatewayFixture): Promise<string[]> {
  const rows = await fx.db.sql<{ message: string }[]>`select message from server_events where project_id = ${fx.project.id} and message like '%probe: cancelled hang%' order by at, id`;
  return rows.map((r) => r.message);
}

/** Waits until each gateway's probe reported one more cancellation, and checks its request id came from the route asked for. */
async function expectUpstreamCancelled(before: Record<RouteName, string[]>): Promise<void> {
  for (const name of NAMES) {
    const after = await waitFor(async () => {
      const now = await probeCancellations(gateways[name].fx);
      return now.length > before[name].length ? now : undefined;
    }, 5_000, `${name}: the upstream saw the cancellation`);
    // DirectRequests numbers its requests `sy-N`; the SDK Client uses plain numbers.
    expect(after.at(-1)).toMatch(name === "fast" ? /\(request sy-\d+\)/ : /\(request \d+\)/);
  }
}

async function cancellationsNow(): Promise<Record<RouteName, string[]>> {
  return { fast: await probeCancellations(gateways.fast.fx), sdk: await probeCancellations(gateways.sdk.fx) };
}

describe.each(["http", "sse"] as const)("over %s, the fast and the SDK routes", (transport) => {
  const clients = {} as Record<RouteName, Client>;
  beforeAll(async () => {
    for (const name of NAMES) clients[name] = await gateways[name].fx.connect({ key: gateways[name].key, transport });
    // A first call of each client, not compared: server-everything asks its new client for roots
    // once it is up, and a request it makes during a call is relayed to that call's session and
    // counted on its row (relay_count) — on whichever route happened to start it first.
    for (const name of NAMES) await clients[name].callTool({ name: "everything__echo", arguments: { message: "warm-up" } });
  });

  /** Runs `call` on each gateway and returns what each client saw and the row each gateway wrote. */
  async function onBoth(call: (client: Client, tag: string) => Promise<unknown>) {
    const tag = randomUUID();
    const seen = {} as Record<RouteName, { answer: unknown; row: Record<string, unknown> }>;
    for (const name of NAMES) {
      const answer = await call(clients[name], tag);
      seen[name] = { answer, row: await rowOf(gateways[name].fx, tag) };
    }
    expect(seen.sdk).toEqual(seen.fast);
    return seen.fast;
  }

  it("answer a result alike and log it alike", async () => {
    const { answer, row } = await onBoth((client, tag) => answerOf(client.callTool({ name: "everything__echo", arguments: { message: tag } })));
    expect(answer).toMatchObject({ result: { content: [{ type: "text" }] } });
    expect(row).toMatchObject({ method: "tools/call", status: "success", error_code: null, has_session: true, has_duration: true, has_request_id: true });
  });

  it("answer a tool's own error result (isError) alike", async () => {
    const { answer, row } = await onBoth((client, tag) => answerOf(client.callTool({ name: "everything__get-sum", arguments: { a: tag } })));
    expect(answer).toMatchObject({ result: { isError: true } });
    expect(row).toMatchObject({ status: "error" });
  });

  it("pass an upstream's JSON-RPC error on alike, code, message and data", async () => {
    const { answer, row } = await onBoth((client, tag) => answerOf(client.callTool({ name: "probe__fail", arguments: { tag } })));
    // An SDK server puts "MCP error -32602: " in the message it sends; it is passed on as sent.
    expect(answer).toEqual({ error: { code: -32602, message: "MCP error -32602: MCP error -32602: bad arguments", data: { field: "x" } } });
    expect(row).toMatchObject({ status: "error", error_code: -32602, error_message: "MCP error -32602: bad arguments" });
  });

  it("refuse a tool no server has alike", async () => {
    const { answer, row } = await onBoth((client, tag) => answerOf(client.callTool({ name: "ghost__tool", arguments: { tag } })));
    expect(answer).toMatchObject({ error: { code: -32602 } });
    expect(row).toMatchObject({ status: "rejected", error_code: -32602 });
  });

  it("send the same progress notifications and result", async () => {
    const { answer } = await onBoth(async (client, tag) => {
      const progress: Progress[] = [];
      const result = await answerOf(client.callTool({ name: "everything__trigger-long-running-operation", arguments: { duration: 0.3, steps: 3, tag } }, undefined, { onprogress: (p) => void progress.push(p) }));
      return { result, progress };
    });
    expect(answer).toMatchObject({ progress: [{ progress: 1, total: 3 }, { progress: 2, total: 3 }, { progress: 3, total: 3 }] });
  });

  it("cancel alike: the upstream is told, the row says cancelled", async () => {
    const before = await cancellationsNow();
    const { row } = await onBoth(async (client, tag) => {
      const controller = new AbortController();
      const call = client.callTool({ name: "probe__hang", arguments: { tag } }, undefined, { signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 200));
      controller.abort("user pressed stop");
      await expect(call).rejects.toThrow();
      return "aborted";
    });
    expect(row).toMatchObject({ status: "cancelled", error_code: -32800, error_message: "cancelled by the client" });
    await expectUpstreamCancelled(before);
  });

  it("time out alike at the server's timeout, telling the upstream", async () => {
    const before = await cancellationsNow();
    const { answer, row } = await onBoth((client, tag) => answerOf(client.callTool({ name: "probe__hang", arguments: { tag } })));
    expect(answer).toEqual({ error: { code: -32001, message: "MCP error -32001: upstream probe did not answer within 1000 ms", data: undefined } });
    expect(row).toMatchObject({ status: "timeout", error_code: -32001 });
    await expectUpstreamCancelled(before);
  });
});

describe("the route each gateway was asked for", () => {
  it("answers a lone Streamable HTTP call as JSON on the fast path and as an event stream on the SDK's", async () => {
    const types: Record<string, string | null> = {};
    for (const name of NAMES) {
      const { fx, key } = gateways[name];
      const url = fx.endpointUrl({});
      const headers = headersFor(key, { "mcp-session-id": await openSession(url, key) });
      const res = await postJson(url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "everything__echo", arguments: { message: "route" } } }, headers);
      expect(await messagesOf(res)).toEqual([{ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "Echo: route" }] } }]);
      types[name] = res.headers.get("content-type");
    }
    expect(types).toEqual({ fast: "application/json", sdk: "text/event-stream" });
  });
});
