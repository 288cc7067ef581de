/** purge-logs on a real database: partitions dropped past the longest retention, per-project deletes below it. */
import { randomUUID } from "node:crypto";
import { eq, insertProject, insertServer, insertTeam, schema, sql, type Project } from "@switchyard/db";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purgeExpiredLogs } from "./purge-logs";

const DAY = 24 * 3600 * 1000;
let tdb: TestDatabase;
const ago = (days: number) => new Date(Date.now() - days * DAY);

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

async function project(retentionDays: number): Promise<Project> {
  const team = await insertTeam(tdb.db, { name: `T${retentionDays}`, slug: `t-${retentionDays}-${randomUUID().slice(0, 8)}` });
  return insertProject(tdb.db, team.id, { name: `P${retentionDays}`, slug: `p-${retentionDays}`, retentionDays });
}

async function log(projectId: string, startedAt: Date): Promise<string> {
  const id = randomUUID();
  await tdb.db.insert(schema.toolCallLogs).values({ id, projectId, toolName: "echo", exposedName: "s__echo", status: "success", durationMs: 3, startedAt, finishedAt: startedAt });
  return id;
}

async function session(projectId: string, startedAt: Date, endedAt: Date | null): Promise<string> {
  const id = randomUUID();
  await tdb.db.insert(schema.clientSessions).values({ id, projectId, transport: "streamable_http", gatewayInstance: "test", startedAt, lastActivityAt: endedAt ?? startedAt, endedAt });
  return id;
}

async function ids(table: "tool_call_logs" | "client_sessions", projectId: string): Promise<string[]> {
  const rows = await tdb.sql<{ id: string }[]>`select id from ${tdb.sql(table)} where project_id = ${projectId} order by id`;
  return rows.map((r) => r.id);
}

describe("purgeExpiredLogs", () => {
  it("drops partitions past the longest retention and applies each project's shorter retention in batches", async () => {
    const short = await project(7);
    const long = await project(30);
    // A partition for a day past every retention, holding one of the long project's rows.
    const oldDay = ago(40).toISOString().slice(0, 10);
    await tdb.sql`select switchyard_ensure_log_partition(${oldDay}::date)`;
    const partition = `tool_call_logs_p${oldDay.replaceAll("-", "")}`;
    await log(long.id, ago(40));

    const shortRecent = await log(short.id, ago(1));
    await Promise.all([log(short.id, ago(10)), log(short.id, ago(11)), log(short.id, ago(12))]);
    const longMid = await log(long.id, ago(10));

    await session(short.id, ago(20), ago(10));
    const liveOld = await session(short.id, ago(100), null);
    const endedRecent = await session(short.id, ago(2), ago(1));
    const longEnded = await session(long.id, ago(12), ago(10));

    const server = await insertServer(tdb.db, short.id, { name: "s", transport: "stdio", command: "node" });
    await tdb.db.insert(schema.serverEvents).values([
      { projectId: short.id, serverId: server.id, level: "info", category: "status_check", message: "old", at: ago(9) },
      { projectId: short.id, serverId: server.id, level: "info", category: "status_check", message: "new", at: ago(1) },
    ]);
    // One row per tier and project, as the log writer's ingest statement writes them (9 days old in every tier).
    for (const tier of [schema.toolCallRollups, schema.toolCallRollupsQuarterly, schema.toolCallRollupsHourly, schema.toolCallRollupsDaily]) {
      await tdb.db.insert(tier).values([
        { projectId: short.id, bucket: ago(9), serverName: "s", toolName: "echo", status: "success", clientType: "other", count: 1, durationBuckets: [1] },
        { projectId: long.id, bucket: ago(9), serverName: "s", toolName: "echo", status: "success", clientType: "other", count: 1, durationBuckets: [1] },
      ]);
    }

    const summary = await purgeExpiredLogs(tdb.db, { batchSize: 2 });

    expect(summary).toMatchObject({ projects: 2, longestRetentionDays: 30, partitionsDropped: 1, logsDeleted: 3, sessionsDeleted: 1, eventsDeleted: 1, rollupsDeleted: 4 });
    const [exists] = await tdb.sql<{ r: string | null }[]>`select to_regclass(${partition})::text as r`;
    expect(exists?.r).toBeNull();
    expect(await ids("tool_call_logs", short.id)).toEqual([shortRecent]);
    expect(await ids("tool_call_logs", long.id)).toEqual([longMid]);
    expect(await ids("client_sessions", short.id)).toEqual([liveOld, endedRecent].sort());
    expect(await ids("client_sessions", long.id)).toEqual([longEnded]);
    const events = await tdb.db.select().from(schema.serverEvents).where(eq(schema.serverEvents.projectId, short.id));
    expect(events.map((e) => e.message)).toEqual(["new"]);
    // The long-retention project's rows of the four tiers are kept.
    const tiers = await tdb.sql<{ project_id: string; n: number }[]>`select project_id, count(*)::int as n from (
      select project_id from tool_call_rollups union all select project_id from tool_call_rollups_quarterly
      union all select project_id from tool_call_rollups_hourly union all select project_id from tool_call_rollups_daily) r group by 1`;
    expect(tiers).toEqual([{ project_id: long.id, n: 4 }]);
  });

  it("keeps log partitions created ahead", async () => {
    const ahead = new Date(Date.now() + 6 * DAY).toISOString().slice(0, 10).replaceAll("-", "");
    await tdb.sql.unsafe(`drop table if exists tool_call_logs_p${ahead}`);
    await purgeExpiredLogs(tdb.db);
    const [row] = await tdb.db.execute<{ r: string | null }>(sql`select to_regclass(${`tool_call_logs_p${ahead}`})::text as r`);
    expect(row?.r).toBe(`tool_call_logs_p${ahead}`);
  });
});
