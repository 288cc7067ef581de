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
});
