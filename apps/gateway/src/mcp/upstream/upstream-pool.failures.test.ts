/** The pool when upstreams misbehave: timeouts, cancellation, crashes, a failing command, shutdown. */
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { everything, FakeRegistry, flakyServer, isAlive, pidsWithArg, probeServer, waitFor, poolFailure, TestPools } from "@switchyard/gateway/testing";

const P = "project-1";
const FAST_HEALTH = { failureThreshold: 3, cooldownMs: 400, backoffBaseMs: 20, backoffMaxMs: 50 };
let dir: string;
let flag: string;
let registry: FakeRegistry;
let pools: TestPools;

function call(serverId: string, sessionId = "s1") {
  return { projectId: P, serverId, sessionId };
}

const echo = (message: string) => ({ name: "echo", arguments: { message } });
const longRun = (duration: number) => ({ name: "trigger-long-running-operation", arguments: { duration, steps: 1 } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sy-pool-fail-"));
  flag = join(dir, "fail.flag");
  registry = new FakeRegistry();
  pools = new TestPools(registry, join(dir, "scratch"));
  registry.set(P, "slow", everything({ timeoutMs: 1_000 }));
  registry.set(P, "probe", await probeServer(dir, { timeoutMs: 1_000 }));
  registry.set(P, "victim", everything());
  registry.set(P, "broken", everything({ name: "broken", args: ["-e", "console.error('cannot start'); process.exit(1)"] }));
  registry.set(P, "flaky", await flakyServer(dir, flag));
});

