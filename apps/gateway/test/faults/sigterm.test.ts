/**
 * SIGTERM to an instance with calls in flight: /readyz answers 503 at once, every new request
 * during the drain gets a clean 503 with Retry-After (no refused connection, no reset), every
 * call in flight finishes with its answer, and the process exits 0. Measured against the
 * instance itself, as a balancer's health check and its in-flight requests see it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectClient } from "../cluster/load";
import { headersFor, initializeMessage, writeProbeServer } from "@switchyard/gateway/testing";
import { startScenario, type Scenario } from "./scenario";
import { sleep } from "./settings";

let s: Scenario;
let dir: string;
beforeAll(async () => {
  s = await startScenario({ env: { GATEWAY_DRAIN_TIMEOUT_SECONDS: "10" } });
  dir = await mkdtemp(join(tmpdir(), "sy-sigterm-"));
  await s.cluster.addServer({ name: "probe", transport: "stdio", command: process.execPath, args: [await writeProbeServer(dir)] });
}, 120_000);
afterAll(async () => {
  await s?.cluster.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("drains: 503 + Retry-After for new work, calls in flight finish, exit 0", async () => {
  const gateway = s.cluster.gateways[0];
  if (!gateway) throw new Error("no gateway");
  const endpoint = (t: "http" | "sse") => s.cluster.instanceEndpoint(gateway, t);
  const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => connectClient(endpoint(i % 2 ? "sse" : "http"), i % 2 ? "sse" : "http", s.key)));
  const calls = clients.map((c) => c.callTool({ name: "probe__slow", arguments: { ms: 2_000 } }).then((r) => ((r.content as { text?: string }[])[0]?.text === "done" ? "done" : "error"), (e: unknown) => `failed: ${String(e)}`));
  await sleep(300);
  const exited = gateway.stop("SIGTERM");
  // The signal takes a moment to arrive; from then on the balancer's health check sees 503.
  const readyAt = performance.now();
  let ready = await fetch(`${gateway.url}/readyz`);
  while (ready.status === 200 && performance.now() - readyAt < 1_000) ready = await fetch(`${gateway.url}/readyz`);
  const readyMs = Math.round(performance.now() - readyAt);
  expect(ready.status).toBe(503);
  expect(readyMs).toBeLessThan(500);
  expect(await ready.json()).toMatchObject({ status: "draining" });
  // New sessions and new requests while the calls finish: clean refusals only.
  const refusals = await Promise.all(
    Array.from({ length: 20 }, async () => {
      const res = await fetch(endpoint("http"), { method: "POST", headers: headersFor(s.key), body: JSON.stringify(initializeMessage()) }).catch((e: unknown) => e);
      if (!(res instanceof Response)) return `no answer: ${String(res)}`;
      await res.text();
      return res.status === 503 && res.headers.get("retry-after") ? "clean 503" : `status ${res.status}`;
    }),
  );
  const outcomes = await Promise.all(calls);
  const code = await exited;
  const tally = (xs: string[]) => Object.entries(xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {}));
  process.stdout.write(`[faults] SIGTERM with calls in flight: issued 20 / ok ${outcomes.filter((o) => o === "done").length} / failed ${outcomes.filter((o) => o !== "done").length} / new requests during the drain ${tally(refusals).map(([k, n]) => `${n} ${k}`).join(", ")} / readyz 503 after ${readyMs} ms / exit ${code}\n`);
  expect(outcomes).toEqual(Array(20).fill("done"));
  expect(refusals).toEqual(Array(20).fill("clean 503"));
  expect(code).toBe(0);
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
});
