/**
 * Redis stops for 30 s under load, with the worker running: every instance stays ready (degraded,
 * limits counted locally), calls keep being served or fail cleanly (no timeouts) and are all
 * served again after Redis returns, and the worker runs jobs again on the restarted Redis.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createJobQueues, STATUS_QUEUE } from "@switchyard/core/queues";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gatewayProcess, type GatewayProcess } from "../cluster/gateway-process";
import { countRows, report } from "../cluster/load";
import { startScenario, type Scenario } from "./scenario";
import { OUTAGE_MS, sleep } from "./settings";

let s: Scenario;
let worker: GatewayProcess | undefined;
let dir: string;

beforeAll(async () => {
  s = await startScenario();
  dir = await mkdtemp(join(tmpdir(), "sy-redis-outage-"));
  const queues = createJobQueues({ redisUrl: s.cluster.redis?.url, databaseUrl: s.cluster.pg.url });
  try {
    worker = await gatewayProcess("worker", { ...s.cluster.env, SWITCHYARD_DATA_DIR: join(dir, "worker") }, "worker", async () => (await queues.getWorkerCount(STATUS_QUEUE)) > 0);
    await worker.start();
  } finally {
    await queues.close();
  }
}, 120_000);
afterAll(async () => {
  await worker?.stop("SIGKILL");
  await s?.cluster.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("stays ready, serves or fails cleanly, recovers, and the worker resumes", async () => {
  const redis = s.cluster.redis;
  if (!redis) throw new Error("no redis");
  const load = s.load();
  await sleep(1_000);
  await redis.stop();
  const readiness: number[] = [];
  const until = Date.now() + OUTAGE_MS;
  while (Date.now() < until) {
    for (const g of s.cluster.gateways) readiness.push(await fetch(`${g.url}/readyz`).then((r) => r.status, () => 0));
    await sleep(500);
  }
  await redis.start();
  const back = Date.now();
  await sleep(5_000);
  await load.stop();
  const rows = await countRows(s.cluster.db.sql, s.cluster.project.id, load);
  const lastSeconds = load.finishedSince(back + 2_000);
  // The worker picks jobs up again from the restarted Redis.
  const queues = createJobQueues({ redisUrl: redis.url, databaseUrl: s.cluster.pg.url });
  let jobState = "none";
  try {
    const job = await queues.enqueueStatusRefresh("manual", "fault suite: after the Redis outage");
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && jobState !== "completed") {
      jobState = (await queues.getJob(job.id))?.state ?? "none";
      await sleep(250);
    }
  } finally {
    await queues.close();
  }
  report("redis stopped", load.counts, rows, { "outage s": OUTAGE_MS / 1_000, "readyz answers": `${readiness.filter((r) => r === 200).length}/${readiness.length} ready`, "worker job after": jobState });
  expect(readiness.every((r) => r === 200)).toBe(true);
  expect([...load.counts.errors.keys()].filter((m) => /timed out|timeout/i.test(m))).toEqual([]);
  expect(lastSeconds.length).toBeGreaterThan(0);
  expect(lastSeconds.every((f) => f.ok)).toBe(true);
  expect(rows).toMatchObject({ lost: 0, duplicates: 0 });
  expect(jobState).toBe("completed");
});
