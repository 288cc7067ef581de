/**
 * One instance dies (SIGKILL) under load: only the calls in flight on it fail, sessions continue
 * on the other instance, and the only successful calls that may lack their row are those answered
 * just before the kill (the log writer's last flush interval, still in the dead process's memory:
 * docs/DEPLOY.md); the instance then comes back.
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

it("fails only the calls in flight on the killed instance", async () => {
  const perTransport = 3;
  const load = s.load({ perTransport });
  await sleep(2_000);
  const victim = s.cluster.gateways[s.cluster.gateways.length - 1];
  if (!victim) throw new Error("no gateway");
  const killedAt = Date.now();
  await victim.stop("SIGKILL");
  await sleep(3_000);
  await victim.start();
  await sleep(2_000);
  await load.stop();
  const rows = await countRows(s.cluster.db.sql, s.cluster.project.id, load);
  // Calls answered in the half second before the kill: the bound on rows the dead process held (flush interval 100 ms).
  const answeredJustBefore = load.finishedSince(killedAt - 500).filter((f) => f.ok && f.at <= killedAt).length;
  report("instance SIGKILLed", load.counts, rows, { "answered in the 500 ms before the kill": answeredJustBefore });
  // At most one call per client was in flight when the process died.
  expect(load.counts.failed).toBeLessThanOrEqual(2 * perTransport);
  expect(load.counts.sessionsLost).toBe(0);
  expect(rows.duplicates).toBe(0);
  expect(rows.lost).toBeLessThanOrEqual(answeredJustBefore);
});
