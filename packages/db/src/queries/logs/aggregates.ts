/**
 * Facet counts, histogram and metrics for an explorer query. A query made only of facets the
 * rollups keep and duration bounds on their bucket edges (`isTierQuery`) is answered from the
 * rollup tiers (`rollupSource`: daily, hourly, quarter-hour and per-minute counts; ranges are
 * read to the minute and percentiles come from the duration buckets: approximate); anything else
 * is counted on `tool_call_logs` within the time range. Key and session facets exist only on the log table and are counted over the latest
 * `FACET_SAMPLE` matching calls.
 */
import { sql, type SQL } from "drizzle-orm";
import { DURATION_BUCKETS_MS, type LogQueryNode } from "@switchyard/shared";
import type { Executor } from "../../client";
import { FAILED_STATUSES, iso, logsWhere, tenantProjects, type LogRange, type LogTenant } from "./filter";
import { isTierQuery } from "./rollup-query";
import { NAMED_METHOD, coarsestGrainForStep, rollupSource } from "./rollup-tiers";

type Row = Record<string, unknown>;

export interface FacetValue {
  value: string;
  count: number;
}

export const ROLLUP_FACETS = ["status", "server", "tool", "client", "method"] as const;
export const LOG_FACETS = [...ROLLUP_FACETS, "key", "session"] as const;
export type LogFacet = (typeof LOG_FACETS)[number];

export interface LogFacets {
  facets: Record<LogFacet, FacetValue[]>;
  /** True when counts came from the rollups (to the minute). */
  fromRollups: boolean;
  /** Key and session counts cover at most this many of the latest matching calls. */
  sampleSize: number;
}

/** Calls sampled (newest first) for the key and session facets. */
export const FACET_SAMPLE = 20_000;
const TOP = 10;

const ROLLUP_EXPR: Record<(typeof ROLLUP_FACETS)[number], string> = {
  status: "l.status::text",
  server: "l.server_name",
  tool: "l.tool_name",
  client: "l.client_type::text",
  method: "l.method",
};
const LOG_EXPR: Record<LogFacet, string> = { ...ROLLUP_EXPR, key: "l.api_key_id::text", session: "l.session_id::text" };

// The coarse tiers fold the tool names of methods other than tools/call and prompts/get (resource
// URIs, migration 0015_rollup_tool_key): from the rollups, the tool facet lists tools and prompts
// only, and the histogram stacks those other calls per method, e.g. "(resources/read)".
const TIER_FACET_EXPR: Record<(typeof ROLLUP_FACETS)[number], SQL> = {
  ...(Object.fromEntries(Object.entries(ROLLUP_EXPR).map(([f, e]) => [f, sql.raw(e)])) as Record<(typeof ROLLUP_FACETS)[number], SQL>),
  tool: sql`case when ${NAMED_METHOD} then l.tool_name end`,
};
const TIER_GROUP_EXPR: Record<(typeof ROLLUP_FACETS)[number], SQL> = {
  ...TIER_FACET_EXPR,
  tool: sql`case when ${NAMED_METHOD} then l.tool_name else '(' || l.method || ')' end`,
};

const FAILED = sql.raw(`l.status in (${FAILED_STATUSES.map((s) => `'${s}'`).join(", ")})`);

function facetRows(rows: Row[]): Record<string, FacetValue[]> {
  const out: Record<string, FacetValue[]> = {};
  for (const r of rows) (out[r.facet as string] ??= []).push({ value: r.value as string, count: Number(r.count) });
  return out;
}

/**
 * The top values of each facet from one pass over `source` (hash grouping sets, one set per
 * facet); `count` is the aggregate counting calls (`sum(l.count)` on rollups).
 */
function facetCounts(source: SQL, facets: readonly LogFacet[], count: string, exprOf: (f: LogFacet) => SQL = (f) => sql.raw(LOG_EXPR[f])): SQL {
  const exprs = facets.map(exprOf);
  const which = sql.join(facets.map((f, i) => sql`when grouping(${exprs[i]}) = 0 then ${f}::text`), sql` `);
  const value = sql.join(facets.map((_, i) => sql`when grouping(${exprs[i]}) = 0 then ${exprs[i]}`), sql` `);
  const sets = sql.join(exprs.map((e) => sql`(${e})`), sql`, `);
  return sql`select facet, value, count from (
      select g.*, row_number() over (partition by facet order by count desc, value) as rank from (
        select case ${which} end as facet, case ${value} end as value, ${sql.raw(count)} as count
        from ${source} l group by grouping sets (${sets})) g
      where value is not null) r
    where rank <= ${TOP}
    order by facet, count desc, value`;
}

