/**
 * Which rollup tier answers which part of a time range (docs/EXPLORER.md, "Rollup tiers"): whole
 * UTC days inside the range from `tool_call_rollups_daily`, whole hours around them from
 * `tool_call_rollups_hourly`, whole quarter hours around those from `tool_call_rollups_quarterly`,
 * and the minutes at the edges from `tool_call_rollups`. The minute
 * edges keep the minute table's rounding: the range is read from the minute `from` falls in up to
 * (not including) `to`, so a partial minute at either end counts whole.
 */
import { sql, type SQL } from "drizzle-orm";
import { DURATION_BUCKETS_MS, type LogQueryNode } from "@switchyard/shared";
import { compileFilter, iso, tenantProjects, type LogRange, type LogTenant } from "./filter";
import { DURATION_BUCKET_SPANS, ROLLUP_NAMED_METHODS, mentionsTool, rollupResiduals, type Residual } from "./rollup-query";

export const ROLLUP_GRAINS = ["minute", "quarter", "hour", "day"] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

// Each grain divides the next, so a span of one tier splits exactly into the finer ones.
const GRAIN_MS: Record<RollupGrain, number> = { minute: 60_000, quarter: 900_000, hour: 3_600_000, day: 86_400_000 };
const TABLE: Record<RollupGrain, string> = {
  minute: "tool_call_rollups",
  quarter: "tool_call_rollups_quarterly",
  hour: "tool_call_rollups_hourly",
  day: "tool_call_rollups_daily",
};

export interface RollupSpan {
  grain: RollupGrain;
  /** Buckets `from <= bucket < to`. */
  from: Date;
  to: Date;
}

const floorTo = (t: number, ms: number) => Math.floor(t / ms) * ms;
const ceilTo = (t: number, ms: number) => Math.ceil(t / ms) * ms;

/** The spans covering `range`, each from the coarsest tier (up to `coarsest`) that holds it whole. */
export function rollupSpans(range: LogRange, coarsest: RollupGrain = "day"): RollupSpan[] {
  const split = (from: number, to: number, level: number): RollupSpan[] => {
    if (from >= to) return [];
    const grain = ROLLUP_GRAINS[level] ?? "minute";
    if (level === 0) return [{ grain, from: new Date(from), to: new Date(to) }];
    const a = ceilTo(from, GRAIN_MS[grain]);
    const b = floorTo(to, GRAIN_MS[grain]);
    if (a >= b) return split(from, to, level - 1);
    return [...split(from, a, level - 1), { grain, from: new Date(a), to: new Date(b) }, ...split(b, to, level - 1)];
  };
  const spans = split(floorTo(range.from.getTime(), GRAIN_MS.minute), range.to.getTime(), ROLLUP_GRAINS.indexOf(coarsest));
  // An empty range still needs a (matching nothing) source.
  return spans.length ? spans : [{ grain: "minute", from: range.from, to: range.from }];
}

/** The coarsest tier whose buckets each fall inside one histogram bucket of `stepSeconds`. */
export function coarsestGrainForStep(stepSeconds: number): RollupGrain | null {
  const ms = stepSeconds * 1000;
  for (const grain of [...ROLLUP_GRAINS].reverse()) if (ms % GRAIN_MS[grain] === 0) return grain;
  return null;
}

/** `l.method in ('tools/call', 'prompts/get')`, spelled as literals so the partial index on the other methods' calls is provably usable. */
const NAMED_METHODS = `(${ROLLUP_NAMED_METHODS.map((m) => `'${m}'`).join(", ")})`;
export const NAMED_METHOD = sql.raw(`l.method in ${NAMED_METHODS}`);
const FOLDED_METHOD = sql.raw(`l.method not in ${NAMED_METHODS}`);

