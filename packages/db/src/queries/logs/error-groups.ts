/**
 * Failed calls grouped by server + tool + normalized error message: numbers, hex ids, UUIDs,
 * quoted strings, IP addresses and paths are masked so "Issue #17 not found" and "Issue #9 not
 * found" are one group (Sentry's issues, for tool calls).
 */
import { sql } from "drizzle-orm";
import type { LogQueryNode } from "@switchyard/shared";
import type { Executor } from "../../client";
import { FAILED_STATUSES, iso, logsWhere, type LogRange, type LogTenant } from "./filter";

export interface ErrorGroup {
  serverName: string;
  toolName: string;
  /** The message with variable parts masked (`<n>`, `<id>`, `<path>`, …). */
  pattern: string;
  /** One real message of the group. */
  example: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Calls per slice of the range (`SPARK_SLICES` slices, oldest first). */
  sparkline: number[];
}

const SPARK_SLICES = 24;

/** Regular expressions (Postgres ARE) masking the variable parts of a message, applied in order. */
const MASKS: readonly (readonly [string, string])[] = [
  ["[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "<uuid>"],
  ["(/[A-Za-z0-9._~-]+)+/?", "<path>"],
  ["[0-9]{1,3}(\\.[0-9]{1,3}){3}(:[0-9]+)?", "<ip>"],
  ["'[^']*'|\"[^\"]*\"", "<str>"],
  ["\\m[0-9a-f]*[0-9][0-9a-f]*[a-f][0-9a-f]*\\M|\\m[0-9a-f]*[a-f][0-9a-f]*[0-9][0-9a-f]*\\M", "<id>"],
  ["[0-9]+", "<n>"],
];

function maskSql(column: string): string {
  return MASKS.reduce((expr, [re, to]) => `regexp_replace(${expr}, '${re.replace(/'/g, "''")}', '${to}', 'g')`, `coalesce(${column}, '')`);
}

const PATTERN = sql.raw(`left(${maskSql("l.error_message")}, 300)`);
const FAILED = sql.raw(`l.status in (${FAILED_STATUSES.map((s) => `'${s}'`).join(", ")})`);

/** The top `limit` error groups of the failed calls matching the query, most frequent first. */
export async function listErrorGroups(
  db: Executor,
  tenant: LogTenant,
  range: LogRange,
  query: LogQueryNode | null,
  limit = 50,
): Promise<ErrorGroup[]> {
  const slice = (range.to.getTime() - range.from.getTime()) / SPARK_SLICES;
  const rows = await db.execute<Record<string, unknown>>(sql`with f as materialized (
      select l.server_name, l.tool_name, l.error_message, l.started_at, ${PATTERN} as pattern,
        least(${SPARK_SLICES - 1}, floor(extract(epoch from (l.started_at - ${iso(range.from)})) * 1000 / ${slice})::int) as s
      from tool_call_logs l where ${logsWhere(tenant, range, query)} and ${FAILED}),
    per_slice as (
      select server_name, tool_name, pattern, s, count(*)::int as n, min(error_message) as example,
        min(started_at) as first_seen, max(started_at) as last_seen
      from f group by 1, 2, 3, 4)
    select server_name, tool_name, pattern, min(example) as example, sum(n)::int as count,
      min(first_seen) as first_seen, max(last_seen) as last_seen, array_agg(s order by s) as slices, array_agg(n order by s) as counts
    from per_slice group by 1, 2, 3 order by sum(n) desc, max(last_seen) desc limit ${limit}`);
  return rows.map((r) => {
    const sparkline = new Array<number>(SPARK_SLICES).fill(0);
    const counts = parseIntArray(r.counts);
    parseIntArray(r.slices).forEach((s, i) => (sparkline[s] = counts[i] ?? 0));
    return {
      serverName: r.server_name as string,
      toolName: r.tool_name as string,
      pattern: r.pattern as string,
      example: (r.example as string | null) ?? "",
      count: r.count as number,
      firstSeen: new Date(r.first_seen as string),
      lastSeen: new Date(r.last_seen as string),
      sparkline,
    };
  });
}

function parseIntArray(v: unknown): number[] {
  if (Array.isArray(v)) return v.map(Number);
  if (typeof v === "string") return v.replace(/[{}]/g, "").split(",").filter(Boolean).map(Number);
  return [];
}
