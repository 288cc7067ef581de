import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing";
import { insertActivity, listActivities } from "./activities";
import { insertTeam } from "./teams";

let t: TestDatabase;
let teamId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  teamId = (await insertTeam(t.db, { name: "Pages", slug: "pages" })).id;
  // One transaction: every row gets the same now(), so only the id orders them.
  await t.db.transaction(async (tx) => {
    for (let i = 0; i < 7; i++) await insertActivity(tx, { teamId, type: "settings.updated", summary: `change ${i}` });
  });
  await insertActivity(t.db, { teamId, type: "settings.updated", summary: "later" });
});

afterAll(async () => {
  await t.drop();
});

describe("keyset pages", () => {
  it("walk every row exactly once, newest first, even when rows share a timestamp", async () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listActivities(t.db, teamId, { limit: 3, ...(before ? { before } : {}) });
      seen.push(...page.items.map((a) => a.summary));
      if (!page.nextCursor) break;
      before = page.nextCursor;
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen[0]).toBe("later");
  });

  it("ignores a malformed cursor instead of failing", async () => {
    const page = await listActivities(t.db, teamId, { limit: 2, before: "garbage" });
    expect(page.items).toHaveLength(2);
  });
});
