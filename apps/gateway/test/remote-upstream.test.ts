/**
 * Remote upstreams: server-everything in its Streamable HTTP and SSE modes behind the gateway,
 * reached by SDK clients over both downstream transports, with progress passed through.
 */
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayFixture, type HttpUpstream, startEverythingHttp, startFixture } from "@switchyard/gateway/testing";

let fx: GatewayFixture;
let key: string;
const upstreams: HttpUpstream[] = [];

beforeAll(async () => {
  fx = await startFixture();
  key = (await fx.newKey()).key;
  const [streamable, sse] = await Promise.all([startEverythingHttp("streamableHttp"), startEverythingHttp("sse")]);
  upstreams.push(streamable, sse);
  await fx.addServer({ name: "remote-http", transport: "streamable_http", url: streamable.url });
  await fx.addServer({ name: "remote-sse", transport: "sse", url: sse.url });
}, 60_000);

afterAll(async () => {
  await fx?.close();
  await Promise.all(upstreams.map((u) => u.stop()));
});

describe.each(["http", "sse"] as const)("downstream %s", (transport) => {
  it.each(["remote-http", "remote-sse"])("reaches %s with calls and progress", async (server) => {
    const client = await fx.connect({ key, transport });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain(`${server}__echo`);
    const echo = await client.callTool({ name: `${server}__echo`, arguments: { message: server } });
    expect(echo.content).toEqual([{ type: "text", text: `Echo: ${server}` }]);
    const progress: Progress[] = [];
    await client.callTool({ name: `${server}__trigger-long-running-operation`, arguments: { duration: 0.3, steps: 3 } }, undefined, { onprogress: (p) => void progress.push(p) });
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3]);
  });
});
