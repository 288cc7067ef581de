import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallRateLimiter, LocalWindows } from "./call-rate-limiter";

describe("LocalWindows", () => {
  it("allows the limit per minute and says when the next request may come", () => {
    let now = 0;
    const windows = new LocalWindows(() => now);
    expect([1, 2, 3].map(() => windows.take("key:a", 2).allowed)).toEqual([true, true, false]);
    now = 45_000;
    expect(windows.take("key:a", 2)).toEqual({ allowed: false, retryAfterMs: 15_000 });
    expect(windows.take("key:b", 2).allowed).toBe(true);
    now = 60_000;
    expect(windows.take("key:a", 2).allowed).toBe(true);
  });
});

describe("CallRateLimiter", () => {
  it("uses a key's own limit, else the instance default", async () => {
    const limiter = new CallRateLimiter({ defaultPerMinute: 1 });
    expect((await limiter.consume("key:x", 3)).allowed).toBe(true);
    expect((await limiter.consume("key:x", 3)).allowed).toBe(true);
    expect((await limiter.consume("key:x", 3)).allowed).toBe(true);
    expect((await limiter.consume("key:x", 3)).allowed).toBe(false);
    expect((await limiter.consume("user:y", null)).allowed).toBe(true);
    expect((await limiter.consume("user:y", null)).allowed).toBe(false);
  });
});

describe("CallRateLimiter with Redis", () => {
  let redis: Redis;
  const prefix = `sy:rl:test:${randomUUID()}`;

  beforeAll(async () => {
    redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await new Promise((resolve) => redis.once("ready", resolve));
  });

  afterAll(async () => {
    await redis.quit();
  });

  it("takes a share of the limit from Redis and spends it from memory", async () => {
    const limiter = new CallRateLimiter({ defaultPerMinute: 1, redis, keyPrefix: prefix });
    const first = limiter.consume("key:share", 1_000);
    expect(first).toBeInstanceOf(Promise);
    expect((await first).allowed).toBe(true);
    expect(await redis.get(`${prefix}:1000:key:share`)).toBe("10");
    // The other nine units of the share: answered at once, without Redis.
    for (let i = 0; i < 9; i++) expect(limiter.consume("key:share", 1_000)).toEqual({ allowed: true });
    expect(limiter.consume("key:share", 1_000)).toBeInstanceOf(Promise);
  });

  it("never admits more than the limit across instances, and refuses at most a share per instance early", async () => {
    const [a, b] = [new CallRateLimiter({ defaultPerMinute: 1, redis, keyPrefix: prefix }), new CallRateLimiter({ defaultPerMinute: 1, redis, keyPrefix: prefix })];
    let admitted = 0;
    for (let i = 0; i < 300; i++) if ((await (i % 2 ? a : b).consume("key:cluster", 200)).allowed) admitted++;
    expect(admitted).toBeLessThanOrEqual(200);
    expect(admitted).toBeGreaterThanOrEqual(200 - 2 * 2);
  });

  it("counts exactly, one unit at a time, under a limit of less than 100", async () => {
    const [a, b] = [new CallRateLimiter({ defaultPerMinute: 1, redis, keyPrefix: prefix }), new CallRateLimiter({ defaultPerMinute: 1, redis, keyPrefix: prefix })];
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push((await (i % 2 ? a : b).consume("key:small", 4)).allowed);
    expect(decisions).toEqual([true, true, true, true, false]);
  });
});
