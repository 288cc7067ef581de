/** startWorker on BullMQ's Postgres backend: first start, a restart's startup refresh, statuses recorded. */
import { rm } from "node:fs/promises";
import { getServer, listWorkerRuns } from "@switchyard/db";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../config";
import { startWorker, type RunningWorker } from "./start-worker";
import { type Seeded, seedServers, waitThroughFailures, workerConfig } from "@switchyard/gateway/testing";

let tdb: TestDatabase;
let config: Config & { databaseUrl: string };
let seeded: Seeded;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  tdb = await createTestDatabase();
  config = await workerConfig(tdb.url);
  seeded = await seedServers(tdb.db, config.keyring);
});
afterAll(async () => {
  await worker?.close();
  await tdb.drop();
  await rm(config.dataDir, { recursive: true, force: true });
});

const statusRuns = async () => (await listWorkerRuns(tdb.db, { jobName: "refresh-server-status", limit: 50 })).items.filter((r) => r.status === "success");

describe("startWorker", () => {
  it("refreshes every server when it first starts, on the Postgres backend", async () => {
    worker = await startWorker(config, { startupRefresh: true, connectTimeoutMs: 8_000 });
    expect(worker.queues.backend).toBe("postgres");
    const [run] = await waitThroughFailures(async () => {
      const runs = await statusRuns();
      return runs.length > 0 ? runs : undefined;
    }, "the first run");
    expect(run).toMatchObject({ trigger: "schedule", serversChecked: 2, serversOnline: 1, serversOffline: 1 });
    expect(run?.errors).toEqual([expect.objectContaining({ serverId: seeded.dead.id })]);
    expect((await getServer(tdb.db, seeded.project.id, seeded.everything.id))?.status).toBe("online");
    const dead = await getServer(tdb.db, seeded.project.id, seeded.dead.id);
    expect(dead?.status).toBe("offline");
    expect(dead?.statusError).toBeTruthy();
    await worker.close();
    worker = undefined;
  });

  it("refreshes again when it restarts, although the schedule is not due", async () => {
    const before = (await statusRuns()).length;
    worker = await startWorker(config, { connectTimeoutMs: 8_000 });
    const startup = await waitThroughFailures(async () => (await statusRuns()).find((r) => r.details.reason === "startup"), "the startup run");
    expect(startup).toMatchObject({ trigger: "schedule", serversChecked: 2 });
    expect((await statusRuns()).length).toBe(before + 1);
  });
});
