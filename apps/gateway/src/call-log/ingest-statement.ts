/**
 * One batch = one SQL statement, hence one implicit transaction and one round trip:
 *  - tool_call_logs rows from a JSON array (jsonb_to_recordset: measured faster than multi-row
 *    VALUES and than COPY through a staging table, and its text never changes so it is prepared once),
 *    `ON CONFLICT DO NOTHING` so a retried batch never duplicates a row;
 *  - tool_call_rollups aggregated from the rows actually inserted (RETURNING), so a retry never
 *    counts a row twice;
 *  - client_sessions and rate_limited_calls upserts with additive counters.
 * Upserts are ordered by key so concurrent gateways lock rows in the same order.
 */
import { DURATION_BUCKETS_MS } from "@switchyard/shared";
import type { DbHandle } from "@switchyard/db";

const CALL_COLUMNS = [
  ["id", "uuid"],
  ["project_id", "uuid"],
  ["server_id", "uuid"],
  ["server_name", "text"],
  ["session_id", "uuid"],
  ["api_key_id", "uuid"],
  ["user_id", "uuid"],
  ["method", "text"],
  ["tool_name", "text"],
  ["exposed_name", "text"],
  ["status", "tool_call_status"],
  ["error_code", "integer"],
  ["error_message", "text"],
  ["input", "jsonb"],
  ["output", "jsonb"],
  ["input_truncated", "boolean"],
  ["output_truncated", "boolean"],
  ["input_size", "integer"],
  ["output_size", "integer"],
  ["duration_ms", "integer"],
  ["started_at", "timestamptz"],
  ["finished_at", "timestamptz"],
  ["request_id", "text"],
  ["client_type", "client_type"],
  ["relay_count", "integer"],
  ["relay_ms", "integer"],
] as const;

const SESSION_COLUMNS = [
  ["id", "uuid"],
  ["project_id", "uuid"],
  ["server_id", "uuid"],
  ["api_key_id", "uuid"],
  ["user_id", "uuid"],
  ["transport", "client_transport"],
  ["client_name", "text"],
  ["client_version", "text"],
  ["client_type", "client_type"],
  ["protocol_version", "text"],
  ["user_agent", "text"],
  ["ip", "text"],
  ["gateway_instance", "text"],
  ["started_at", "timestamptz"],
  ["last_activity_at", "timestamptz"],
  ["ended_at", "timestamptz"],
  ["end_reason", "text"],
  ["calls_total", "integer"],
  ["calls_failed", "integer"],
] as const;

const names = (cols: readonly (readonly [string, string])[]) => cols.map(([n]) => n).join(", ");
const defs = (cols: readonly (readonly [string, string])[]) => cols.map(([n, t]) => `${n} ${t}`).join(", ");

// `duration_buckets[i]` counts durations ≤ DURATION_BUCKETS_MS[i]; width_bucket's bounds are
// inclusive lower bounds, so integer durations use bound + 1. Built from constants only.
const BUCKET_BOUNDS = `'{${DURATION_BUCKETS_MS.map((b) => b + 1).join(",")}}'::int[]`;
const HISTOGRAM = `array[${Array.from({ length: DURATION_BUCKETS_MS.length + 1 }, (_, i) => `count(*) filter (where b = ${i})`).join(", ")}]::int[]`;
const ROLLUP_KEY = "project_id, bucket, server_name, method, tool_name, status, client_type";
const DESCRIPTIVE = ["client_name", "client_version", "client_type", "protocol_version"]
  .map((c) => `${c} = case when excluded.last_activity_at >= s.last_activity_at then coalesce(excluded.${c}, s.${c}) else s.${c} end`)
  .join(",\n      ");

export const INGEST_SQL = `
with ins as (
  insert into tool_call_logs (${names(CALL_COLUMNS)})
  select ${names(CALL_COLUMNS)} from jsonb_to_recordset($1::text::jsonb) as t(${defs(CALL_COLUMNS)})
  on conflict do nothing
  returning project_id, started_at, server_name, method, tool_name, status, client_type, duration_ms
), agg as (
  select project_id, date_trunc('minute', started_at, 'UTC') as bucket, server_name, method, tool_name, status, client_type,
    count(*)::int as count,
    (count(*) filter (where status <> 'success'))::int as error_count,
    sum(duration_ms)::bigint as duration_sum_ms,
    ${HISTOGRAM} as duration_buckets
  from (select *, width_bucket(duration_ms, ${BUCKET_BOUNDS}) as b from ins) x
  group by ${ROLLUP_KEY}
), rollups as (
  insert into tool_call_rollups as r (${ROLLUP_KEY}, count, error_count, duration_sum_ms, duration_buckets)
  select ${ROLLUP_KEY}, count, error_count, duration_sum_ms, duration_buckets from agg order by ${ROLLUP_KEY}
  on conflict (${ROLLUP_KEY}) do update set
    count = r.count + excluded.count,
    error_count = r.error_count + excluded.error_count,
    duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
    duration_buckets = array(
      select coalesce(x, 0) + coalesce(y, 0)
      from unnest(r.duration_buckets, excluded.duration_buckets) with ordinality as u(x, y, i) order by i)
  returning 1
), sessions as (
  insert into client_sessions as s (${names(SESSION_COLUMNS)})
  select ${names(SESSION_COLUMNS)} from jsonb_to_recordset($2::text::jsonb) as t(${defs(SESSION_COLUMNS)}) order by id
  on conflict (id) do update set
      ${DESCRIPTIVE},
      last_activity_at = greatest(s.last_activity_at, excluded.last_activity_at),
      ended_at = coalesce(s.ended_at, excluded.ended_at),
      end_reason = coalesce(s.end_reason, excluded.end_reason),
      calls_total = s.calls_total + excluded.calls_total,
      calls_failed = s.calls_failed + excluded.calls_failed
  returning 1
), rates as (
  insert into rate_limited_calls as rl (project_id, api_key_id, minute, count)
  select project_id, api_key_id, minute, count
  from jsonb_to_recordset($3::text::jsonb) as t(project_id uuid, api_key_id uuid, minute timestamptz, count integer)
  order by project_id, minute, api_key_id
  on conflict (project_id, minute, api_key_id) do update set count = rl.count + excluded.count
  returning 1
)
select (select count(*) from ins)::int as inserted`;

/** A batch ready for the statement: JSON array texts of call rows, session rows and rate rows. */
export interface IngestBatch {
  callsJson: string;
  sessionsJson: string;
  ratesJson: string;
}

/** Runs one batch; resolves with the number of rows newly inserted (duplicates of a retry excluded). */
export async function runIngest(sql: DbHandle["sql"], batch: IngestBatch): Promise<number> {
  const rows = await sql.unsafe<{ inserted: number }[]>(INGEST_SQL, [batch.callsJson, batch.sessionsJson, batch.ratesJson], {
    prepare: true,
  });
  return rows[0]?.inserted ?? 0;
}

/**
 * Data errors (SQLSTATE classes 22 and 23) come from a row the database refuses: the batch is split
 * to find it. Anything else — connection refused or lost, shutdown, deadlock, missing table — means
 * the database cannot take the batch now, and it is kept for later.
 */
export function isRowError(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === "PostgresError" && typeof code === "string" && /^2[23]/.test(code);
}
