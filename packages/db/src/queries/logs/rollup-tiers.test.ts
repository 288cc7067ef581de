/**
 * The quarter-hour, hourly and daily rollup tiers on a real database: the seeder's rebuild and the log
 * writer's ingest statement keep them equal to the sum of the minute rows (rebuilds run twice, additive upserts), and
 * facets, histogram and metrics read through the tiers equal counting the log table.
 */
import { DURATION_BUCKETS_MS, parseLogQuery, uuidv7, type LogQueryNode } from "@switchyard/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareCallRow } from "../../call-log/prepare-call-row";
import { runIngest } from "../../call-log/ingest-statement";
import { rebuildLogRollups, seedProjectLogs, type SeedLogRow } from "../../seed-logs";
import { createTestDatabase, type TestDatabase } from "../../testing";
import * as q from "../index";

let t: TestDatabase;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Seeded calls end 20 min 30 s past a UTC hour, so ranges can straddle hours and days.
const END = new Date(Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 20 * 60_000 + 30_000);
const ids = { teamA: "", projectA: "", teamB: "", projectB: "" };
const A = () => ({ teamId: ids.teamA, projectId: ids.projectA });

function query(s: string): LogQueryNode | null {
  const r = parseLogQuery(s);
  if (!r.ok) throw new Error(r.error.message);
  return r.ast;
}

/**
 * Rows of every coarse tier that differ from the minute rows summed to that tier's grain, with
 * the tool names of methods other than tools/call and prompts/get folded to '' (none when they agree).
 */
async function tierMismatches(): Promise<number> {
  const [r] = await t.sql<{ n: number }[]>`
    with minute as (select project_id, bucket, server_name, method, switchyard_rollup_tool_key(method, tool_name) as tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets from tool_call_rollups),
    expected as (
      select 'quarter' as grain, project_id, date_bin('15 minutes', bucket, 'epoch') as bucket, server_name, method, tool_name, status, client_type,
        sum(count)::int as count, sum(error_count)::int as error_count, sum(duration_sum_ms)::bigint as duration_sum_ms, switchyard_sum_int_arrays(duration_buckets) as duration_buckets
      from minute group by 2, 3, 4, 5, 6, 7, 8
      union all
      select 'hour', project_id, date_trunc('hour', bucket, 'UTC') as bucket, server_name, method, tool_name, status, client_type,
        sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
      from minute group by 2, 3, 4, 5, 6, 7, 8
      union all
      select 'day', project_id, date_trunc('day', bucket, 'UTC'), server_name, method, tool_name, status, client_type,
        sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
      from minute group by 2, 3, 4, 5, 6, 7, 8),
    actual as (
      select 'quarter' as grain, project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets from tool_call_rollups_quarterly
      union all
      select 'hour', project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets from tool_call_rollups_hourly
      union all
      select 'day', project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets from tool_call_rollups_daily)
    select count(*)::int as n from ((select * from expected except all select * from actual) union all (select * from actual except all select * from expected)) d`;
  return r?.n ?? -1;
}

async function tierTotals(projectId: string): Promise<{ minute: number; quarter: number; hour: number; day: number }> {
  const [r] = await t.sql<{ minute: number; quarter: number; hour: number; day: number }[]>`select
    (select coalesce(sum(count), 0)::int from tool_call_rollups where project_id = ${projectId}) as minute,
    (select coalesce(sum(count), 0)::int from tool_call_rollups_quarterly where project_id = ${projectId}) as quarter,
    (select coalesce(sum(count), 0)::int from tool_call_rollups_hourly where project_id = ${projectId}) as hour,
    (select coalesce(sum(count), 0)::int from tool_call_rollups_daily where project_id = ${projectId}) as day`;
  if (!r) throw new Error("no totals");
  return r;
}

