/**
 * The explorer's reads against known rows: every filter and facet, the rollup and log-table paths
 * agreeing, keyset pages without gaps or duplicates while new rows arrive, and tenant isolation.
 */
import { parseLogQuery, uuidv7, type LogQueryNode } from "@switchyard/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyLogRows, ensureLogPartitionsFor, rebuildLogRollups, type SeedLogRow } from "../../seed-logs";
import { createTestDatabase, type TestDatabase } from "../../testing";
import * as q from "../index";

let t: TestDatabase;
const HOUR = 3600_000;
// Whole minutes, so the rollups (per minute) and the log table see the same range.
const END = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
const range = { from: new Date(END.getTime() - 24 * HOUR), to: END };
const ids = {} as { teamA: string; projectA: string; teamB: string; projectB: string; keyCi: string; keyLaptop: string; session1: string; session2: string };

function query(s: string): LogQueryNode | null {
  const r = parseLogQuery(s);
  if (!r.ok) throw new Error(r.error.message);
  return r.ast;
}

/** 100 rows in project A over the last 24 h, with a pattern each test can count by hand. */
let seeded: SeedLogRow[] = [];
function projectARows(): SeedLogRow[] {
  const rows: SeedLogRow[] = [];
  for (let i = 0; i < 100; i++) {
    const startedAt = new Date(END.getTime() - (i + 1) * 10 * 60_000); // every 10 minutes, newest first
    const status = i % 10 === 0 ? "error" : i % 25 === 1 ? "timeout" : "success";
    rows.push({
      id: uuidv7(startedAt.getTime()),
      projectId: ids.projectA,
      serverName: i % 2 === 0 ? "github" : "files",
      toolName: i % 2 === 0 ? (i % 4 === 0 ? "search_issues" : "search_code") : "read_file",
      method: i % 20 === 3 ? "resources/read" : "tools/call",
      status,
      errorMessage: status === "error" ? `Connection refused to host 10.0.0.${i}` : status === "timeout" ? "Timed out after 30000 ms" : null,
      input: { query: i === 42 ? "zebracorn" : "common words", n: i },
      output: status === "success" ? { content: [{ type: "text", text: `result ${i}` }] } : undefined,
      durationMs: i * 10,
      startedAt,
      clientType: i < 30 ? "cursor" : "claude_code",
      sessionId: i < 10 ? ids.session1 : i < 15 ? ids.session2 : null,
      apiKeyId: i % 3 === 0 ? ids.keyCi : ids.keyLaptop,
    });
  }
  return rows;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const a = await q.insertTeam(t.db, { name: "A", slug: "a" });
  const b = await q.insertTeam(t.db, { name: "B", slug: "b" });
  const pa = await q.insertProject(t.db, a.id, { name: "PA", slug: "pa" });
  const pb = await q.insertProject(t.db, b.id, { name: "PB", slug: "pb" });
  const ci = await q.insertApiKey(t.db, pa.id, { name: "ci", prefix: "sy_1", hash: "h1" });
  const laptop = await q.insertApiKey(t.db, pa.id, { name: "laptop", prefix: "sy_2", hash: "h2" });
  Object.assign(ids, {
    teamA: a.id, projectA: pa.id, teamB: b.id, projectB: pb.id, keyCi: ci.id, keyLaptop: laptop.id,
    session1: uuidv7(), session2: uuidv7(),
  });
  await ensureLogPartitionsFor(t.sql, new Date(range.from.getTime() - HOUR), new Date(END.getTime() + HOUR));
  const other: SeedLogRow = { id: uuidv7(), projectId: pb.id, serverName: "github", toolName: "search_issues", status: "error", errorMessage: "zebracorn", durationMs: 5, startedAt: new Date(END.getTime() - HOUR) };
  seeded = projectARows();
  await copyLogRows(t.sql, [...seeded, other]);
  await rebuildLogRollups(t.sql, pa.id);
  await rebuildLogRollups(t.sql, pb.id);
});

afterAll(async () => {
  await t.drop();
});

