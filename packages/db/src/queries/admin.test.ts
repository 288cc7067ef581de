/**
 * The instance admin's lists count what belongs to each row: the counting subqueries must refer
 * to the outer team or user, not to their own tables' ids.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing";
import * as q from "./index";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  const ann = await q.insertUser(t.db, { email: "ann@example.com", name: "Ann", passwordHash: "x" });
  const bob = await q.insertUser(t.db, { email: "bob@example.com", name: "Bob", passwordHash: "x" });
  const platform = await q.insertTeam(t.db, { name: "Platform", slug: "platform" });
  const search = await q.insertTeam(t.db, { name: "Search", slug: "search" });
  await q.insertMember(t.db, platform.id, ann.id, "owner");
  await q.insertMember(t.db, platform.id, bob.id, "owner");
  await q.insertMember(t.db, search.id, bob.id, "developer");
  await q.insertProject(t.db, platform.id, { name: "Main", slug: "main" });
  await q.insertProject(t.db, platform.id, { name: "Docs", slug: "docs" });
});

afterAll(async () => {
  await t.drop();
});

describe("instance admin lists", () => {
  it("lists every team with its member count, project count and owners", async () => {
    const rows = await q.listTeamsForAdmin(t.db);
    expect(rows.map((r) => ({ slug: r.slug, members: r.memberCount, projects: r.projectCount, owners: r.ownerEmails }))).toEqual([
      { slug: "platform", members: 2, projects: 2, owners: ["ann@example.com", "bob@example.com"] },
      { slug: "search", members: 1, projects: 0, owners: [] },
    ]);
  });

  it("filters teams by name or slug", async () => {
    const rows = await q.listTeamsForAdmin(t.db, { q: "sear" });
    expect(rows.map((r) => r.slug)).toEqual(["search"]);
  });

  it("counts each user's teams", async () => {
    const { items } = await q.listUsersForAdmin(t.db);
    expect(Object.fromEntries(items.map((u) => [u.email, u.teamCount]))).toEqual({ "ann@example.com": 1, "bob@example.com": 2 });
  });
});
