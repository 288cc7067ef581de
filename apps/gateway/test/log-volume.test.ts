/**
 * Lossless call logging under load: 1,000 mixed calls (successes, tool errors, unknown and
 * disabled tools) from concurrent sessions on both transports and both endpoints give exactly
 * 1,000 rows, with the statuses the callers saw.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingServer, type GatewayFixture, startFixture, waitFor } from "@switchyard/gateway/testing";

let fx: GatewayFixture;
let key: string;

beforeAll(async () => {
  fx = await startFixture({ defaultRateLimitPerMinute: 100_000 });
  key = (await fx.newKey()).key;
  await fx.addServer(everythingServer("everything"));
  const warm = await fx.connect({ key });
  await waitFor(async () => (await warm.listTools()).tools.length > 0, 20_000, "tools listed");
  // The live listing is recorded in server_tools in the background: disable once the row is there.
  await waitFor(
    async () => (await fx.db.sql`update server_tools set enabled = false where project_id = ${fx.project.id} and name = 'get-tiny-image' returning id`).length === 1,
    10_000,
    "tool recorded and disabled",
  );
  await fx.gateway.projectChanged(fx.project.id);
}, 60_000);

afterAll(async () => fx?.close());

type Kind = "success" | "error" | "rejected";

/** The i-th call of the mix and the status it must be logged with. */
function mixed(i: number, prefix: string): { name: string; args: Record<string, unknown>; expect: Kind } {
  switch (i % 10) {
    case 7:
      return { name: `${prefix}get-sum`, args: { a: "x" }, expect: "error" };
    case 8:
      return { name: `${prefix}no-such-tool`, args: {}, expect: "rejected" };
    case 9:
      return { name: `${prefix}get-tiny-image`, args: {}, expect: "rejected" };
    default:
      return { name: `${prefix}echo`, args: { message: `call ${i}` }, expect: "success" };
  }
}

describe("1,000 mixed calls", () => {
  it("leave exactly one row per call, with the status each caller saw", async () => {
    const clients: { client: Client; prefix: string }[] = [];
    for (const transport of ["http", "sse"] as const) {
      for (let i = 0; i < 4; i++) clients.push({ client: await fx.connect({ key, transport }), prefix: "everything__" });
      clients.push({ client: await fx.connect({ key, transport, server: "everything" }), prefix: "" });
    }
    const seen: Record<Kind, number> = { success: 0, error: 0, rejected: 0 };
    let next = 0;
    await Promise.all(
      clients.map(async ({ client, prefix }) => {
        for (let i = next++; i < 1_000; i = next++) {
          const call = mixed(i, prefix);
          const outcome: Kind = await client.callTool({ name: call.name, arguments: call.args }).then(
            (r) => (r.isError ? "error" : "success"),
            () => "rejected",
          );
          expect(outcome).toBe(call.expect);
          seen[outcome]++;
        }
      }),
    );
    expect(seen).toEqual({ success: 700, error: 100, rejected: 200 });
    await fx.flushLogs();
    const rows = await waitFor(async () => {
      const r = await fx.db.sql<{ status: string; n: number }[]>`select status, count(*)::int as n from tool_call_logs where project_id = ${fx.project.id} group by status`;
      const total = r.reduce((sum, x) => sum + x.n, 0);
      return total >= 1_000 ? r : undefined;
    }, 10_000, "all rows written");
    expect(Object.fromEntries(rows.map((r) => [r.status, r.n]))).toEqual({ success: 700, error: 100, rejected: 200 });
    expect(fx.gateway.logWriter.stats().dropped).toBe(0);
  }, 80_000);
});
