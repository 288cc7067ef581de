import { uuidv7 } from "@switchyard/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing";
import * as q from "./index";

let t: TestDatabase;
const ids = {} as { teamA: string; projectA: string; teamB: string; open: string; ended: string[] };

beforeAll(async () => {
  t = await createTestDatabase();
  const a = await q.insertTeam(t.db, { name: "A", slug: "a" });
  const b = await q.insertTeam(t.db, { name: "B", slug: "b" });
  const pa = await q.insertProject(t.db, a.id, { name: "PA", slug: "pa" });
  const key = await q.insertApiKey(t.db, pa.id, { name: "ci", prefix: "sy_1", hash: "h1" });
  const base = Date.now() - 3600_000;
  const rows = Array.from({ length: 7 }, (_, i) => ({
    id: uuidv7(base + i * 1000), project_id: pa.id, api_key_id: key.id, transport: "streamable_http", client_name: i % 2 ? "Cline" : "cursor-vscode",
    client_type: i % 2 ? "cline" : "cursor", gateway_instance: "g1", started_at: new Date(base + i * 1000).toISOString(),
    last_activity_at: new Date(base + i * 1000 + 500).toISOString(), ended_at: i === 6 ? null : new Date(base + i * 1000 + 900).toISOString(),
    end_reason: i === 6 ? null : "client_delete", calls_total: i, calls_failed: 0,
  }));
  await t.sql`insert into client_sessions ${t.sql(rows)}`;
  Object.assign(ids, { teamA: a.id, projectA: pa.id, teamB: b.id, open: rows[6]?.id, ended: rows.slice(0, 6).map((r) => r.id).reverse() });
});

afterAll(async () => {
  await t.drop();
});

describe("client session queries", () => {
  it("list newest first in pages, filter by state and client, and name the key", async () => {
    const tenant = { teamId: ids.teamA, projectId: ids.projectA };
    const first = await q.listClientSessions(t.db, tenant, { limit: 4 });
    const second = await q.listClientSessions(t.db, tenant, { limit: 4, before: first.nextCursor ?? "" });
    expect([...first.items, ...second.items].map((s) => s.id)).toEqual([ids.open, ...ids.ended]);
    expect(second.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({ keyName: "ci", endedAt: null, callsTotal: 6 });
    expect((await q.listClientSessions(t.db, tenant, { state: "open" })).items.map((s) => s.id)).toEqual([ids.open]);
    expect((await q.listClientSessions(t.db, tenant, { state: "ended" })).items).toHaveLength(6);
    expect((await q.listClientSessions(t.db, tenant, { clientType: "cline" })).items).toHaveLength(3);
    expect((await q.listClientSessions(t.db, tenant, { q: "curs" })).items).toHaveLength(4);
  });

  it("see nothing of another team and end only an open session of the project", async () => {
    expect((await q.listClientSessions(t.db, { teamId: ids.teamB, projectId: ids.projectA })).items).toEqual([]);
    expect(await q.getClientSession(t.db, { teamId: ids.teamB }, ids.open)).toBeUndefined();
    expect(await q.markClientSessionEnded(t.db, uuidv7(), ids.open, "x")).toBeUndefined();
    expect(await q.markClientSessionEnded(t.db, ids.projectA, ids.open, "ended_by_admin")).toMatchObject({ endReason: "ended_by_admin" });
    expect(await q.markClientSessionEnded(t.db, ids.projectA, ids.open, "again")).toBeUndefined();
  });
});
