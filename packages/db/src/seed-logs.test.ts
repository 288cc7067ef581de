import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as q from "./queries";
import { seedProjectLogs } from "./seed-logs";
import { createTestDatabase, type TestDatabase } from "./testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("seedProjectLogs", () => {
  it("writes the rows, sessions whose counts add up, and rollups that match the rows", async () => {
    const team = await q.insertTeam(t.db, { name: "S", slug: "s" });
    const project = await q.insertProject(t.db, team.id, { name: "S", slug: "s" });
    const result = await seedProjectLogs(t.sql, { projectId: project.id, rows: 3000, days: 2, slice: 1000 });
    expect(result.rows).toBe(3000);
    // Three COPY slices: every row of the generator is written, not just the first slice.
    const [c] = await t.sql<{ rows: number; inDefault: number; sessionCalls: number; rollupCount: number; keys: number }[]>`select
      (select count(*)::int from tool_call_logs where project_id = ${project.id}) as rows,
      (select count(*)::int from tool_call_logs_default) as "inDefault",
      (select sum(calls_total)::int from client_sessions where project_id = ${project.id}) as "sessionCalls",
      (select sum(count)::int from tool_call_rollups where project_id = ${project.id}) as "rollupCount",
      (select count(*)::int from api_keys where project_id = ${project.id} and revoked_at is not null) as keys`;
    expect(c).toEqual({ rows: 3000, inDefault: 0, sessionCalls: 3000, rollupCount: 3000, keys: 3 });
    const statuses = await q.getLogFacets(t.db, { teamId: team.id, projectId: project.id }, { from: new Date(Date.now() - 3 * 86_400_000), to: new Date() }, null);
    expect(statuses.facets.status.map((s) => s.value)).toContain("error");
    expect(statuses.facets.server.length).toBeGreaterThanOrEqual(5);
  });

  it("writes over parallel streams, and resumes an interrupted run on the same timeline and keys", async () => {
    const team = await q.insertTeam(t.db, { name: "R", slug: "r" });
    const project = await q.insertProject(t.db, team.id, { name: "R", slug: "r" });
    const end = new Date(Math.floor(Date.now() / 1000) * 1000);
    // The first 1,000 rows of a 4,000-row timeline (the oldest quarter of the day), as if interrupted after one slice.
    await seedProjectLogs(t.sql, { projectId: project.id, rows: 4000, days: 1, end });
    await t.sql`delete from tool_call_logs where project_id = ${project.id} and started_at >= ${new Date(end.getTime() - 18 * 3600_000).toISOString()}::timestamptz`;
    const result = await seedProjectLogs(t.sql, { projectId: project.id, rows: 4000, days: 1, end, skip: 1000, streams: 3, slice: 500 });
    expect(result.rows).toBe(3000);
    const [c] = await t.sql<{ rows: number; ids: number; rollupCount: number; keys: number; keysUsed: number }[]>`select
      (select count(*)::int from tool_call_logs where project_id = ${project.id}) as rows,
      (select count(distinct id)::int from tool_call_logs where project_id = ${project.id}) as ids,
      (select sum(count)::int from tool_call_rollups_hourly where project_id = ${project.id}) as "rollupCount",
      (select count(*)::int from api_keys where project_id = ${project.id}) as keys,
      (select count(distinct api_key_id)::int from tool_call_logs where project_id = ${project.id}) as "keysUsed"`;
    expect(c).toEqual({ rows: 4000, ids: 4000, rollupCount: 4000, keys: 3, keysUsed: 3 });
    // Evenly spread over the day: each quarter of it holds about a quarter of the calls.
    const quarters = await t.sql<{ n: number }[]>`select count(*)::int as n from tool_call_logs where project_id = ${project.id}
      group by floor(extract(epoch from (${end.toISOString()}::timestamptz - started_at)) / 21600) order by 1`;
    expect(quarters).toHaveLength(4);
    for (const r of quarters) expect(Math.abs(r.n - 1000)).toBeLessThanOrEqual(5);
  });
});
