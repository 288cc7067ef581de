import { describe, expect, it } from "vitest";
import { ProgressRouter, shapeParams, startCall } from "./call-control";

describe("shapeParams", () => {
  it("drops the caller's progress token and keeps the rest of _meta", () => {
    expect(shapeParams({ name: "t", _meta: { progressToken: "c-1", trace: "x" } }, undefined)).toEqual({ name: "t", _meta: { trace: "x" } });
    expect(shapeParams({ name: "t", _meta: { progressToken: "c-1" } }, undefined)).toEqual({ name: "t" });
    expect(shapeParams(undefined, undefined)).toBeUndefined();
  });

  it("puts the pool's token in when progress is wanted", () => {
    expect(shapeParams({ name: "t", _meta: { progressToken: "c-1" } }, 7)).toEqual({ name: "t", _meta: { progressToken: 7 } });
    expect(shapeParams(undefined, 7)).toEqual({ _meta: { progressToken: 7 } });
  });
});

describe("startCall", () => {
  it("still delivers progress that arrives in the same turn as the result, then forgets the token", async () => {
    const router = new ProgressRouter();
    const seen: number[] = [];
    const call = startCall(1_000, undefined, (p) => seen.push(p.progress), router);
    const token = (call.shape(undefined)?._meta as { progressToken: number }).progressToken;
    call.dispose();
    router.dispatch({ progressToken: token, progress: 4, total: 4 });
    expect(seen).toEqual([4]);
    await new Promise((resolve) => setImmediate(resolve));
    router.dispatch({ progressToken: token, progress: 5 });
    expect(seen).toEqual([4]);
    expect(router.size).toBe(0);
  });

  it("aborts its signal at the timeout, and progress restarts the timer", async () => {
    const router = new ProgressRouter();
    const call = startCall(100, undefined, () => undefined, router);
    const token = (call.shape(undefined)?._meta as { progressToken: number }).progressToken;
    await new Promise((resolve) => setTimeout(resolve, 70));
    router.dispatch({ progressToken: token, progress: 1 });
    await new Promise((resolve) => setTimeout(resolve, 70));
    expect(call.options.signal?.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(call.options.signal?.aborted).toBe(true);
    expect(call.timedOut()).toBe(true);
    call.dispose();
  });

  it("follows the caller's signal without calling it a timeout", () => {
    const parent = new AbortController();
    const call = startCall(10_000, parent.signal, undefined, new ProgressRouter());
    parent.abort(new Error("client went away"));
    expect(call.options.signal?.aborted).toBe(true);
    expect(call.timedOut()).toBe(false);
    call.dispose();
  });

  it("stops a direct request at the timeout or on the caller's cancellation, once, and at once when registered late", async () => {
    const stops: string[] = [];
    const timed = startCall(30, undefined, undefined, new ProgressRouter());
    timed.onStop((reason) => stops.push(`timeout: ${reason.message}`));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(stops).toEqual(["timeout: timed out after 30 ms"]);
    timed.dispose();

    const parent = new AbortController();
    const cancelled = startCall(10_000, parent.signal, undefined, new ProgressRouter());
    parent.abort(new Error("client went away"));
    parent.abort(new Error("again"));
    cancelled.onStop((reason) => stops.push(`late: ${reason.message}`));
    expect(stops.slice(1)).toEqual(["late: client went away"]);
    expect(cancelled.timedOut()).toBe(false);
    cancelled.dispose();
  });
});
