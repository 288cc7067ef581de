import { describe, expect, it } from "vitest";
import { FailedAttempts } from "./failed-attempts";

describe("FailedAttempts", () => {
  it("blocks an address past the limit until its window ends, others not", () => {
    let now = 0;
    const guard = new FailedAttempts({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(guard.blockedFor("10.0.0.1")).toBe(0);
      guard.fail("10.0.0.1");
    }
    now = 20_000;
    expect(guard.blockedFor("10.0.0.1")).toBe(40_000);
    expect(guard.blockedFor("10.0.0.2")).toBe(0);
    now = 60_000;
    expect(guard.blockedFor("10.0.0.1")).toBe(0);
  });

  it("counts only while a failure is within the last window", () => {
    let now = 0;
    const guard = new FailedAttempts({ maxFailures: 1, windowMs: 60_000, now: () => now });
    expect(guard.counting).toBe(false);
    guard.fail("10.0.0.1");
    expect(guard.counting).toBe(true);
    now = 59_999;
    expect(guard.counting).toBe(true);
    now = 60_000;
    expect(guard.counting).toBe(false);
    expect(guard.blockedFor("10.0.0.1")).toBe(0);
  });

  it("stays bounded in memory", () => {
    let now = 0;
    const guard = new FailedAttempts({ maxFailures: 1, maxTracked: 100, now: () => now });
    for (let i = 0; i < 1_000; i++) {
      now++;
      guard.fail(`ip-${i}`);
    }
    expect(guard.blockedFor("ip-999")).toBeGreaterThan(0);
    expect(guard.blockedFor("ip-0")).toBe(0);
  });
});
