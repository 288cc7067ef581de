/**
 * One batch = one SQL statement, hence one implicit transaction and one round trip:
 *  - tool_call_logs rows from a JSON array (jsonb_to_recordset: measured faster than multi-row
 *    VALUES and than COPY through a staging table, and its text never changes so it is prepared once),
 *    `ON CONFLICT DO NOTHING` so a retried batch never duplicates a row;
 *  - tool_call_rollups aggregated from the rows actually inserted (RETURNING), so a retry never
 *    counts a row twice;
 *  - client_sessions and rate_limited_calls upserts with additive counters.
 * Upserts are ordered by key so concurrent gateways lock rows in the same order.
 *
 * Every column list and record type comes from the drizzle tables, and the rows handed in are typed
 * by them (`ColumnsOf`): a column added, renamed or dropped in the schema fails typecheck here.
 */
import { getTableColumns, getTableName, type Column, type Table } from "drizzle-orm";
import { DURATION_BUCKETS_MS } from "@switchyard/shared";
import type { DbHandle } from "../client";
import {
  clientSessions,
  rateLimitedCalls,
  toolCallLogs,
  toolCallRollups,
  toolCallRollupsDaily,
  toolCallRollupsHourly,
  toolCallRollupsQuarterly,
} from "../schema";

/** The database names of a table's columns. */
export type ColumnName<T extends Table> = { [K in keyof T["_"]["columns"]]: T["_"]["columns"][K]["_"]["name"] }[keyof T["_"]["columns"]];

/** `Row` itself when its keys are exactly the column names of `T`; a type error otherwise. */
export type ColumnsOf<
  T extends Table,
  Row extends { [K in ColumnName<T>]: unknown } & { [K in Exclude<keyof Row, ColumnName<T>>]: never },
> = Row;

/** `name type, …` of every column: the record definition of jsonb_to_recordset. */
export function recordDefinition(table: Table): string {
  return Object.values<Column>(getTableColumns(table))
    .map((c) => `${c.name} ${c.getSQLType()}`)
    .join(", ");
}

/** Every column name of the table, in schema order. */
export function columnNames(table: Table): string[] {
  return Object.values<Column>(getTableColumns(table)).map((c) => c.name);
}

const list = (cols: readonly Column[]) => cols.map((c) => c.name).join(", ");

const LOG_COLUMNS = columnNames(toolCallLogs).join(", ");
const SESSION_COLUMNS = columnNames(clientSessions).join(", ");
const RATE_COLUMNS = columnNames(rateLimitedCalls).join(", ");

const r = toolCallRollups;
const ROLLUP_KEY = list([r.projectId, r.bucket, r.serverName, r.method, r.toolName, r.status, r.clientType]);
/** What the rollups need of an inserted row (the bucket comes from `started_at`). */
const l = toolCallLogs;
const RETURNED = list([l.projectId, l.startedAt, l.serverName, l.method, l.toolName, l.status, l.clientType, l.durationMs]);
const s = clientSessions;
const DESCRIPTIVE = [s.clientName, s.clientVersion, s.clientType, s.protocolVersion]
  .map(({ name: c }) => `${c} = case when excluded.${s.lastActivityAt.name} >= s.${s.lastActivityAt.name} then coalesce(excluded.${c}, s.${c}) else s.${c} end`)
  .join(",\n      ");
const rl = rateLimitedCalls;
const RATE_KEY = list([rl.projectId, rl.minute, rl.apiKeyId]);

// `duration_buckets[i]` counts durations ≤ DURATION_BUCKETS_MS[i]; width_bucket's bounds are
// inclusive lower bounds, so integer durations use bound + 1. Built from constants only.
const BUCKET_BOUNDS = `'{${DURATION_BUCKETS_MS.map((b) => b + 1).join(",")}}'::int[]`;
const HISTOGRAM = `array[${Array.from({ length: DURATION_BUCKETS_MS.length + 1 }, (_, i) => `count(*) filter (where b = ${i})`).join(", ")}]::int[]`;

// Element-wise sum of the stored and the new histogram, written out element by element: an
// `array(select … unnest … with ordinality)` subquery per updated row cost several µs per logged
// call (docs/BENCHMARKS.md, "Log ingestion"). A missing element counts as 0.
const HISTOGRAM_ADD = `array[${Array.from(
  { length: DURATION_BUCKETS_MS.length + 1 },
  (_, i) => `coalesce(r.${r.durationBuckets.name}[${i + 1}], 0) + coalesce(excluded.${r.durationBuckets.name}[${i + 1}], 0)`,
).join(", ")}]`;

const COUNTS = list([r.count, r.errorCount, r.durationSumMs, r.durationBuckets]);
const HISTOGRAM_SUM = `array[${Array.from({ length: DURATION_BUCKETS_MS.length + 1 }, (_, i) => `sum(${r.durationBuckets.name}[${i + 1}])`).join(", ")}]::int[]`;

