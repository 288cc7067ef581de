import { describe, expect, it } from "vitest";
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
