import { describe, expect, it } from "vitest";
import { ServerHealth } from "./server-health";

function health() {
  let now = 0;
  const h = new ServerHealth({ failureThreshold: 3, cooldownMs: 1_000, backoffBaseMs: 100, backoffMaxMs: 250 }, () => now);
  return { h, advance: (ms: number) => (now += ms) };
}

describe("ServerHealth", () => {
  it("backs off exponentially up to the maximum after each failure", () => {
    const { h } = health();
    expect(h.backoffMs(false)).toBe(0);
    h.recordFailure();
    expect(h.backoffMs(false)).toBe(100);
    h.recordFailure();
    expect(h.backoffMs(false)).toBe(200);
    h.recordSuccess();
    expect(h.backoffMs(false)).toBe(0);
  });

  it("opens after the threshold, refuses during the cool-down, then lets exactly one probe through", () => {
    const { h, advance } = health();
    expect([h.recordFailure(), h.recordFailure(), h.recordFailure()]).toEqual([false, false, true]);
    expect(h.admit()).toEqual({ ok: false, retryInMs: 1_000 });
    advance(1_000);
    expect(h.admit()).toEqual({ ok: true, probe: true });
    expect(h.state).toBe("half_open");
    expect(h.admit().ok).toBe(false);
    expect(h.backoffMs(true)).toBe(0);
  });

  it("reopens on a failed probe and closes on a connected one, where one more failure reopens it", () => {
    const { h, advance } = health();
    for (let i = 0; i < 3; i++) h.recordFailure();
    advance(1_000);
    h.admit();
    expect(h.recordFailure()).toBe(true);
    expect(h.state).toBe("open");
    advance(1_000);
    h.admit();
    h.recordConnected();
    expect(h.state).toBe("closed");
    expect(h.recordFailure()).toBe(true);
  });

  it("is reset by a successful call", () => {
    const { h } = health();
    h.recordFailure();
    h.recordFailure();
    h.recordSuccess();
    expect([h.recordFailure(), h.recordFailure()]).toEqual([false, false]);
    expect(h.state).toBe("closed");
  });
});
