import { describe, expect, it } from "vitest";
import { CycleChain } from "./cycle-chain";

describe("CycleChain", () => {
  it("runs one cycle at a time; kicks while one is queued share it, and a forced kick forces it", async () => {
    const runs: boolean[] = [];
    let release = () => undefined as void;
    const chain = new CycleChain(async (force) => {
      runs.push(force);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
    }, () => undefined);
    const first = chain.kick(false);
    await Promise.resolve();
    const second = chain.kick(false);
    const third = chain.kick(true);
    expect(third).toBe(second);
    release();
    await Promise.all([first, second]);
    expect(runs).toEqual([false, true]);
  });

  it("reports a failing cycle and keeps running the next ones", async () => {
    const errors: unknown[] = [];
    let n = 0;
    const chain = new CycleChain(
      () => (++n === 1 ? Promise.reject(new Error("boom")) : Promise.resolve()),
      (e) => errors.push(e),
    );
    await chain.kick(false);
    await chain.kick(false);
    expect(n).toBe(2);
    expect(errors).toEqual([new Error("boom")]);
  });
});
