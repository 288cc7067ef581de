/**
 * Cluster-wide caps (docs/ARCHITECTURE.md, "Cluster-wide caps"): two gateways on one database and
 * one Redis share the open-session and concurrent-call caps of a credential, so a client cannot get
 * twice its allowance by spreading its sessions and calls over the instances.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startTwoInstances, waitFor, type GatewayFixture } from "@switchyard/gateway/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningGateway } from "../src/gateway";

let fx: GatewayFixture;
let a: RunningGateway;
let b: RunningGateway;
let key: string;
const clients: Client[] = [];

beforeAll(async () => {
  const env = { REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", MAX_SESSIONS_PER_KEY: "2", MAX_CONCURRENT_CALLS_PER_KEY: "1" };
  ({ fx, b, key } = await startTwoInstances(env));
  a = fx.gateway;
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await b?.close();
  await fx?.close();
});

async function connect(gateway: RunningGateway): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${gateway.url}/projects/${fx.project.id}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } });
  const client = new Client({ name: "cluster-caps-test", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

it("shares one credential's concurrent-call cap between the instances", async () => {
  const { client: onA, transport: toA } = await connect(a);
  const { client: onB, transport: toB } = await connect(b);
  const long = onA.callTool({ name: "everything__trigger-long-running-operation", arguments: { duration: 2, steps: 2 } });
  await new Promise((resolve) => setTimeout(resolve, 500));
  // B runs nothing for this key: only the shared count knows A's call holds the only slot.
  const refused = await onB.callTool({ name: "everything__echo", arguments: { message: "second" } }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(String(refused)).toMatch(/Too many concurrent calls for this credential \(at most 1\)/);
  expect((await long).isError).toBeFalsy();
  await waitFor(async () => (await onB.callTool({ name: "everything__echo", arguments: { message: "now" } }).then(() => true, () => false)), 3_000, "the slot freed");
  // Ended (not just disconnected): their places under the session cap are free for the next test.
  await Promise.all([toA.terminateSession(), toB.terminateSession()]);
});

it("shares one credential's open-session cap between the instances, and an ended session frees its place", async () => {
  // The sessions of the previous test ended: their places are given back in the background.
  const first = await waitFor(async () => connect(a).catch(() => undefined), 5_000, "a free place");
  await connect(b);
  // One session on each instance: the third is refused on either, though each holds only one.
  await expect(connect(a)).rejects.toThrow(/Too many open sessions for this credential \(at most 2\)/);
  await expect(connect(b)).rejects.toThrow(/Too many open sessions/);
  await first.transport.terminateSession();
  await waitFor(async () => connect(b).then(() => true, () => false), 5_000, "the ended session's place");
});
