import { describe, expect, it } from "vitest";
import { KeyUsage } from "./key-usage";

describe("KeyUsage", () => {
  it("writes one update per used key per flush, with its latest use", async () => {
    const writes: string[] = [];
    const usage = new KeyUsage({ write: (projectId, keyId, _at, ip) => Promise.resolve(void writes.push(`${projectId}/${keyId}@${ip ?? "-"}`)) });
    for (let i = 0; i < 100; i++) usage.touch("p", "k1", `10.0.0.${i % 3}`);
    usage.touch("p", "k2", null);
    await usage.flush();
    expect(writes).toEqual(["p/k1@10.0.0.0", "p/k2@-"]);
    await usage.flush();
    expect(writes).toHaveLength(2);
  });

  it("keeps uses that could not be written for the next flush", async () => {
    let down = true;
    const writes: string[] = [];
    const usage = new KeyUsage({
      write: (_p, keyId) => {
        if (down) return Promise.reject(new Error("database down"));
        writes.push(keyId);
        return Promise.resolve();
      },
      onError: () => undefined,
    });
    usage.touch("p", "k1", null);
    usage.touch("p", "k2", null);
    await usage.flush();
    down = false;
    await usage.close();
    expect(writes.sort()).toEqual(["k1", "k2"]);
  });
});
