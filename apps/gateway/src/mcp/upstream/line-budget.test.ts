import { describe, expect, it } from "vitest";
import { LineBudget } from "./line-budget";

describe("LineBudget", () => {
  it("admits a burst, then a trickle, and reports how many lines it dropped", () => {
    let now = 0;
    const budget = new LineBudget(3, 2, () => now);
    expect([budget.take(), budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([0, 0, 0, null, null]);
    now += 500;
    expect(budget.take()).toBe(2);
    expect(budget.take()).toBeNull();
    now += 10_000;
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([1, 0, 0, null]);
  });
});
