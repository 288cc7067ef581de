import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { testRedisUrl } from "@switchyard/core/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type BusMessage, redisBus, type SessionBus } from "./session-bus";

let redis: Redis;
const buses: SessionBus[] = [];

beforeAll(async () => {
  redis = new Redis(testRedisUrl(), { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await new Promise((resolve, reject) => {
    redis.once("ready", resolve);
    redis.once("error", reject);
  });
});
afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  redis.disconnect();
});

const notify = (sessionId: string): BusMessage => ({ kind: "notify", projectId: "p", sessionId, notification: { method: "notifications/tools/list_changed" } });

async function bus(me: string, got: BusMessage[], graceMs?: number): Promise<SessionBus> {
  const b = await redisBus(redis, me, (message) => got.push(message), graceMs);
  buses.push(b);
  return b;
}

it("delivers to an instance that subscribes again within the grace, exactly once", async () => {
  const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
  const sender = await bus(a, [], 2_000);
  const got: BusMessage[] = [];
  // b is deaf when the message is sent (as after a Redis restart) and listens 400 ms later.
  const sent = sender.send(b, notify("s1"));
  await sleep(400);
  await bus(b, got);
  expect(await sent).toBe(true);
  await sleep(100);
  expect(got).toEqual([notify("s1")]);
});

it("says undelivered once the grace has passed with nobody listening", async () => {
  const sender = await bus(`a-${randomUUID()}`, [], 300);
  const started = Date.now();
  expect(await sender.send(`gone-${randomUUID()}`, notify("s2"))).toBe(false);
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
});
