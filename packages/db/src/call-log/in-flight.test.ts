import { describe, expect, it } from "vitest";
import { InFlight } from "./in-flight";

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("InFlight", () => {
  it("one() waits for the first write to finish and forgets it", async () => {
    const writes = new InFlight();
    const a = deferred();
    const b = deferred();
    writes.add(a.promise);
    writes.add(b.promise);
    expect(writes.size).toBe(2);
    let done = false;
    const one = writes.one().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    b.resolve();
    await one;
    expect(writes.size).toBe(1);
    a.resolve();
    await writes.all();
    expect(writes.size).toBe(0);
  });

  it("all() waits for every write, even after one failed, then rejects with the first failure", async () => {
    const writes = new InFlight();
    const a = deferred();
    const b = deferred();
    const c = deferred();
    writes.add(a.promise);
    writes.add(b.promise);
    writes.add(c.promise);
    a.reject(new Error("first"));
    await writes.one();
    c.reject(new Error("second"));
    let settled = false;
    const all = writes.all().then(
      () => (settled = true),
      (e: unknown) => {
        settled = true;
        throw e;
      },
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(settled).toBe(false); // b is still running
    b.resolve();
    await expect(all).rejects.toThrow("first");
    expect(writes.size).toBe(0);
  });

  it("one() and all() resolve at once when nothing runs", async () => {
    const writes = new InFlight();
    await writes.one();
    await writes.all();
    expect(writes.size).toBe(0);
  });
});
