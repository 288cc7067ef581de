/**
 * Postgres stops for 30 s under load, first fast (sessions told), then immediate (a crash and a
 * recovery on restart): cached keys keep serving through both, every successful call has its row
 * afterwards, and no call stalls after the recovery (postgres-reconnect.test.ts has the cause).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { countRows, report } from "../cluster/load";
import { startScenario, type Scenario } from "./scenario";
import { OUTAGE_MS, sleep } from "./settings";

let s: Scenario;
beforeAll(async () => {
  s = await startScenario();
}, 120_000);
afterAll(async () => s?.cluster.close());

it("serves cached keys through a fast and an immediate stop, writes every row and does not stall after recovery", async () => {
  const load = s.load();
  const recoveries: number[] = [];
  for (const mode of ["fast", "immediate"] as const) {
    await sleep(1_000);
    await s.cluster.pg.stop(mode);
    await sleep(OUTAGE_MS);
    await s.cluster.pg.start();
    recoveries.push(Date.now());
    await sleep(5_000);
  }
  await load.stop();
  const rows = await countRows(s.cluster.db.sql, s.cluster.project.id, load, 60_000);
  const afterRecovery = recoveries.flatMap((at) => load.finishedSince(at).filter((f) => f.at < at + 5_000));
  const slowestAfterRecovery = Math.round(Math.max(0, ...afterRecovery.map((f) => f.ms)));
  report("postgres stopped fast and immediate", load.counts, rows, { "outage s": OUTAGE_MS / 1_000, "slowest after recovery ms": slowestAfterRecovery });
  expect(load.counts.failed).toBe(0);
  expect(rows).toEqual({ rows: load.counts.ok, lost: 0, duplicates: 0 });
  expect(slowestAfterRecovery).toBeLessThan(2_000);
});