/** Top values of every facet with their counts under the query. */
export async function getLogFacets(db: Executor, tenant: LogTenant, range: LogRange, query: LogQueryNode | null): Promise<LogFacets> {
  const fromRollups = isTierQuery(query);
  const main = fromRollups
    ? facetCounts(rollupSource(tenant, range, query), ROLLUP_FACETS, "sum(l.count)::float8", (f) => TIER_FACET_EXPR[f as (typeof ROLLUP_FACETS)[number]])
    : facetCounts(sql`(select l.status, l.server_name, l.tool_name, l.client_type, l.method from tool_call_logs l where ${logsWhere(tenant, range, query)})`, ROLLUP_FACETS, "count(*)::float8");
  const sample = facetCounts(
    sql`(select l.api_key_id, l.session_id from tool_call_logs l where ${logsWhere(tenant, range, query)} order by l.started_at desc limit ${FACET_SAMPLE})`,
    ["key", "session"],
    "count(*)::float8",
  );
  const [mainRows, sampleRows] = await Promise.all([db.execute<Row>(main), db.execute<Row>(sample)]);
  const byFacet = { ...facetRows(mainRows), ...facetRows(sampleRows) };
  const keyIds = (byFacet.key ?? []).map((k) => k.value);
  const names = keyIds.length
    ? new Map((await db.execute<Row>(sql`select id::text as id, name from api_keys where project_id = any(${tenantProjects(tenant)}) and id::text in (${sql.join(keyIds.map((id) => sql`${id}`), sql`, `)})`)).map((r) => [r.id as string, r.name as string]))
    : new Map<string, string>();
  const facets = Object.fromEntries(LOG_FACETS.map((f) => [f, byFacet[f] ?? []])) as Record<LogFacet, FacetValue[]>;
  // Keys are filtered by name in the query language, so the facet shows (and counts by) names.
  facets.key = facets.key.map((k) => ({ value: names.get(k.value) ?? k.value, count: k.count }));
  return { facets, fromRollups, sampleSize: FACET_SAMPLE };
}

const STEPS_S = [1, 5, 10, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400];
const MAX_BUCKETS = 120;

/** The histogram's bucket width for a range: the smallest step giving at most 120 buckets. */
export function histogramStepSeconds(range: LogRange): number {
  const seconds = (range.to.getTime() - range.from.getTime()) / 1000;
  return STEPS_S.find((s) => seconds / s <= MAX_BUCKETS) ?? 86400;
}

export interface LogHistogram {
  stepSeconds: number;
  /** Facet the bars are stacked by. */
  groupBy: LogFacet;
  /** Stack names, largest first (top N plus "other" when there were more). */
  groups: string[];
  buckets: { at: Date; counts: Record<string, number> }[];
  fromRollups: boolean;
}

