/**
 * The upstream process is killed again and again under load: calls fail cleanly, the circuit
 * opens (calls then fail fast), and once the killing stops the load stops too: each instance
 * probes on its own after the cool-down (starts the server, pings it), its circuit closes with no
 * client call driving it, and the next calls are served at once.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { everything } from "../cluster/cluster";
import { countRows, report, startLoad } from "../cluster/load";
import { pidsWithArg } from "@switchyard/gateway/testing";
import { startScenario, warm, type Scenario } from "./scenario";
import { sleep } from "./settings";

let s: Scenario;
const metricsToken = randomUUID();
const marker = `--sy-fault-upstream-${randomUUID()}`;
beforeAll(async () => {
  s = await startScenario({ env: { METRICS_TOKEN: metricsToken } });
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
  // No client call from here on until every circuit is closed again.
  await load.stop();
  const circuitOpen = () => [...load.counts.errors.keys()].some((m) => /keeps failing/.test(m));
  const openAtStop = await openCircuits();
  let recoveredAt: number | undefined;
  while (Date.now() - stoppedKilling < 60_000) {
    await sleep(1_000);
    if ((await openCircuits()).every((n) => n === 0) && pidsWithArg(marker).length > 0) {
      recoveredAt = Date.now();
      break;
    }
  }
  const after = startLoad({ endpoints: { http: s.cluster.endpoint("http"), sse: s.cluster.endpoint("sse") }, key: s.key, perTransport: 2, pauseMs: 50, tool: "fragile__echo" });
  await sleep(3_000);
  await after.stop();
  const rows = await countRows(s.cluster.db.sql, s.cluster.project.id, load);
  report("upstream killed repeatedly", load.counts, rows, {
    kills,
    "circuit opened": String(circuitOpen()),
    "open circuits when the killing stopped": openAtStop.join("/"),
    "recovered without calls after s": recoveredAt ? Math.round((recoveredAt - stoppedKilling) / 1_000) : "never",
    "calls after recovery ok/failed": `${after.counts.ok}/${after.counts.failed}`,
  });
  expect(circuitOpen()).toBe(true);
  expect(openAtStop.some((n) => n > 0)).toBe(true);
  expect(recoveredAt).toBeDefined();
  expect(after.counts.ok).toBeGreaterThan(5);
  expect(after.counts.failed).toBe(0);
  expect([...load.counts.errors.keys()].filter((m) => /timed out|timeout/i.test(m))).toEqual([]);
  expect(rows).toMatchObject({ lost: 0, duplicates: 0 });
});

/** Each instance's `switchyard_upstream_open_circuits`, from its own /metrics. */
async function openCircuits(): Promise<number[]> {
  return Promise.all(
    s.cluster.gateways.map(async (g) => {
      const text = await (await fetch(`${g.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
      const line = text.split("\n").find((l) => l.startsWith("switchyard_upstream_open_circuits "));
      if (!line) throw new Error(`no open-circuits gauge on ${g.name}`);
      return Number(line.split(" ")[1]);
    }),
  );
}