/**
 * The additive upsert of one rollup tier from the batch's minute aggregates (`agg`), regrouped to
 * the tier's grain. Every tier is written here, from the rows actually inserted, rather than by
 * triggers on the minute table: the triggers rebuilt each change from the statement's old and new
 * minute rows (transition tables joined on the key) and cost 22–30 µs of Postgres CPU per logged call
 * (docs/BENCHMARKS.md, "Log ingestion"); the batch already holds the change. The coarse tiers key
 * the tool name through `switchyard_rollup_tool_key` (migration 0015_rollup_tool_key: resource URIs
 * and other non-tool names folded to ''), grouped before the upsert so one key is written once.
 */
function tierUpsert(cte: string, table: Table, bucket: string | null): string {
  const source = bucket === null
    ? `select ${ROLLUP_KEY}, ${COUNTS} from agg`
    : `select ${l.projectId.name}, ${bucket} as ${r.bucket.name}, ${list([r.serverName, r.method])},
      switchyard_rollup_tool_key(${r.method.name}, ${r.toolName.name}) as ${r.toolName.name}, ${list([r.status, r.clientType])},
      sum(${r.count.name})::int, sum(${r.errorCount.name})::int, sum(${r.durationSumMs.name})::bigint, ${HISTOGRAM_SUM}
    from agg group by 1, 2, 3, 4, 5, 6, 7`;
  return `${cte} as (
  insert into ${getTableName(table)} as r (${ROLLUP_KEY}, ${COUNTS})
  ${source}
  order by ${ROLLUP_KEY}
  on conflict (${ROLLUP_KEY}) do update set
    ${r.count.name} = r.${r.count.name} + excluded.${r.count.name},
    ${r.errorCount.name} = r.${r.errorCount.name} + excluded.${r.errorCount.name},
    ${r.durationSumMs.name} = r.${r.durationSumMs.name} + excluded.${r.durationSumMs.name},
    ${r.durationBuckets.name} = ${HISTOGRAM_ADD}
  returning 1`;
}

// The grains of docs/EXPLORER.md, "Rollup tiers" (the explorer's rollupSpans reads them so).
const ROLLUP_UPSERTS = [
  tierUpsert("minutes", toolCallRollups, null),
  tierUpsert("quarters", toolCallRollupsQuarterly, `date_bin('15 minutes', ${r.bucket.name}, '1970-01-01 00:00:00+00')`),
  tierUpsert("hours", toolCallRollupsHourly, `date_trunc('hour', ${r.bucket.name}, 'UTC')`),
  tierUpsert("days", toolCallRollupsDaily, `date_trunc('day', ${r.bucket.name}, 'UTC')`),
].join("\n), ");

export const INGEST_SQL = `
with ins as (
  insert into ${getTableName(toolCallLogs)} (${LOG_COLUMNS})
  select ${LOG_COLUMNS} from jsonb_to_recordset($1::text::jsonb) as t(${recordDefinition(toolCallLogs)})
  on conflict do nothing
  returning ${RETURNED}
), agg as (
  select ${l.projectId.name}, date_trunc('minute', ${l.startedAt.name}, 'UTC') as ${r.bucket.name}, ${list([l.serverName, l.method, l.toolName, l.status, l.clientType])},
    count(*)::int as ${r.count.name},
    (count(*) filter (where ${l.status.name} <> 'success'))::int as ${r.errorCount.name},
    sum(${l.durationMs.name})::bigint as ${r.durationSumMs.name},
    ${HISTOGRAM} as ${r.durationBuckets.name}
  from (select *, width_bucket(${l.durationMs.name}, ${BUCKET_BOUNDS}) as b from ins) x
  group by ${ROLLUP_KEY}
), ${ROLLUP_UPSERTS}
), sessions as (
  insert into ${getTableName(clientSessions)} as s (${SESSION_COLUMNS})
  select ${SESSION_COLUMNS} from jsonb_to_recordset($2::text::jsonb) as t(${recordDefinition(clientSessions)}) order by ${s.id.name}
  on conflict (${s.id.name}) do update set
      ${DESCRIPTIVE},
      ${s.lastActivityAt.name} = greatest(s.${s.lastActivityAt.name}, excluded.${s.lastActivityAt.name}),
      ${s.endedAt.name} = coalesce(s.${s.endedAt.name}, excluded.${s.endedAt.name}),
      ${s.endReason.name} = coalesce(s.${s.endReason.name}, excluded.${s.endReason.name}),
      ${s.callsTotal.name} = s.${s.callsTotal.name} + excluded.${s.callsTotal.name},
      ${s.callsFailed.name} = s.${s.callsFailed.name} + excluded.${s.callsFailed.name}
  returning 1
), rates as (
  insert into ${getTableName(rateLimitedCalls)} as rl (${RATE_COLUMNS})
  select ${RATE_COLUMNS}
  from jsonb_to_recordset($3::text::jsonb) as t(${recordDefinition(rateLimitedCalls)})
  order by ${RATE_KEY}
  on conflict (${RATE_KEY}) do update set ${rl.count.name} = rl.${rl.count.name} + excluded.${rl.count.name}
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
