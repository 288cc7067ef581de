import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { testAdminUrl } from "./testing";
import { runMigrations } from "./migrate";

describe("runMigrations", () => {
  const name = `sy_mig_${randomBytes(5).toString("hex")}`;
  const admin = postgres(testAdminUrl(), { max: 1, onnotice: () => undefined });
  const url = (() => {
    const u = new URL(testAdminUrl());
    u.pathname = `/${name}`;
    return u.toString();
  })();

  afterAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it("builds the whole schema on an empty database and is idempotent", async () => {
    await admin.unsafe(`create database "${name}"`);
    await runMigrations(url);
    await runMigrations(url);
    const sql = postgres(url, { max: 1, onnotice: () => undefined });
    try {
      const tables = await sql<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'public'`;
      const names = tables.map((t) => t.tablename);
      for (const t of [
        "users",
        "teams",
        "team_members",
        "team_invitations",
        "projects",
        "api_keys",
        "mcp_servers",
        "server_tools",
        "server_events",
        "client_sessions",
        "gateway_sessions",
        "tool_call_logs",
        "tool_call_rollups",
        "rate_limited_calls",
        "activities",
        "worker_runs",
        "worker_settings",
      ]) {
        expect(names).toContain(t);
      }
      const [kind] = await sql<{ relkind: string }[]>`select relkind from pg_class where relname = 'tool_call_logs'`;
      expect(kind?.relkind).toBe("p");
      const parts = await sql<{ relname: string }[]>`
        select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent where p.relname = 'tool_call_logs' order by 1`;
      // default partition + yesterday .. 7 days ahead
      expect(parts.map((p) => p.relname)).toContain("tool_call_logs_default");
      expect(parts.length).toBeGreaterThanOrEqual(9);
      const idx = await sql<{ indexname: string }[]>`select indexname from pg_indexes where tablename = 'tool_call_logs'`;
      expect(idx.map((i) => i.indexname)).toEqual(
        expect.arrayContaining([
          "tool_call_logs_project_time_idx",
          "tool_call_logs_project_status_time_idx",
          "tool_call_logs_project_tool_time_idx",
          "tool_call_logs_session_time_idx",
        ]),
      );
    } finally {
      await sql.end();
    }
  });

  it("moves rows from the default partition when a day's partition is created later", async () => {
    const sql = postgres(url, { max: 1, onnotice: () => undefined });
    try {
      const at = "2020-01-02T10:00:00Z";
      await sql`insert into tool_call_logs (id, project_id, tool_name, exposed_name, status, duration_ms, started_at, finished_at)
        values (gen_random_uuid(), gen_random_uuid(), 'echo', 'echo', 'success', 1, ${at}, ${at})`;
      const [created] = await sql<{ c: boolean }[]>`select switchyard_ensure_log_partition('2020-01-02') as c`;
      expect(created?.c).toBe(true);
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from tool_call_logs_p20200102`;
      expect(row?.n).toBe(1);
      const [dropped] = await sql<{ n: number }[]>`select switchyard_drop_log_partitions_before('2020-01-03') as n`;
      expect(dropped?.n).toBe(1);
    } finally {
      await sql.end();
    }
  });
});