/** Writes calls through the log writer's ingest statement: the rows, the minute rollups and every tier. */
async function ingest(rows: SeedLogRow[]): Promise<void> {
  const calls = rows.map((r) => {
    const row = prepareCallRow(
      {
        id: r.id, projectId: r.projectId, serverId: null, serverName: r.serverName, sessionId: null, apiKeyId: null, userId: null, method: r.method,
        toolName: r.toolName, exposedName: r.toolName, status: r.status, errorCode: null, errorMessage: null, input: null, output: null,
        durationMs: r.durationMs, startedAt: r.startedAt, finishedAt: new Date(r.startedAt.getTime() + r.durationMs), requestId: null, clientType: r.clientType ?? "other",
      },
      { secrets: [], rules: [], policy: "metadata_only" },
    );
    if (!row.ok) throw new Error(row.reason);
    return row.json;
  });
  expect(await runIngest(t.sql, { callsJson: `[${calls.join(",")}]`, sessionsJson: "[]", ratesJson: "[]" })).toBe(rows.length);
}

beforeAll(async () => {
  t = await createTestDatabase();
  const a = await q.insertTeam(t.db, { name: "A", slug: "a" });
  const b = await q.insertTeam(t.db, { name: "B", slug: "b" });
  const pa = await q.insertProject(t.db, a.id, { name: "PA", slug: "pa" });
  const pb = await q.insertProject(t.db, b.id, { name: "PB", slug: "pb" });
  Object.assign(ids, { teamA: a.id, projectA: pa.id, teamB: b.id, projectB: pb.id });
  await seedProjectLogs(t.sql, { projectId: pa.id, rows: 20_000, days: 3, end: END, seed: 7, slice: 10_000 });
  await seedProjectLogs(t.sql, { projectId: pb.id, rows: 3_000, days: 3, end: END, seed: 8 });
});

afterAll(async () => {
  await t.drop();
});

describe("rollupSpans", () => {
  it("reads whole days from the daily tier, whole hours and quarter hours around them from theirs and the edge minutes from the minute one", () => {
    const spans = q.rollupSpans({ from: new Date("2026-01-01T10:20:30Z"), to: new Date("2026-01-03T05:10:00Z") });
    expect(spans.map((s) => [s.grain, s.from.toISOString(), s.to.toISOString()])).toEqual([
      ["minute", "2026-01-01T10:20:00.000Z", "2026-01-01T10:30:00.000Z"],
      ["quarter", "2026-01-01T10:30:00.000Z", "2026-01-01T11:00:00.000Z"],
      ["hour", "2026-01-01T11:00:00.000Z", "2026-01-02T00:00:00.000Z"],
      ["day", "2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z"],
      ["hour", "2026-01-03T00:00:00.000Z", "2026-01-03T05:00:00.000Z"],
      ["minute", "2026-01-03T05:00:00.000Z", "2026-01-03T05:10:00.000Z"],
    ]);
  });

  it("stays on finer tiers when the range holds no whole quarter, hour or day, or when capped", () => {
    const inQuarter = q.rollupSpans({ from: new Date("2026-01-01T10:20:30Z"), to: new Date("2026-01-01T10:29:00Z") });
    expect(inQuarter.map((s) => s.grain)).toEqual(["minute"]);
    const inHour = q.rollupSpans({ from: new Date("2026-01-01T10:20:30Z"), to: new Date("2026-01-01T10:50:00Z") });
    expect(inHour.map((s) => s.grain)).toEqual(["minute", "quarter", "minute"]);
    const capped = q.rollupSpans({ from: new Date("2026-01-01T10:20:00Z"), to: new Date("2026-01-03T05:10:00Z") }, "hour");
    expect(capped.map((s) => s.grain)).toEqual(["minute", "quarter", "hour", "minute"]);
    expect(capped[2]?.to.toISOString()).toBe("2026-01-03T05:00:00.000Z");
  });

  it("picks for a histogram step the coarsest tier whose buckets fit in one bar", () => {
    expect([30, 60, 900, 3600, 3 * 3600, 86400].map(q.coarsestGrainForStep)).toEqual([null, "minute", "quarter", "hour", "hour", "day"]);
  });
});

