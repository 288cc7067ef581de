/**
 * The upstream process is killed again and again under load: calls fail cleanly, the circuit
 * opens (calls then fail fast), and once the killing stops it probes on its own cool-down and
 * every instance serves again, with no client action.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { everything } from "../cluster/cluster";
import { countRows, report, startLoad } from "../cluster/load";
import { pidsWithArg } from "@switchyard/gateway/testing";
import { startScenario, warm, type Scenario } from "./scenario";
import { sleep } from "./settings";

let s: Scenario;
const marker = `--sy-fault-upstream-${randomUUID()}`;
beforeAll(async () => {
  s = await startScenario();
  await s.cluster.addServer(everything("fragile", [marker]));
  await warm(s.cluster, s.key, "fragile__echo");
}, 120_000);
afterAll(async () => s?.cluster.close());

it("opens the circuit, probes by itself and recovers", async () => {
  const load = startLoad({ endpoints: { http: s.cluster.endpoint("http"), sse: s.cluster.endpoint("sse") }, key: s.key, perTransport: 2, pauseMs: 50, tool: "fragile__echo" });
  await sleep(1_000);
  let kills = 0;
  const killingUntil = Date.now() + 6_000;
  while (Date.now() < killingUntil) {
    for (const pid of pidsWithArg(marker)) {
      try {
        process.kill(pid, "SIGKILL");
        kills++;
      } catch {
        // already gone
      }
    }
    await sleep(200);
  }
  const stoppedKilling = Date.now();
  const circuitOpen = () => [...load.counts.errors.keys()].some((m) => /keeps failing/.test(m));
  let recoveredAt: number | undefined;
  while (Date.now() - stoppedKilling < 60_000) {
    await sleep(1_000);
    const recent = load.finishedSince(Date.now() - 2_000);
    if (recent.length > 5 && recent.every((f) => f.ok)) {
      recoveredAt = Date.now();
      break;
    }
  }
  await load.stop();
  const rows = await countRows(s.cluster.db.sql, s.cluster.project.id, load);
  report("upstream killed repeatedly", load.counts, rows, { kills, "circuit opened": String(circuitOpen()), "recovered after s": recoveredAt ? Math.round((recoveredAt - stoppedKilling) / 1_000) : "never" });
  expect(circuitOpen()).toBe(true);
  expect(recoveredAt).toBeDefined();
  expect([...load.counts.errors.keys()].filter((m) => /timed out|timeout/i.test(m))).toEqual([]);
  expect(rows).toMatchObject({ lost: 0, duplicates: 0 });
});
