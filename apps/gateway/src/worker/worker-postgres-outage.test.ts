/**
 * The worker on BullMQ's Postgres backend survives its database going away — every connection
 * reset, new ones refused for a while — and its schedule resumes when the database is back.
 * (The shared test Postgres is reached through a proxy the test cuts; it is never stopped.)
 */
import { rm } from "node:fs/promises";
import { ensureWorkerSettings, updateWorkerSettings } from "@switchyard/db";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../config";
import { startWorker, type RunningWorker } from "./start-worker";
import { type CuttableProxy, scheduledRuns, seedServers, startCuttableProxy, waitThroughFailures, workerConfig } from "@switchyard/gateway/testing";

let tdb: TestDatabase;
let proxy: CuttableProxy;
let config: Config & { databaseUrl: string };
let worker: RunningWorker | undefined;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const direct = new URL(tdb.url);
  proxy = await startCuttableProxy(Number(direct.port || 5432), direct.hostname);
  direct.port = String(proxy.port);
  config = await workerConfig(direct.toString());
  await seedServers(tdb.db, config.keyring);
  await ensureWorkerSettings(tdb.db, "refresh-server-status", { intervalMinutes: 1 });
  await updateWorkerSettings(tdb.db, "refresh-server-status", { intervalMinutes: 2 });
});
afterAll(async () => {
  await worker?.close();
  await proxy.close();
  await tdb.drop();
  await rm(config.dataDir, { recursive: true, force: true });
});

describe("worker on Postgres", () => {
  it("keeps running while the database is unreachable and resumes its schedule when it returns", async () => {
    worker = await startWorker(config, { scheduleUnitMs: 1_000, keeperIntervalMs: 1_000, connectTimeoutMs: 5_000, shutdownGraceMs: 2_000, backoffMs: 500 });
    expect(worker.queues.backend).toBe("postgres");
    await waitThroughFailures(async () => (await scheduledRuns(tdb.db)).length >= 2, "scheduled runs before the outage", 30_000);

    await proxy.cut();
    await new Promise((r) => setTimeout(r, 4_000));
    await expect(worker.queues.getCounts("switchyard-status")).rejects.toThrow();
    await proxy.restore();

    const after = Date.now();
    await waitThroughFailures(async () => (await scheduledRuns(tdb.db)).filter((r) => r.startedAt.getTime() > after).length >= 2, "scheduled runs after the database returned", 40_000);
    expect((await worker.queues.getSchedule("refresh-server-status")).everyMs).toBe(2_000);
  });
});