// A call's bucket of the duration histogram, as the log writer computes it (width_bucket's
// bounds are inclusive lower bounds, so whole-millisecond durations use bound + 1).
const BUCKET_BOUNDS = `'{${DURATION_BUCKETS_MS.map((b) => b + 1).join(",")}}'::int[]`;
const ONE_HOT = sql.raw(`array[${DURATION_BUCKET_SPANS.map((_, i) => `(width_bucket(l.duration_ms, ${BUCKET_BOUNDS}) = ${i})::int`).join(", ")}]`);

/**
 * Count and duration histogram of a rollup row restricted to the calls matching `residuals` (one
 * per duration bucket), and the condition for rows with at least one such call.
 */
function maskedColumns(residuals: Residual[], projects: SQL): { count: SQL; buckets: SQL; where: SQL } {
  const conds = new Map<string, SQL>();
  const cond = (r: LogQueryNode) => {
    const key = JSON.stringify(r);
    let c = conds.get(key);
    if (!c) conds.set(key, (c = compileFilter(r, "rollups", projects)));
    return c;
  };
  const first = residuals[0];
  if (residuals.every((r) => JSON.stringify(r) === JSON.stringify(first))) {
    // No duration bound splits the buckets: whole rows match or not.
    const where = first === true ? sql`` : first === false || first === undefined ? sql` and false` : sql` and ${cond(first)}`;
    return { count: sql`l.count`, buckets: sql`l.duration_buckets`, where };
  }
  const parts = residuals.map((r, i) => {
    const b = sql.raw(`l.duration_buckets[${i + 1}]`);
    return r === true ? b : r === false ? sql`0` : sql`(case when ${cond(r)} then ${b} else 0 end)`;
  });
  const count = sql`(${sql.join(parts, sql` + `)})`;
  return { count, buckets: sql`array[${sql.join(parts, sql`, `)}]`, where: sql` and ${count} > 0` };
}

/**
 * A subquery (alias it `l`) of the rollup rows covering `range` under `query` (which the rollups
 * must answer, see `isTierQuery`), one `union all` branch per span, each tenant-scoped; `count`
 * and `duration_buckets` hold only the calls matching the query's duration bounds. The coarse
 * tiers fold the tool names of methods other than `ROLLUP_NAMED_METHODS`, so when the query
 * filters by tool, their rows of those methods are left out and those calls are read from the log
 * table instead (bounded by the coarse spans; a partial index holds exactly those calls), one row
 * per call with count 1.
 */
export function rollupSource(tenant: LogTenant, range: LogRange, query: LogQueryNode | null, coarsest: RollupGrain = "day"): SQL {
  const residuals = rollupResiduals(query);
  if (!residuals) throw new Error("the rollups cannot answer this query");
  const projects = tenantProjects(tenant);
  const { count, buckets, where } = maskedColumns(residuals, projects);
  const byTool = mentionsTool(query);
  const spans = rollupSpans(range, coarsest);
  const branches = spans.map(
    (s) => sql`select l.bucket, l.status, l.server_name, l.tool_name, l.client_type, l.method, ${count} as count, ${buckets} as duration_buckets
      from ${sql.raw(TABLE[s.grain])} l
      where l.project_id = any(${projects}) and l.bucket >= ${iso(s.from)} and l.bucket < ${iso(s.to)}${where}${byTool && s.grain !== "minute" ? sql` and ${NAMED_METHOD}` : sql``}`,
  );
  const coarse = spans.filter((s) => s.grain !== "minute");
  const from = coarse[0]?.from;
  const to = coarse[coarse.length - 1]?.to;
  if (byTool && query && from && to) {
    branches.push(sql`select l.started_at as bucket, l.status, l.server_name, l.tool_name, l.client_type, l.method, 1 as count, ${ONE_HOT} as duration_buckets
      from tool_call_logs l
      where l.project_id = any(${projects}) and l.started_at >= ${iso(from)} and l.started_at < ${iso(to)} and ${FOLDED_METHOD} and ${compileFilter(query, "logs", projects)}`);
  }
  return sql`(${sql.join(branches, sql` union all `)})`;
}
