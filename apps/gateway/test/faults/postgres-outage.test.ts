/**
 * Postgres stops for 30 s under load, first fast (sessions told), then immediate (a crash and a
 * recovery on restart): cached keys keep serving through both, every successful call has its row
 * afterwards, and no call stalls after the recovery (calls in flight once hung ~10 s there while
 * the change feed's reconnect dropped every cached key and project).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCluster, everything, type Cluster } from "../cluster/cluster";
import { connectClient, countRows, report, startLoad } from "../cluster/load";
import { INSTANCES, OUTAGE_MS, sleep } from "./settings";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: INSTANCES });
}, 120_000);
afterAll(async () => cluster?.close());

it("serves cached keys through a fast and an immediate stop, writes every row and does not stall after recovery", async () => {
  const { key } = await cluster.newKey();
  await cluster.addServer(everything());
  // Both instances learn the key and the project before the outage.
  for (const transport of ["http", "sse", "http", "sse"] as const) {
    const client = await connectClient(cluster.endpoint(transport), transport, key);
    await client.callTool({ name: "everything__echo", arguments: { message: "warm" } });
    await client.close();
  }
  const load = startLoad({ endpoints: { http: cluster.endpoint("http"), sse: cluster.endpoint("sse") }, key, perTransport: 3, pauseMs: 20 });
  const recoveries: number[] = [];
  for (const mode of ["fast", "immediate"] as const) {
    await sleep(1_000);
    await cluster.pg.stop(mode);
    await sleep(OUTAGE_MS);
    await cluster.pg.start();
    recoveries.push(Date.now());
    await sleep(5_000);
  }
  await load.stop();
  const rows = await countRows(cluster.db.sql, cluster.project.id, load, 60_000);
  const afterRecovery = recoveries.flatMap((at) => load.finishedSince(at).filter((f) => f.at < at + 5_000));
  const slowestAfterRecovery = Math.round(Math.max(0, ...afterRecovery.map((f) => f.ms)));
  report("postgres stopped fast and immediate", load.counts, rows, { "outage s": OUTAGE_MS / 1_000, "slowest after recovery ms": slowestAfterRecovery });
  expect(load.counts.failed).toBe(0);
  expect(rows).toEqual({ rows: load.counts.ok, lost: 0, duplicates: 0 });
  expect(slowestAfterRecovery).toBeLessThan(2_000);
});
