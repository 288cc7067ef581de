import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changePublishingHooks, combineHooks, subscribeChanges, type Change } from "./changes";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t.drop();
});

describe("change notifications", () => {
  it("deliver every published change to a subscriber on another connection", async () => {
    const received: Change[] = [];
    let connects = 0;
    const sub = await subscribeChanges(t.sql, (c) => received.push(c), () => void connects++);
    const hooks = changePublishingHooks(t.sql);
    await hooks.apiKeyRevoked("p1", "k1", "h1");
    await hooks.projectChanged("p1");
    await hooks.serverChanged("p1", "s1");
    await t.sql.notify("switchyard_changes", "{not json");
    const deadline = Date.now() + 5_000;
    while (received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await sub.unlisten();
    expect(connects).toBeGreaterThanOrEqual(1);
    expect(received).toEqual([
      { type: "api_key.revoked", projectId: "p1", keyId: "k1", hash: "h1" },
      { type: "project.changed", projectId: "p1" },
      { type: "server.changed", projectId: "p1", serverId: "s1" },
    ]);
  });

  it("combined hooks run every set even when one fails", async () => {
    const calls: string[] = [];
    const hooks = combineHooks(
      { serverChanged: () => Promise.reject(new Error("queue down")) },
      { serverChanged: (p, s) => void calls.push(`${p}/${s}`) },
    );
    await expect(hooks.serverChanged?.("p", "s")).rejects.toThrow("queue down");
    expect(calls).toEqual(["p/s"]);
  });
});
