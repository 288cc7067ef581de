/**
 * 2,000 calls from Streamable HTTP and SSE clients through a plain round-robin balancer (no
 * stickiness) in front of two instances: every call succeeds and has exactly one row.
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

it("serves 2,000 calls on both transports with any instance answering any request", async () => {
  const load = s.load({ calls: 2_000, perTransport: 4, pauseMs: 0 });
  // Two minutes is ample (about 20 s on two busy cores); a run that cannot finish reports what it got.
  await Promise.race([load.finished, sleep(120_000)]);
  await load.stop();
  const rows = await countRows(s.cluster.db.sql, s.cluster.project.id, load);
  const served = [...s.cluster.proxy.served.values()];
  report("round robin", load.counts, rows, { "requests per instance": served.join(" + ") });
  expect(load.counts).toMatchObject({ issued: 2_000, ok: 2_000, failed: 0, sessionsLost: 0, streamReconnects: 0 });
  expect(rows).toEqual({ rows: 2_000, lost: 0, duplicates: 0 });
  // The balancer really spread the requests.
  for (const n of served) expect(n).toBeGreaterThan(1_000 / served.length);
});