describe("the rollup tiers", () => {
  it("keep the hourly and daily tiers equal to the minute rows after a bulk rebuild", async () => {
    expect(await tierMismatches()).toBe(0);
    expect(await tierTotals(ids.projectA)).toEqual({ minute: 20_000, quarter: 20_000, hour: 20_000, day: 20_000 });
    expect(await tierTotals(ids.projectB)).toEqual({ minute: 3_000, quarter: 3_000, hour: 3_000, day: 3_000 });
    // Far fewer rows than the minute table: what makes long ranges cheap.
    const [n] = await t.sql<{ minute: number; quarter: number; hour: number; day: number }[]>`select
      (select count(*)::int from tool_call_rollups where project_id = ${ids.projectA}) as minute,
      (select count(*)::int from tool_call_rollups_quarterly where project_id = ${ids.projectA}) as quarter,
      (select count(*)::int from tool_call_rollups_hourly where project_id = ${ids.projectA}) as hour,
      (select count(*)::int from tool_call_rollups_daily where project_id = ${ids.projectA}) as day`;
    expect(n && n.quarter < n.minute && n.hour < n.quarter && n.day < n.hour).toBe(true);
  });

  it("take the log writer's upserts (new keys and existing ones) in every tier", async () => {
    const [existing] = await t.sql<{ bucket: string; server_name: string; method: string; tool_name: string; status: "success"; client_type: "cursor" }[]>`
      select bucket, server_name, method, tool_name, status, client_type from tool_call_rollups where project_id = ${ids.projectB} order by count desc limit 1`;
    if (!existing) throw new Error("no rollup");
    const at = new Date(new Date(existing.bucket).getTime() + 1_000);
    const rows: SeedLogRow[] = [
      // Two calls on an existing minute key (the update path), one on a new key (the insert path).
      ...[12, 700].map((durationMs) => ({
        id: uuidv7(at.getTime()), projectId: ids.projectB, serverName: existing.server_name, method: existing.method as "tools/call",
        toolName: existing.tool_name, status: existing.status, clientType: existing.client_type, durationMs, startedAt: at,
      })),
      { id: uuidv7(), projectId: ids.projectB, serverName: "brand-new", toolName: "fresh_tool", status: "error", durationMs: 40_000, startedAt: at, clientType: "cline" },
    ];
    await ingest(rows.slice(0, 1));
    await ingest(rows.slice(1));
    expect(await tierMismatches()).toBe(0);
    expect(await tierTotals(ids.projectB)).toEqual({ minute: 3_003, quarter: 3_003, hour: 3_003, day: 3_003 });
  });

  it("give the same tiers when the rollups are rebuilt again (idempotent)", async () => {
    const snapshot = async () =>
      t.sql`select 'h' as g, * from tool_call_rollups_hourly where project_id = ${ids.projectA} union all select 'd', * from tool_call_rollups_daily where project_id = ${ids.projectA} order by 1, 3, 4, 5, 6, 7, 8`;
    const before = await snapshot();
    await rebuildLogRollups(t.sql, ids.projectA);
    await rebuildLogRollups(t.sql, ids.projectA);
    expect(await snapshot()).toEqual(before);
    expect(await tierMismatches()).toBe(0);
  });
});

