/** Cluster-wide caps against a real Redis: shared counts, leases that run out, and the local fallback. */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@switchyard/gateway/testing";
import { CallSlots, type CallSlot } from "../tools/call-slots";
import { SessionCaps } from "../sessions/session-caps";
import { ClusterCaps } from "./cluster-caps";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let redis: Redis;
let down: Redis;

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await waitFor(() => redis.status === "ready", 5_000, "redis");
  // Nothing listens on port 1: the state of a gateway whose Redis is gone.
  down = new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 1_000 });
  down.on("error", () => undefined);
});

afterAll(() => {
  redis.disconnect();
  down.disconnect();
});

/** Two instances' call slots on one cluster (a fresh key prefix per test). */
function twoInstances(limits = { perKey: 2, perProject: 3 }, leaseMs = 30_000) {
  const caps = new ClusterCaps(redis, `sy:test-caps:${randomUUID()}`);
  const failOpen: unknown[] = [];
  const make = (instanceId: string) => new CallSlots({ limits, shared: caps, instanceId, leaseMs, onFailOpen: (e) => failOpen.push(e) });
  return { a: make("a"), b: make("b"), failOpen };
}

const taken = (d: Awaited<ReturnType<CallSlots["take"]>>) => {
  if (!d.ok) throw new Error(d.message);
  return d.slot;
};

describe("concurrent-call caps", () => {
  it("counts one credential's calls across instances, and a release frees a slot for either", async () => {
    const { a, b, failOpen } = twoInstances();
    const first = taken(await a.take("key:1", "p1"));
    taken(await b.take("key:1", "p1"));
    // Each instance holds one call: only the shared count says the credential is at its cap of 2.
    expect(await a.take("key:1", "p1")).toEqual({ ok: false, message: "Too many concurrent calls for this credential (at most 2)" });
    expect(await b.take("key:1", "p1")).toMatchObject({ ok: false });
    taken(await b.take("key:2", "p1"));
    expect(await a.take("key:3", "p1")).toEqual({ ok: false, message: "Too many concurrent calls in this project (at most 3)" });
    first.release();
    first.release();
    await waitFor(async () => (await b.take("key:1", "p2")).ok, 2_000, "a released slot");
    expect(failOpen).toEqual([]);
  });

  it("frees the calls of an instance that stopped renewing (killed) once their leases run out, and keeps renewed ones", async () => {
    const { a, b } = twoInstances({ perKey: 1, perProject: 10 }, 300);
    b.start();
    taken(await a.take("key:dead", "p1"));
    taken(await b.take("key:alive", "p1"));
    expect((await b.take("key:dead", "p1")).ok).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // `a` never renews (as if SIGKILLed): its call no longer counts. `b` renewed its own.
    taken(await b.take("key:dead", "p1"));
    expect((await a.take("key:alive", "p1")).ok).toBe(false);
    await b.stop();
  });

  it("decides calls from memory while this instance's reservation has room: one round trip for many calls", async () => {
    const caps = new ClusterCaps(redis, `sy:test-caps:${randomUUID()}`);
    let roundTrips = 0;
    const reserve = caps.reserve.bind(caps);
    caps.reserve = (...args) => (roundTrips++, reserve(...args));
    const slots = new CallSlots({ limits: { perKey: 64, perProject: 256 }, shared: caps, instanceId: "a", settleMs: 5_000 });
    for (let i = 0; i < 200; i++) {
      const running = await Promise.all([slots.take("key:1", "p1"), slots.take("key:1", "p1"), slots.take("key:1", "p1")]);
      for (const d of running) taken(d).release();
    }
    // The first calls reserved their places with headroom; every later call fit in it.
    expect(roundTrips).toBe(1);
    await slots.stop();
  });

  it("holds the cap exactly across instances reserving with headroom, and gives unused places back", async () => {
    const { a, b, failOpen } = twoInstances({ perKey: 16, perProject: 100 });
    const held: CallSlot[] = [];
    for (let refusedBoth = false; !refusedBoth; ) {
      const [onA, onB] = [await a.take("key:1", "p1"), await b.take("key:1", "p1")];
      for (const d of [onA, onB]) if (d.ok) held.push(d.slot);
      refusedBoth = !onA.ok && !onB.ok;
      if (!onB.ok) expect(onB.message).toBe("Too many concurrent calls for this credential (at most 16)");
    }
    expect(held).toHaveLength(16);
    for (const slot of held.splice(0)) slot.release();
    // Released places are given back (a, b settle): all 16 can run on one instance again.
    await waitFor(
      async () => {
        const d = await a.take("key:1", "p1");
        if (d.ok) held.push(d.slot);
        return held.length === 16;
      },
      3_000,
      "the places given back",
    );
    expect(failOpen).toEqual([]);
  });

  it("without Redis decides from this instance's count alone, at once (no promise)", () => {
    const slots = new CallSlots({ limits: { perKey: 1, perProject: 2 } });
    const first = slots.take("key:1", "p1");
    expect(first).not.toBeInstanceOf(Promise);
    expect(slots.take("key:1", "p1")).toEqual({ ok: false, message: "Too many concurrent calls for this credential (at most 1)" });
    expect(slots.take("key:2", "p1")).toMatchObject({ ok: true });
    expect(slots.take("key:3", "p1")).toEqual({ ok: false, message: "Too many concurrent calls in this project (at most 2)" });
    taken(first as Awaited<typeof first>).release();
    expect(slots.take("key:1", "p1")).toMatchObject({ ok: true });
  });

  it("falls back to this instance's count when Redis does not answer, and counts the fallback", async () => {
    const failOpen: unknown[] = [];
    const slots = new CallSlots({ limits: { perKey: 1, perProject: 5 }, shared: new ClusterCaps(down, `sy:test-caps:${randomUUID()}`), instanceId: "a", onFailOpen: (e) => failOpen.push(e) });
    const started = Date.now();
    const slot = taken(await slots.take("key:1", "p1"));
    expect(Date.now() - started).toBeLessThan(100);
    expect(failOpen).toHaveLength(1);
    // The local count still holds the cap on this instance.
    expect(await slots.take("key:1", "p1")).toEqual({ ok: false, message: "Too many concurrent calls for this credential (at most 1)" });
    slot.release();
    taken(await slots.take("key:1", "p1"));
    expect(failOpen).toHaveLength(2);
  });
});