const A = () => ({ teamId: ids.teamA, projectId: ids.projectA });

async function all(s: string, tenant: q.LogTenant = A()): Promise<q.LogCall[]> {
  const out: q.LogCall[] = [];
  let before: string | undefined;
  do {
    const page = await q.listLogCalls(t.db, tenant, { range, query: query(s), before, limit: 7 });
    out.push(...page.items);
    before = page.nextCursor ?? undefined;
  } while (before);
  return out;
}

describe("listLogCalls", () => {
  it.each([
    ["", 100],
    ["status:error", 10],
    ["-status:success", 14],
    ["status:error OR status:timeout", 14],
    ["server:github", 50],
    ["tool:search*", 50],
    ["tool:search_code", 25],
    ["client:cursor", 30],
    ["method:resources/read", 5],
    ["key:ci", 34],
    ["key:lap*", 66],
    ["duration:>500", 49],
    ["duration:[100 TO 200]", 11],
    ["duration:<=50", 6],
    ["(server:files OR status:error) -client:cursor", 42],
    ['"connection refused"', 10],
    ["zebracorn", 1],
    ["read_file", 50],
  ])("finds the seeded rows matching %s", async (s, count) => {
    const found = await all(s);
    expect(found).toHaveLength(count);
    expect(new Set(found.map((r) => r.id)).size).toBe(count);
  });

  it("filters by session and names the key of each call", async () => {
    const found = await all(`session:${ids.session1}`);
    expect(found).toHaveLength(10);
    expect(found.every((r) => r.sessionId === ids.session1)).toBe(true);
    expect(new Set(found.map((r) => r.keyName))).toEqual(new Set(["ci", "laptop"]));
  });

  it("returns newest first and pages without gaps or duplicates while newer rows arrive", async () => {
    const seen: q.LogCall[] = [];
    let before: string | undefined;
    let arrived = 0;
    do {
      const page = await q.listLogCalls(t.db, A(), { range: { from: range.from, to: new Date(END.getTime() + HOUR) }, query: null, before, limit: 9 });
      seen.push(...page.items);
      before = page.nextCursor ?? undefined;
      // A call lands between page reads, in the same millisecond as the newest row and after it.
      const at = new Date(END.getTime() + arrived * 1000);
      await copyLogRows(t.sql, [{ id: uuidv7(at.getTime()), projectId: ids.projectA, serverName: "github", toolName: "late", status: "success", durationMs: 1, startedAt: at }]);
      arrived++;
    } while (before);
    expect(seen).toHaveLength(100);
    expect(seen.map((r) => r.id)).toEqual(seeded.map((r) => r.id));
    const times = seen.map((r) => r.startedAt.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    await t.sql`delete from tool_call_logs where tool_name = 'late'`;
  });

  it("pages through rows sharing one millisecond by id", async () => {
    const at = new Date(END.getTime() - 30_000);
    const same = Array.from({ length: 12 }, () => ({ id: uuidv7(), projectId: ids.projectB, serverName: "s", toolName: "same_ms", status: "success" as const, durationMs: 1, startedAt: at }));
    await copyLogRows(t.sql, same);
    const found = await all("tool:same_ms", { teamId: ids.teamB, projectId: ids.projectB });
    expect(new Set(found.map((r) => r.id))).toEqual(new Set(same.map((r) => r.id)));
    expect(found).toHaveLength(12);
  });

  it("shows another team's project as empty, and a team-wide query sees only the team's projects", async () => {
    expect(await all("", { teamId: ids.teamB, projectId: ids.projectA })).toHaveLength(0);
    expect(await all("zebracorn", { teamId: ids.teamA })).toHaveLength(1);
    expect((await all("zebracorn", { teamId: ids.teamB })).map((r) => r.errorMessage)).toEqual(["zebracorn"]);
  });
});

describe("getLogCall and listCallContext", () => {
  it("returns payloads only when asked, and nothing for another tenant", async () => {
    const [call] = await all("zebracorn");
    if (!call) throw new Error("seed row missing");
    const full = await q.getLogCall(t.db, A(), call.key, { withPayloads: true });
    expect(full?.input).toEqual({ query: "zebracorn", n: 42 });
    const meta = await q.getLogCall(t.db, A(), call.key, { withPayloads: false });
    expect(meta && "input" in meta).toBe(false);
    expect(await q.getLogCall(t.db, { teamId: ids.teamB }, call.key, { withPayloads: true })).toBeUndefined();
    expect(await q.getLogCall(t.db, A(), "nonsense", { withPayloads: true })).toBeUndefined();
  });

  it("lists the calls just before and after in the same session", async () => {
    const session = (await all(`session:${ids.session1}`)).reverse(); // oldest first
    const middle = session[5];
    if (!middle) throw new Error("seed row missing");
    const ctx = await q.listCallContext(t.db, A(), middle.key, 3);
    expect(ctx?.before.map((r) => r.id)).toEqual(session.slice(2, 5).map((r) => r.id));
    expect(ctx?.after.map((r) => r.id)).toEqual(session.slice(6, 9).map((r) => r.id));
    expect(await q.listCallContext(t.db, { teamId: ids.teamB }, middle.key)).toBeUndefined();
  });
});

describe("getLogFacets", () => {
  it("counts every facet from the rollups for a facet-only query", async () => {
    const f = await q.getLogFacets(t.db, A(), range, query("server:github"));
    expect(f.fromRollups).toBe(true);
    expect(f.facets.server).toEqual([{ value: "github", count: 50 }]);
    expect(f.facets.status).toEqual([{ value: "success", count: 38 }, { value: "error", count: 10 }, { value: "timeout", count: 2 }]);
    expect(new Map(f.facets.tool.map((c) => [c.value, c.count]))).toEqual(new Map([["search_code", 25], ["search_issues", 25]]));
    expect(new Map(f.facets.client.map((c) => [c.value, c.count]))).toEqual(new Map([["claude_code", 35], ["cursor", 15]]));
    expect(new Map(f.facets.method.map((c) => [c.value, c.count]))).toEqual(new Map([["tools/call", 50]]));
    expect(new Map(f.facets.key.map((c) => [c.value, c.count]))).toEqual(new Map([["ci", 17], ["laptop", 33]]));
    expect(new Map(f.facets.session.map((c) => [c.value, c.count]))).toEqual(new Map([[ids.session1, 5], [ids.session2, 3]]));
  });

  it("counts on the log table when the query has free text or a duration, with the same shape", async () => {
    const f = await q.getLogFacets(t.db, A(), range, query('"connection refused" duration:>=300'));
    expect(f.fromRollups).toBe(false);
    expect(f.facets.status).toEqual([{ value: "error", count: 7 }]);
    expect(f.facets.server).toEqual([{ value: "github", count: 7 }]);
  });

  it("counts nothing for another team", async () => {
    const f = await q.getLogFacets(t.db, { teamId: ids.teamB, projectId: ids.projectA }, range, null);
    expect(Object.values(f.facets).every((v) => v.length === 0)).toBe(true);
  });
});

describe("getLogMetrics", () => {
  it("gives exact percentiles from the log table and bucket bounds from the rollups, with the same counts", async () => {
    const exact = await q.getLogMetrics(t.db, A(), range, query("duration:>=0"));
    expect(exact).toMatchObject({ count: 100, failed: 14, errorRate: 0.14, p50: 490, p95: 940, p99: 980, approximate: false });
    const approx = await q.getLogMetrics(t.db, A(), range, null);
    expect(approx).toMatchObject({ count: 100, failed: 14, errorRate: 0.14, p50: 500, p95: 1000, p99: 1000, approximate: true });
  });

  it("is zero for another team", async () => {
    expect(await q.getLogMetrics(t.db, { teamId: ids.teamB, projectId: ids.projectA }, range, null)).toMatchObject({ count: 0, p50: null });
  });
});

describe("getLogHistogram", () => {
  it("stacks calls per bucket by status, covering the whole range", async () => {
    const h = await q.getLogHistogram(t.db, A(), range, null);
    expect(h.stepSeconds).toBe(900);
    expect(h.fromRollups).toBe(true);
    expect(h.groups).toEqual(["success", "error", "timeout"]);
    const sum = (g: string) => h.buckets.reduce((n, b) => n + (b.counts[g] ?? 0), 0);
    expect([sum("success"), sum("error"), sum("timeout")]).toEqual([86, 10, 4]);
    expect(h.buckets[0]?.at.getTime()).toBeLessThanOrEqual(range.from.getTime());
    // The last bucket holds the range's end (END is a whole minute, so it may start exactly 15 min before).
    expect(h.buckets.at(-1)?.at.getTime()).toBeGreaterThanOrEqual(range.to.getTime() - 900_000);
    expect(h.buckets.at(-1)?.at.getTime()).toBeLessThan(range.to.getTime());
    expect(h.buckets.every((b, i) => i === 0 || b.at.getTime() - (h.buckets[i - 1]?.at.getTime() ?? 0) === 900_000)).toBe(true);
  });

  it("groups by any facet with the top N and folds the rest into other", async () => {
    const h = await q.getLogHistogram(t.db, A(), range, query("zebracorn OR status:error"), { groupBy: "tool", top: 1 });
    expect(h.fromRollups).toBe(false);
    const total = Object.fromEntries(h.groups.map((g) => [g, h.buckets.reduce((n, b) => n + (b.counts[g] ?? 0), 0)]));
    expect(total).toEqual({ search_code: 6, other: 5 });
  });

  it("picks the bucket width from the range", () => {
    const span = (ms: number) => q.histogramStepSeconds({ from: new Date(0), to: new Date(ms) });
    expect([span(15 * 60_000), span(HOUR), span(4 * HOUR), span(24 * HOUR), span(7 * 24 * HOUR)]).toEqual([10, 30, 300, 900, 10800]);
  });
});

describe("listErrorGroups", () => {
  it("groups failures by server, tool and the message with numbers, addresses and paths masked", async () => {
    const groups = await q.listErrorGroups(t.db, A(), range, null);
    expect(groups.map((g) => [g.serverName, g.toolName, g.pattern, g.count])).toEqual([
      ["github", "search_issues", "Connection refused to host <ip>", 5],
      ["github", "search_code", "Connection refused to host <ip>", 5],
      ["files", "read_file", "Timed out after <n> ms", 2],
      ["github", "search_code", "Timed out after <n> ms", 1],
      ["github", "search_issues", "Timed out after <n> ms", 1],
    ]);
    const first = groups[0];
    expect(first?.sparkline.reduce((a, b) => a + b, 0)).toBe(5);
    expect(first?.example).toMatch(/^Connection refused to host 10\.0\.0\.\d+$/);
    expect(first && first.firstSeen < first.lastSeen).toBe(true);
  });

  it("narrows to the query and sees nothing of another team", async () => {
    expect((await q.listErrorGroups(t.db, A(), range, query("server:files"))).map((g) => g.count)).toEqual([2]);
    expect(await q.listErrorGroups(t.db, { teamId: ids.teamB, projectId: ids.projectA }, range, null)).toEqual([]);
  });
});

describe("iterateLogCalls", () => {
  it("reads every matching call in small pages, with payloads only when asked", async () => {
    const out: (q.LogCall & { input?: unknown })[] = [];
    for await (const c of q.iterateLogCalls(t.db, A(), { range, query: query("status:error"), withPayloads: true, pageSize: 3 })) out.push(c);
    expect(out.map((c) => c.id)).toEqual((await all("status:error")).map((c) => c.id));
    expect(out[0]?.input).toEqual({ query: "common words", n: 0 });
    const meta: unknown[] = [];
    for await (const c of q.iterateLogCalls(t.db, A(), { range, query: null, withPayloads: false, max: 4 })) meta.push(c);
    expect(meta).toHaveLength(4);
    expect(meta.some((c) => Object.hasOwn(c as object, "input"))).toBe(false);
  });
});