/** Calls per time bucket stacked by `groupBy` (status by default), top `top` groups plus "other". */
export async function getLogHistogram(
  db: Executor,
  tenant: LogTenant,
  range: LogRange,
  query: LogQueryNode | null,
  opts: { groupBy?: LogFacet; top?: number } = {},
): Promise<LogHistogram> {
  const groupBy = opts.groupBy ?? "status";
  const top = Math.min(Math.max(opts.top ?? 5, 1), 10);
  const step = histogramStepSeconds(range);
  const grain = coarsestGrainForStep(step);
  const tierGroup = TIER_GROUP_EXPR[groupBy as (typeof ROLLUP_FACETS)[number]] as SQL | undefined;
  const fromRollups = isTierQuery(query) && grain !== null && tierGroup !== undefined;
  const origin = new Date(0);
  // Tiers no coarser than the step, so every rollup bucket falls inside one bar.
  const source = fromRollups && grain && tierGroup
    ? sql`select date_bin(${`${step} seconds`}::interval, l.bucket, ${iso(origin)}) as at, ${tierGroup} as grp, sum(l.count)::float8 as n
        from ${rollupSource(tenant, range, query, grain)} l group by 1, 2`
    : sql`select date_bin(${`${step} seconds`}::interval, l.started_at, ${iso(origin)}) as at, coalesce(${sql.raw(LOG_EXPR[groupBy])}, '(none)') as grp, count(*)::float8 as n
        from tool_call_logs l where ${logsWhere(tenant, range, query)} group by 1, 2`;
  const rows = await db.execute<Row>(sql`with b as materialized (${source}),
      ranked as (select grp, row_number() over (order by sum(n) desc) as rank from b group by grp)
    select b.at, case when r.rank <= ${top} then b.grp else 'other' end as grp, sum(b.n)::float8 as n
    from b join ranked r using (grp) group by 1, 2 order by 1`);
  const totals = new Map<string, number>();
  const buckets = new Map<number, Record<string, number>>();
  for (const r of rows) {
    const at = new Date(r.at as string).getTime();
    const grp = r.grp as string;
    const n = Number(r.n);
    totals.set(grp, (totals.get(grp) ?? 0) + n);
    const counts = buckets.get(at) ?? {};
    counts[grp] = n;
    buckets.set(at, counts);
  }
  const groups = [...totals].sort((a, b) => (a[0] === "other" ? 1 : b[0] === "other" ? -1 : b[1] - a[1])).map(([g]) => g);
  // Every bucket of the range is present (empty ones too) so the chart's time axis is linear.
  const all: LogHistogram["buckets"] = [];
  const first = Math.floor(range.from.getTime() / (step * 1000)) * step * 1000;
  for (let at = first; at < range.to.getTime(); at += step * 1000) all.push({ at: new Date(at), counts: buckets.get(at) ?? {} });
  return { stepSeconds: step, groupBy, groups, buckets: all, fromRollups };
}

export interface LogMetrics {
  count: number;
  failed: number;
  errorRate: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Percentiles are bucket upper bounds from the rollups rather than exact. */
  approximate: boolean;
}

/** The percentile's bucket upper bound from a rollup duration histogram (last bucket: its lower bound). */
export function percentileFromBuckets(buckets: number[], p: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i] ?? 0;
    if (seen >= rank) return DURATION_BUCKETS_MS[i] ?? DURATION_BUCKETS_MS[DURATION_BUCKETS_MS.length - 1] ?? null;
  }
  return null;
}

/** Count, failures, error rate and duration percentiles under the query. */
export async function getLogMetrics(db: Executor, tenant: LogTenant, range: LogRange, query: LogQueryNode | null): Promise<LogMetrics> {
  if (isTierQuery(query)) {
    const sums = sql.join(
      Array.from({ length: DURATION_BUCKETS_MS.length + 1 }, (_, i) => sql.raw(`coalesce(sum(l.duration_buckets[${i + 1}]), 0)::float8 as b${i}`)),
      sql`, `,
    );
    const [r] = await db.execute<Row>(sql`select coalesce(sum(l.count), 0)::float8 as count, coalesce(sum(l.count) filter (where ${FAILED}), 0)::float8 as failed, ${sums}
      from ${rollupSource(tenant, range, query)} l`);
    const buckets = Array.from({ length: DURATION_BUCKETS_MS.length + 1 }, (_, i) => Number(r?.[`b${i}`] ?? 0));
    const count = Number(r?.count ?? 0);
    const failed = Number(r?.failed ?? 0);
    return {
      count,
      failed,
      errorRate: count ? failed / count : 0,
      p50: percentileFromBuckets(buckets, 0.5),
      p95: percentileFromBuckets(buckets, 0.95),
      p99: percentileFromBuckets(buckets, 0.99),
      approximate: true,
    };
  }
  const [r] = await db.execute<Row>(sql`select count(*)::float8 as count, (count(*) filter (where ${FAILED}))::float8 as failed,
      percentile_disc(array[0.5, 0.95, 0.99]) within group (order by l.duration_ms) as p
    from tool_call_logs l where ${logsWhere(tenant, range, query)}`);
  const count = Number(r?.count ?? 0);
  const failed = Number(r?.failed ?? 0);
  const p = parsePgIntArray(r?.p);
  return { count, failed, errorRate: count ? failed / count : 0, p50: p[0] ?? null, p95: p[1] ?? null, p99: p[2] ?? null, approximate: false };
}

function parsePgIntArray(v: unknown): number[] {
  if (Array.isArray(v)) return v.map(Number);
  if (typeof v === "string") return v.replace(/[{}]/g, "").split(",").filter(Boolean).map(Number);
  return [];
}
