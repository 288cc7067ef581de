/** The worker survives Redis going away (killed, restarted empty) and its schedule resumes. */
import { rm } from "node:fs/promises";
import { updateWorkerSettings, ensureWorkerSettings } from "@switchyard/db";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../config";
import { startWorker, type RunningWorker } from "./start-worker";
import { freePort, type PrivateRedis, scheduledRuns, seedServers, startRedis, waitThroughFailures, workerConfig } from "@switchyard/gateway/testing";

let tdb: TestDatabase;
let redis: PrivateRedis;
let port: number;
let config: Config & { databaseUrl: string };
let worker: RunningWorker | undefined;

beforeAll(async () => {
  tdb = await createTestDatabase();
  port = await freePort();
  redis = await startRedis(port);
  config = await workerConfig(tdb.url, redis.url);
  await seedServers(tdb.db, config.keyring);
  // One "minute" is one second in this test: a run every second.
  await ensureWorkerSettings(tdb.db, "refresh-server-status", { intervalMinutes: 1 });
  await updateWorkerSettings(tdb.db, "refresh-server-status", { intervalMinutes: 1 });
});
afterAll(async () => {
  await worker?.close();
  await redis.kill();
  await tdb.drop();
  await rm(config.dataDir, { recursive: true, force: true });
});

describe("worker on Redis", () => {
  it("keeps running while Redis is down and resumes its schedule when Redis returns empty", async () => {
    worker = await startWorker(config, { scheduleUnitMs: 1_000, keeperIntervalMs: 1_000, connectTimeoutMs: 5_000, shutdownGraceMs: 2_000 });
    const { queues } = worker;
    expect(queues.backend).toBe("redis");
    await waitThroughFailures(async () => (await scheduledRuns(tdb.db)).length >= 2, "scheduled runs before the outage");

    await redis.kill();
    await new Promise((r) => setTimeout(r, 4_000));
    const during = (await scheduledRuns(tdb.db)).length;
    await expect(queues.getCounts("switchyard-status")).rejects.toThrow();

    redis = await startRedis(port);
    // The restarted Redis has no scheduler: the keeper re-creates it from worker_settings.
    await waitThroughFailures(async () => (await scheduledRuns(tdb.db)).length >= during + 2, "scheduled runs after Redis returned", 30_000);
    // Runs can resume from jobs queued before the keeper's next pass: wait for the schedule itself.
    await waitThroughFailures(async () => (await queues.getSchedule("refresh-server-status")).everyMs === 1_000, "the schedule re-created", 30_000);
  });
});