describe("open-session caps", () => {
  const none = { countFor: () => 0, countInProject: () => 0 };

  it("counts sessions across instances by id; a placeholder renamed to the session's id keeps its place; the end frees it", async () => {
    const shared = new ClusterCaps(redis, `sy:test-caps:${randomUUID()}`);
    const a = new SessionCaps({ perKey: 2, perProject: 10, shared, leaseMs: 30_000 });
    const b = new SessionCaps({ perKey: 2, perProject: 10, shared, leaseMs: 30_000 });
    expect(await a.claim(none, "key:1", "p1", "s1")).toBeUndefined();
    expect(await b.claim(none, "key:1", "p1", "opening:x")).toBeUndefined();
    b.adopt("key:1", "p1", "opening:x", "s2");
    expect(await a.claim(none, "key:1", "p1", "s3")).toBe("Too many open sessions for this credential (at most 2); end unused ones");
    // Whoever records the end frees the place, whichever instance opened the session.
    a.release("key:1", "p1", "s2");
    await waitFor(async () => (await a.claim(none, "key:1", "p1", "s3")) === undefined, 2_000, "a freed place");
    expect(await b.claim(none, "key:1", "p1", "s4")).toMatch(/Too many open sessions/);
  });

  it("refuses on the local count without asking Redis, and fails open locally (counted) when Redis is down", async () => {
    const failOpen: unknown[] = [];
    const caps = new SessionCaps({ perKey: 1, perProject: 10, shared: new ClusterCaps(down), leaseMs: 30_000, onFailOpen: (e) => failOpen.push(e) });
    expect(await caps.claim({ countFor: () => 1, countInProject: () => 1 }, "key:1", "p1", "s1")).toMatch(/Too many open sessions for this credential/);
    expect(failOpen).toHaveLength(0);
    expect(await caps.claim(none, "key:1", "p1", "s1")).toBeUndefined();
    expect(failOpen).toHaveLength(1);
  });
});