describe("facets, histogram and metrics through the tiers", () => {
  const floorMin = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);
  const ceilMin = (d: Date) => new Date(Math.ceil(d.getTime() / 60_000) * 60_000);
  // Ranges that straddle minutes, hours and days (the rollups count a partial edge minute whole).
  const day27h = { from: new Date(END.getTime() - 30 * HOUR + 61_000), to: new Date(END.getTime() - 3 * HOUR - 1) };
  const ranges = [
    { from: new Date(END.getTime() - 2.5 * DAY - 17_000), to: new Date(END.getTime() - 95_500) },
    day27h,
    { from: new Date(END.getTime() - 50 * 60_000), to: new Date(END.getTime() - 10 * 60_000) },
  ];

  const URI = "file:///home/dev/project/src/file7.ts";
  // Facet-only queries, duration bounds on the rollup buckets' edges (1000, 25/1000) and tool
  // filters on folded resource URIs, each with the log table condition it means.
  const QUERIES = [
    ["", "true"],
    ["server:github -status:success", "server_name = 'github' and status <> 'success'"],
    ["duration:>1000", "duration_ms > 1000"],
    ["duration:[26 TO 1000] OR status:error", "(duration_ms between 26 and 1000 or status = 'error')"],
    [`tool:"${URI}" OR tool:get_issue`, `tool_name in ('${URI}', 'get_issue')`],
    [`tool:"${URI}" OR (method:resources/read duration:<=100)`, `(tool_name = '${URI}' or (method = 'resources/read' and duration_ms <= 100))`],
    ["-tool:file* -tool:get_issue", "tool_name not like 'file%' and tool_name <> 'get_issue'"],
  ] as const;

  async function logCounts(range: q.LogRange, where: string, by: string): Promise<Map<string, number>> {
    const rows = await t.sql.unsafe<{ v: string; n: number }[]>(
      `select ${by}::text as v, count(*)::int as n from tool_call_logs where project_id = $1 and started_at >= $2 and started_at < $3 and ${where} group by 1`,
      [ids.projectA, floorMin(range.from).toISOString(), ceilMin(range.to).toISOString()],
    );
    return new Map(rows.map((r) => [r.v, r.n]));
  }

  for (const [i, range] of ranges.entries()) {
    for (const [text, where] of QUERIES) {
      it(`facet counts equal the log table's (range ${i + 1}, query "${text}")`, async () => {
        const f = await q.getLogFacets(t.db, A(), range, query(text));
        expect(f.fromRollups).toBe(true);
        for (const [facet, col] of [["status", "status"], ["server", "server_name"], ["client", "client_type"], ["method", "method"]] as const) {
          const expected = await logCounts(range, where, col);
          expect(new Map(f.facets[facet].map((v) => [v.value, v.count])), facet).toEqual(expected);
        }
        // Tools and prompts only: the coarse tiers fold resource URIs.
        const tools = await logCounts(range, `${where} and method in ('tools/call', 'prompts/get')`, "tool_name");
        for (const v of f.facets.tool) expect(v.count, v.value).toBe(tools.get(v.value));
        expect(f.facets.tool.length).toBe(Math.min(10, tools.size));
      });

      it(`metrics equal the log table's (range ${i + 1}, query "${text}")`, async () => {
        const m = await q.getLogMetrics(t.db, A(), range, query(text));
        const durations = await t.sql.unsafe<{ d: number; failed: boolean }[]>(
          `select duration_ms as d, status in ('error', 'timeout', 'rejected') as failed from tool_call_logs where project_id = $1 and started_at >= $2 and started_at < $3 and ${where}`,
          [ids.projectA, floorMin(range.from).toISOString(), ceilMin(range.to).toISOString()],
        );
        const buckets = Array<number>(DURATION_BUCKETS_MS.length + 1).fill(0);
        for (const r of durations) {
          const b = DURATION_BUCKETS_MS.findIndex((x) => r.d <= x);
          const at = b === -1 ? DURATION_BUCKETS_MS.length : b;
          buckets[at] = (buckets[at] ?? 0) + 1;
        }
        expect(m).toMatchObject({
          count: durations.length,
          failed: durations.filter((r) => r.failed).length,
          p50: q.percentileFromBuckets(buckets, 0.5),
          p95: q.percentileFromBuckets(buckets, 0.95),
          p99: q.percentileFromBuckets(buckets, 0.99),
          approximate: true,
        });
        expect(durations.length).toBeGreaterThan(0);
      });
    }
  }

  // 69.6 h: one-hour bars (hourly tier, finer ones at the edges); 27 h: 30-minute bars (quarter-hour tier).
  const hour3 = { from: new Date(END.getTime() - 3 * HOUR - 7_000), to: new Date(END.getTime() - 61_000) };
  // And 3 h: 2-minute bars (minute tier).
  for (const range of [{ from: new Date(END.getTime() - 2.9 * DAY + 7_000), to: new Date(END.getTime() - 61_000) }, day27h, hour3]) {
    it(`a histogram's bars equal the log table's counts per bar (${Math.round((range.to.getTime() - range.from.getTime()) / HOUR)} h)`, async () => {
      const h = await q.getLogHistogram(t.db, A(), range, null, { top: 10 });
      expect(h.fromRollups).toBe(true);
      const rows = await t.sql<{ at: string; status: string; n: number }[]>`
        select date_bin(${`${h.stepSeconds} seconds`}::interval, started_at, 'epoch') as at, status::text as status, count(*)::int as n
        from tool_call_logs where project_id = ${ids.projectA} and started_at >= ${floorMin(range.from).toISOString()} and started_at < ${ceilMin(range.to).toISOString()}
        group by 1, 2`;
      const expected = new Map<number, Record<string, number>>();
      for (const r of rows) {
        const at = new Date(r.at).getTime();
        expected.set(at, { ...expected.get(at), [r.status]: r.n });
      }
      for (const b of h.buckets) expect(b.counts, b.at.toISOString()).toEqual(expected.get(b.at.getTime()) ?? {});
      expect(h.buckets.reduce((n, b) => n + Object.values(b.counts).reduce((x, y) => x + y, 0), 0)).toBe(rows.reduce((n, r) => n + r.n, 0));
    });
  }

  it("stacks a histogram by tool from the tiers under a duration bound, the folded resource reads as one group per method", async () => {
    const range = { from: new Date(END.getTime() - 2.9 * DAY + 7_000), to: new Date(END.getTime() - 61_000) };
    const h = await q.getLogHistogram(t.db, A(), range, query("server:github (duration:>1000 OR method:resources/read)"), { groupBy: "tool", top: 10 });
    expect(h.fromRollups).toBe(true);
    const rows = await t.sql<{ at: string; grp: string; n: number }[]>`
      select date_bin(${`${h.stepSeconds} seconds`}::interval, started_at, 'epoch') as at,
        case when method in ('tools/call', 'prompts/get') then tool_name else '(' || method || ')' end as grp, count(*)::int as n
      from tool_call_logs where project_id = ${ids.projectA} and started_at >= ${floorMin(range.from).toISOString()} and started_at < ${ceilMin(range.to).toISOString()}
        and server_name = 'github' and (duration_ms > 1000 or method = 'resources/read')
      group by 1, 2`;
    const expected = new Map<number, Record<string, number>>();
    for (const r of rows) {
      const at = new Date(r.at).getTime();
      expected.set(at, { ...expected.get(at), [r.grp]: r.n });
    }
    expect(new Set(rows.map((r) => r.grp)).size).toBeLessThanOrEqual(10);
    expect(h.groups).toContain("(resources/read)");
    for (const b of h.buckets) expect(b.counts, b.at.toISOString()).toEqual(expected.get(b.at.getTime()) ?? {});
  });

  it("answers duration bounds on the buckets' edges from the tiers and any other bound from the log table", () => {
    for (const s of ["duration:>1000", "duration:>=1001", "duration:<=250", "duration:<26", "duration:[26 TO 1000]", "duration:>60000", "-duration:>5 status:error", "duration:>1000 OR tool:x"]) {
      expect(q.isTierQuery(query(s)), s).toBe(true);
    }
    for (const s of ["duration:>999", "duration:>=1000", "duration:<250", "duration:[25 TO 1000]", "duration:>1000 timeout", `duration:>1000 OR session:${uuidv7()}`]) {
      expect(q.isTierQuery(query(s)), s).toBe(false);
    }
    // A bound that splits no bucket differently from another is one condition for the whole row.
    expect(q.rollupResiduals(query("status:error duration:>1000"))?.slice(6)).toEqual([false, false, ...Array<LogQueryNode | null>(6).fill(query("status:error"))]);
  });

  it("never counts another team's calls, and a team-wide query covers exactly its projects", async () => {
    const range = { from: new Date(END.getTime() - 4 * DAY), to: new Date(END.getTime() + HOUR) };
    expect((await q.getLogMetrics(t.db, A(), range, null)).count).toBe(20_000);
    expect((await q.getLogMetrics(t.db, { teamId: ids.teamA }, range, null)).count).toBe(20_000);
    expect((await q.getLogMetrics(t.db, { teamId: ids.teamB }, range, null)).count).toBe(3_003);
    // Project B asked for under team A's id: nothing.
    expect((await q.getLogMetrics(t.db, { teamId: ids.teamA, projectId: ids.projectB }, range, null)).count).toBe(0);
    const f = await q.getLogFacets(t.db, { teamId: ids.teamA, projectId: ids.projectB }, range, null);
    expect(Object.values(f.facets).every((v) => v.length === 0)).toBe(true);
  });
});
