/**
 * The database stops for 10 s under load (an embedded Postgres of this test's own): calls with a
 * cached key keep succeeding, an uncached key gets 503 (not 401), and once the database is back
 * every call has its row.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { createDb, runMigrations } from "@switchyard/db";
import type { TestDatabase } from "@switchyard/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedPgProcess, everythingServer, type GatewayFixture, headersFor, initializeMessage, postJson, startEmbeddedPgProcess, startFixture, waitFor } from "@switchyard/gateway/testing";

let fx: GatewayFixture;
let pg: EmbeddedPgProcess;
let pgRoot: string;
let pgDir: string;
let key: string;
let uncachedKey: string;

beforeAll(async () => {
  // As root, Postgres runs as `postgres`, which must be able to reach the cluster directory.
  pgRoot = await mkdtemp(join(tmpdir(), "sy-outage-"));
  await chmod(pgRoot, 0o755);
  pgDir = join(pgRoot, "pg");
  pg = await startEmbeddedPgProcess(pgDir);
  await runMigrations(pg.url);
  const handle = createDb(pg.url, { max: 3 });
  const database: TestDatabase = { ...handle, url: pg.url, name: "postgres", drop: handle.close };
  fx = await startFixture({ defaultRateLimitPerMinute: 100_000, logFlushIntervalMs: 50 }, {}, database);
  key = (await fx.newKey()).key;
  uncachedKey = (await fx.newKey()).key;
  await fx.addServer(everythingServer("everything"));
}, 60_000);

afterAll(async () => {
  await fx?.close();
  await pg?.stop().catch(() => undefined);
  if (pgRoot) await rm(pgRoot, { recursive: true, force: true });
});

describe("a database outage", () => {
  it("keeps cached keys serving, answers 503 for unknown ones, and loses no row", async () => {
    const clients: Client[] = [];
    for (const transport of ["http", "sse", "http", "sse"] as const) clients.push(await fx.connect({ key, transport }));
    await clients[0]?.listTools();
    let stop = false;
    let calls = 0;
    let failures = 0;
    let duringOutage = 0;
    let down = false;
    const load = Promise.all(
      clients.map(async (client, n) => {
        while (!stop) {
          const res = await client.callTool({ name: "everything__echo", arguments: { message: `w${n}` } }).catch(() => undefined);
          calls++;
          if (!res || res.isError) failures++;
          if (down) duringOutage++;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await pg.stop();
    down = true;
    const stoppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const refused = await postJson(fx.endpointUrl({}), initializeMessage(), headersFor(uncachedKey));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    await refused.text();
    // A new session with a cached key still opens: keys and project configs are served from memory.
    const fresh = await fx.connect({ key, transport: "http" });
    expect((await fresh.callTool({ name: "everything__echo", arguments: { message: "new" } })).content).toEqual([{ type: "text", text: "Echo: new" }]);
    calls++;
    await new Promise((resolve) => setTimeout(resolve, 10_000 - (Date.now() - stoppedAt)));
    down = false;
    pg = await startEmbeddedPgProcess(pgDir, pg.port);
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop = true;
    await load;
    expect(failures).toBe(0);
    expect(duringOutage).toBeGreaterThan(100);
    const rows = await waitFor(
      async () => {
        await fx.flushLogs().catch(() => undefined);
        const [r] = await fx.db.sql<{ n: number }[]>`select count(*)::int as n from tool_call_logs`.catch(() => [{ n: -1 }]);
        return r && r.n >= calls ? r.n : undefined;
      },
      30_000,
      "rows written after the outage",
    );
    expect(rows).toBe(calls);
    expect(fx.gateway.logWriter.stats().dropped).toBe(0);
  }, 80_000);
});
