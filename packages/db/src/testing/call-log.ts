/** Records and checks shared by the call-log tests and the ingest benchmark. */
import { DURATION_BUCKETS_MS, TOOL_CALL_STATUSES, uuidv7, type ClientType } from "@switchyard/shared";
import type { DbHandle } from "../client";
import type { ScrubContext, ToolCallRecord } from "../call-log";

/** Durations on and around every histogram bound. */
export const SAMPLE_DURATIONS = [0, 3, 5, 6, 10, 11, 24, 50, 99, 250, 251, 999, 1000, 2500, 4000, 10_000, 29_999, 60_000, 60_001, 120_000];
const CLIENTS: ClientType[] = ["cursor", "claude_code", "vscode"];

export const FULL_POLICY: ScrubContext = { secrets: [], rules: [], policy: "full" };

/** A realistic call: statuses, servers, tools and client types cycle with `i`; started `i * stepMs` after `base`. */
export function sampleRecord(projectId: string, i: number, base: number, stepMs = 200): ToolCallRecord {
  const status = TOOL_CALL_STATUSES[i % TOOL_CALL_STATUSES.length] ?? "success";
  const startedAt = base + i * stepMs;
  const durationMs = SAMPLE_DURATIONS[i % SAMPLE_DURATIONS.length] ?? 0;
  const server = `srv-${i % 3}`;
  const tool = `tool_${i % 4}`;
  return {
    id: uuidv7(startedAt),
    projectId,
    serverId: null,
    serverName: server,
    sessionId: null,
    apiKeyId: null,
    userId: null,
    toolName: tool,
    exposedName: `${server}__${tool}`,
    status,
    errorCode: status === "success" ? null : -32_000 - (i % 3),
    errorMessage: status === "success" ? null : `${status} in ${tool}`,
    input: { query: `find item ${i}`, limit: 10, flags: ["a", "b"] },
    output: status === "success" ? { content: [{ type: "text", text: `result ${i}: ${"lorem ipsum ".repeat(8)}` }] } : null,
    durationMs,
    startedAt: new Date(startedAt),
    finishedAt: new Date(startedAt + durationMs),
    requestId: String(i),
    clientType: CLIENTS[i % CLIENTS.length] ?? "other",
  };
}

/** Index of the rollup histogram bucket a duration falls in. */
export function bucketIndex(durationMs: number): number {
  const i = DURATION_BUCKETS_MS.findIndex((b) => durationMs <= b);
  return i === -1 ? DURATION_BUCKETS_MS.length : i;
}

export interface RowsAndRollups {
  rows: number;
  distinctIds: number;
  rollupCount: number;
  /** Rollup keys whose count, error count or duration sum differs from the rows. */
  mismatchedGroups: number;
  /** Rows of the quarter-hour, hourly and daily tiers that differ from the minute rows summed to their grain. */
  mismatchedTierRows: number;
}

/** Compares a project's rows with its minute rollups, group by group, and the coarser tiers with the minute rollups (tool names folded as the tiers fold them). */
export async function checkRowsAndRollups(sql: DbHandle["sql"], projectId: string): Promise<RowsAndRollups> {
  const [r] = await sql<{ rows: number; ids: number }[]>`
    select count(*)::int as rows, count(distinct id)::int as ids from tool_call_logs where project_id = ${projectId}`;
  const [s] = await sql<{ n: number }[]>`
    select coalesce(sum(count), 0)::int as n from tool_call_rollups where project_id = ${projectId}`;
  const [m] = await sql<{ n: number }[]>`
    with l as (
      select date_trunc('minute', started_at, 'UTC') as bucket, server_name, tool_name, status, client_type,
        count(*)::int as count, (count(*) filter (where status <> 'success'))::int as error_count,
        sum(duration_ms)::bigint as duration_sum_ms
      from tool_call_logs where project_id = ${projectId} group by 1, 2, 3, 4, 5),
    r as (select * from tool_call_rollups where project_id = ${projectId})
    select count(*)::int as n from l full join r using (bucket, server_name, tool_name, status, client_type)
    where l.count is distinct from r.count or l.error_count is distinct from r.error_count
       or l.duration_sum_ms is distinct from r.duration_sum_ms
       or r.count is distinct from (select sum(x) from unnest(r.duration_buckets) x)`;
  const [t] = await sql<{ n: number }[]>`
    with minute as (select * from tool_call_rollups where project_id = ${projectId}),
    expected as (
      select 'quarter' as grain, project_id, date_bin('15 minutes', bucket, 'epoch') as bucket, server_name, method, switchyard_rollup_tool_key(method, tool_name) as tool_name, status, client_type,
        sum(count)::int as count, sum(error_count)::int as error_count, sum(duration_sum_ms)::bigint as duration_sum_ms,
        switchyard_sum_int_arrays(duration_buckets) as duration_buckets
      from minute group by 2, 3, 4, 5, 6, 7, 8
      union all
      select 'hour', project_id, date_trunc('hour', bucket, 'UTC'), server_name, method, switchyard_rollup_tool_key(method, tool_name), status, client_type,
        sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
      from minute group by 2, 3, 4, 5, 6, 7, 8
      union all
      select 'day', project_id, date_trunc('day', bucket, 'UTC'), server_name, method, switchyard_rollup_tool_key(method, tool_name), status, client_type,
        sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
      from minute group by 2, 3, 4, 5, 6, 7, 8),
    actual as (
      select 'quarter' as grain, project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets
      from tool_call_rollups_quarterly where project_id = ${projectId}
      union all
      select 'hour', project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets
      from tool_call_rollups_hourly where project_id = ${projectId}
      union all
      select 'day', project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets
      from tool_call_rollups_daily where project_id = ${projectId})
    select count(*)::int as n from ((select * from expected except all select * from actual) union all (select * from actual except all select * from expected)) d`;
  return { rows: r?.rows ?? -1, distinctIds: r?.ids ?? -1, rollupCount: s?.n ?? -1, mismatchedGroups: m?.n ?? -1, mismatchedTierRows: t?.n ?? -1 };
}
