/**
 * docs/ARCHITECTURE.md "database stopped under load → afterwards rows == calls", at the writer: a Postgres of
 * this test's own is stopped for 10 s while calls keep being recorded, then started again.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type DbHandle } from "../client";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "../embedded";
import { runMigrations } from "../migrate";
import { uuidv7 } from "@switchyard/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRowsAndRollups, FULL_POLICY, sampleRecord } from "../testing/call-log";
import { LogWriter } from "./log-writer";

let dir: string;
let pg: EmbeddedPostgresHandle | undefined;
let db: DbHandle | undefined;
let writer: LogWriter | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-outage-"));
  await chmod(dir, 0o755); // the cluster runs as the postgres user when the tests run as root
  pg = await startEmbeddedPostgres({ dir: join(dir, "pg") });
  await runMigrations(pg.url);
  db = createDb(pg.url, { max: 2, applicationName: "switchyard-outage-test" });
}, 120_000);

afterAll(async () => {
  await writer?.close();
  await db?.close();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("LogWriter while the database is down", () => {
  it("loses no row, duplicates none and keeps rollups exact across a 10 s outage", async () => {
    if (!pg || !db) throw new Error("setup failed");
    const errors: unknown[] = [];
    const w = new LogWriter({
      sql: db.sql,
      flushIntervalMs: 50,
      maxBatch: 100,
      maxQueue: 100,
      maxRetryDelayMs: 1_000,
      spillPath: join(dir, "spill", "calls.ndjson"),
      onError: (e) => errors.push(e),
    });
    writer = w;
    w.start();
    const projectId = uuidv7();
    const sessionId = uuidv7();
    const base = Date.now() - 60_000;
    w.sessionStarted({
      id: sessionId,
      projectId,
      serverId: null,
      apiKeyId: null,
      userId: null,
      transport: "streamable_http",
      clientType: "cursor",
      gatewayInstance: "gw-test",
      startedAt: new Date(base),
    });
    let calls = 0;
    let failed = 0;
    const record = (n: number) => {
      for (let k = 0; k < n; k++) {
        const rec = { ...sampleRecord(projectId, calls, base, 5), sessionId };
        w.recordCall(rec, FULL_POLICY);
        w.sessionActivity(sessionId, rec.finishedAt, { failed: rec.status !== "success" });
        if (rec.status !== "success") failed++;
        calls++;
      }
    };

    // Up: 20 calls every 100 ms.
    for (let t = 0; t < 10; t++) {
      record(20);
      await sleep(100);
    }
    await w.flush();
    expect(w.stats()).toMatchObject({ written: 200, spilled: 0 });

    await pg.stop();
    for (let t = 0; t < 100; t++) {
      record(20);
      await sleep(100);
    }
    const during = w.stats();
    expect(during.written).toBe(200);
    expect(during.spilled).toBeGreaterThan(1_800);
    expect(during.queued).toBeLessThanOrEqual(200);
    expect(during.dropped).toBe(0);
    expect(errors.length).toBeGreaterThan(0);

    pg = await startEmbeddedPostgres({ dir: join(dir, "pg"), port: pg.port });
    for (let t = 0; t < 10; t++) {
      record(20);
      await sleep(100);
    }
    await expect.poll(() => w.stats().spillBytes, { timeout: 30_000, interval: 100 }).toBe(0);
    await w.close();

    const after = w.stats();
    expect(calls).toBe(2_400);
    expect(after).toMatchObject({ written: calls, dropped: 0, queued: 0 });
    expect(after.replayed).toBe(after.spilled);
    expect(await checkRowsAndRollups(db.sql, projectId)).toEqual({
      rows: calls,
      distinctIds: calls,
      rollupCount: calls,
      mismatchedGroups: 0,
      mismatchedTierRows: 0,
    });
    const [session] = await db.sql<{ calls_total: number; calls_failed: number }[]>`
      select calls_total, calls_failed from client_sessions where id = ${sessionId}`;
    expect(session).toEqual({ calls_total: calls, calls_failed: failed });
  }, 80_000);
});
