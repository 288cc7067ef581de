/**
 * Which rollup tier answers which part of a time range (docs/EXPLORER.md, "Rollup tiers"): whole
 * UTC days inside the range from `tool_call_rollups_daily`, whole hours around them from
 * `tool_call_rollups_hourly`, whole quarter hours around those from `tool_call_rollups_quarterly`,
 * and the minutes at the edges from `tool_call_rollups`. The minute
 * edges keep the minute table's rounding: the range is read from the minute `from` falls in up to
 * (not including) `to`, so a partial minute at either end counts whole.
 */
import { sql, type SQL } from "drizzle-orm";
import type { LogQueryNode } from "@switchyard/shared";
import { compileFilter, iso, tenantProjects, type LogRange, type LogTenant } from "./filter";

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

/**
 * A subquery (alias it `l`) of the rollup rows covering `range` under `query` (which must be a
 * rollup query, see `isRollupQuery`), one `union all` branch per span, each tenant-scoped.
 */
export function rollupSource(tenant: LogTenant, range: LogRange, query: LogQueryNode | null, coarsest: RollupGrain = "day"): SQL {
  const projects = tenantProjects(tenant);
  const filter = query ? sql` and ${compileFilter(query, "rollups", projects)}` : sql``;
  const branches = rollupSpans(range, coarsest).map(
    (s) => sql`select l.bucket, l.status, l.server_name, l.tool_name, l.client_type, l.method, l.count, l.duration_buckets
      from ${sql.raw(TABLE[s.grain])} l
      where l.project_id = any(${projects}) and l.bucket >= ${iso(s.from)} and l.bucket < ${iso(s.to)}${filter}`,
  );
  return sql`(${sql.join(branches, sql` union all `)})`;
}
