/**
 * A rolling restart of both instances under load (SIGTERM, wait for the exit, start again, then
 * the next): no Streamable HTTP session is lost, no successful call lacks its row, and only calls
 * in flight at a restart fail, each counted and answered: none waits for the client's own timeout
 * (a legacy SSE call handed over to the draining instance that holds its stream is answered on
 * the stream before it closes, docs/ARCHITECTURE.md "Ending a session").
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { countRows, report } from "../cluster/load";
import { startScenario, type Scenario } from "./scenario";
import { sleep } from "./settings";

let s: Scenario;
beforeAll(async () => {
  s = await startScenario();
}, 120_000);
afterAll(async () => s?.cluster.close());

it("keeps every session and loses no call across a restart of every instance", async () => {
  const load = s.load();
  const exits: (number | null)[] = [];
  for (const gateway of s.cluster.gateways) {
    await sleep(2_000);
    exits.push(await gateway.stop("SIGTERM"));
    await gateway.start();
  }
  await sleep(2_000);
  await load.stop();
  const rows = await countRows(s.cluster.db.sql, s.cluster.project.id, load);
  report("rolling restart", load.counts, rows, { "moved by the balancer": s.cluster.proxy.retried(), "exit codes": exits.join(",") });
  expect(exits.every((code) => code === 0)).toBe(true);
  expect(load.counts.sessionsLost).toBe(0);
  // Every call was answered, with a result or an error: none ran into the client's timeout.
  expect([...load.counts.errors.keys()].filter((m) => /timed out|timeout/i.test(m))).toEqual([]);
  expect(load.counts.maxMs).toBeLessThan(15_000);
  // Only calls in flight at a restart may fail: at most one per client (3 per transport) per instance restarted.
  expect(load.counts.failed).toBeLessThanOrEqual(s.cluster.gateways.length * 2 * 3);
  expect(rows).toMatchObject({ lost: 0, duplicates: 0 });
});