afterEach(async () => {
  await pools.closeAll();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("timeouts and cancellation", () => {
  it("fails with kind timeout at the server's timeout, and the next call works on the same process", async () => {
    const pool = pools.make();
    const started = Date.now();
    const e = await poolFailure(pool.callTool(call("slow"), longRun(3)));
    expect(e.kind).toBe("timeout");
    expect(e.code).toBe(-32001);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(2_000);
    const next = await pool.callTool(call("slow"), echo("still here"));
    expect(next.content[0]).toMatchObject({ text: "Echo: still here" });
    expect(registry.pidsOf("slow")).toHaveLength(1);
  });

  it("keeps a call that reports progress alive past the timeout", async () => {
    const pool = pools.make();
    const updates: number[] = [];
    const result = await pool.callTool({ ...call("slow"), onProgress: (p) => updates.push(p.progress) }, { name: "trigger-long-running-operation", arguments: { duration: 2, steps: 4 } });
    expect(result.content[0]).toMatchObject({ type: "text" });
    expect(updates).toEqual([1, 2, 3, 4]);
  });

  it("fails with kind cancelled when the caller aborts, and the next call works", async () => {
    const pool = pools.make();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const e = await poolFailure(pool.callTool({ ...call("slow"), signal: controller.signal }, longRun(3)));
    expect(e.kind).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(800);
    expect((await pool.callTool(call("slow"), echo("after abort"))).content[0]).toMatchObject({ text: "Echo: after abort" });
  });

  it("sends notifications/cancelled upstream on timeout and on abort", async () => {
    const pool = pools.make();
    expect((await poolFailure(pool.callTool(call("probe"), { name: "wait", arguments: { ms: 5_000 } }))).kind).toBe("timeout");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect((await poolFailure(pool.callTool({ ...call("probe"), signal: controller.signal }, { name: "wait", arguments: { ms: 5_000 } }))).kind).toBe("cancelled");
    await waitFor(() => registry.eventsOf("probe", "stderr").filter((e) => e.message.startsWith("cancelled request")).length === 2);
    const reasons = registry.eventsOf("probe", "stderr").filter((e) => e.message.startsWith("cancelled request")).map((e) => e.message);
    expect(reasons[0]).toMatch(/timed out after 1000 ms/);
  });

  it("fails at once for a caller that aborted before calling", async () => {
    const pool = pools.make();
    const e = await poolFailure(pool.callTool({ ...call("slow"), signal: AbortSignal.abort() }, echo("never")));
    expect(e.kind).toBe("cancelled");
    expect(pool.stats().processes).toBe(0);
  });
});

describe("crashes", () => {
  it("rejects a pending call within 1 s of the child being killed, and the next call starts a new process", async () => {
    const pool = pools.make();
    await pool.callTool(call("victim"), echo("warm up"));
    const [pid] = registry.pidsOf("victim");
    const pending = poolFailure(pool.callTool(call("victim"), longRun(10)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const killedAt = Date.now();
    process.kill(pid ?? 0);
    const e = await pending;
    expect(Date.now() - killedAt).toBeLessThan(1_000);
    expect(e.kind).toBe("crashed");
    const next = await pool.callTool(call("victim"), echo("back"));
    expect(next.content[0]).toMatchObject({ text: "Echo: back" });
    const pids = registry.pidsOf("victim");
    expect(pids).toHaveLength(2);
    expect(pids[1]).not.toBe(pid);
    expect(registry.eventsOf("victim", "crash")).toHaveLength(1);
    expect(registry.eventsOf("victim", "crash")[0]).toMatchObject({ level: "error", message: "exited unexpectedly" });
    expect(registry.eventsOf("victim", "restart")[0]?.message).toMatch(/after a crash/);
  });

  it("opens the circuit after repeated failures, fails fast while open, and probes on its own: a failed probe reopens it", async () => {
    const pool = pools.make({ health: FAST_HEALTH });
    for (let i = 0; i < 3; i++) {
      const e = await poolFailure(pool.callTool(call("broken"), echo("x")));
      expect(e.kind).toBe("unavailable");
      expect(e.message).toMatch(/cannot start/);
    }
    const openedAt = Date.now();
    const fast = await poolFailure(pool.callTool(call("broken"), echo("x")));
    expect(fast.kind).toBe("circuit_open");
    expect(Date.now() - openedAt).toBeLessThan(50);
    expect(registry.eventsOf("broken", "startup")).toHaveLength(3);
    expect(pool.stats().openCircuits).toBe(1);
    expect(registry.eventsOf("broken", "restart").map((e) => e.message)).toEqual([expect.stringMatching(/^circuit open after 3 consecutive failures.*then a probe starts it again/)]);

    // No call: the pool starts the server itself after the cool-down, and again after the next one.
    await waitFor(() => registry.eventsOf("broken", "startup").length === 4, 5_000);
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(FAST_HEALTH.cooldownMs - 20);
    expect((await poolFailure(pool.callTool(call("broken"), echo("x")))).kind).toBe("circuit_open");
    await waitFor(() => registry.eventsOf("broken", "startup").length === 5, 5_000);
    expect(pool.stats().openCircuits).toBe(1);
  });

  it("closes the circuit by itself when the background probe succeeds", async () => {
    const pool = pools.make({ health: FAST_HEALTH });
    await writeFile(flag, "fail");
    for (let i = 0; i < 3; i++) expect((await poolFailure(pool.callTool(call("flaky"), echo("x")))).kind).toBe("unavailable");
    expect((await poolFailure(pool.callTool(call("flaky"), echo("x")))).kind).toBe("circuit_open");
    await unlink(flag);
    // Recovery without any call driving it: the probe's upstream is up and stays for the next calls.
    await waitFor(() => pool.stats().openCircuits === 0, 5_000);
    const started = registry.pidsOf("flaky");
    expect(isAlive(started.at(-1) ?? 0)).toBe(true);
    expect((await pool.callTool(call("flaky"), echo("healed"))).content[0]).toMatchObject({ text: "Echo: healed" });
    expect(registry.pidsOf("flaky")).toEqual(started);
  });

  it("stops probing when the pool closes", async () => {
    const pool = pools.make({ health: FAST_HEALTH });
    for (let i = 0; i < 3; i++) await poolFailure(pool.callTool(call("broken"), echo("x")));
    const startups = registry.eventsOf("broken", "startup").length;
    await pool.close();
    await new Promise((resolve) => setTimeout(resolve, FAST_HEALTH.cooldownMs * 2));
    expect(registry.eventsOf("broken", "startup")).toHaveLength(startups);
  });
});

describe("child stderr", () => {
  it("is cut per line and rate-limited per server before it becomes server events", async () => {
    const spam = "console.error('x'.repeat(10000)); for (let i = 0; i < 500; i++) console.error('line ' + i); process.exit(1)";
    registry.set(P, "spammy", everything({ name: "spammy", args: ["-e", spam] }));
    const pool = pools.make();
    expect((await poolFailure(pool.callTool(call("spammy"), echo("x")))).kind).toBe("unavailable");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = registry.eventsOf("spammy", "stderr");
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.length).toBeLessThanOrEqual(50);
    expect(lines[0]?.message).toHaveLength(2_001);
    expect(registry.eventsOf("spammy", "startup")[0]?.message.length).toBeLessThan(1_200);
  });
});

describe("shutdown", () => {
  it("close() ends every child, including one still starting, and refuses later calls", async () => {
    const marker = "sy-pool-close-marker";
    registry.set(P, "close-shared", everything({ args: [everything().args[0] ?? "", "stdio", marker] }));
    registry.set(P, "close-session", everything({ args: [everything().args[0] ?? "", "stdio", marker], isolation: "per_session" }));
    const pool = pools.make();
    await pool.callTool(call("close-shared"), echo("a"));
    await pool.callTool(call("close-session", "A"), echo("b"));
    await pool.callTool(call("close-session", "B"), echo("c"));
    const inFlight = poolFailure(pool.callTool(call("close-shared"), longRun(10)));
    // Session C's child is spawned but not yet initialized when close() runs: it must not survive either.
    const starting = poolFailure(pool.callTool(call("close-session", "C"), echo("d")));
    await waitFor(() => pidsWithArg(marker).length === 4, 2_000);
    await pool.close();
    expect((await starting).kind).toBe("unavailable");
    expect((await inFlight).kind).toBe("unavailable");
    expect(pidsWithArg(marker)).toEqual([]);
    for (const pid of [...registry.pidsOf("close-shared"), ...registry.pidsOf("close-session")]) expect(isAlive(pid)).toBe(false);
    expect(pool.stats()).toEqual({ upstreams: 0, processes: 0, openCircuits: 0 });
    expect((await poolFailure(pool.callTool(call("close-shared"), echo("late")))).kind).toBe("unavailable");
  });
});
