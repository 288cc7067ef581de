import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "../client";
import { freePort } from "../embedded";
import { createTestDatabase, type TestDatabase } from "../testing";
import { DURATION_BUCKETS_MS, REDACTED_MASK, SECRET_MASK, uuidv7 } from "@switchyard/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareCallRow } from "./prepare-call-row";
import { encodeSpillLines, SpillFile } from "./spill-file";
import { bucketIndex, checkRowsAndRollups, FULL_POLICY, sampleRecord } from "../testing/call-log";
import { LogWriter } from "./log-writer";
import type { LogWriterOptions, ScrubContext, SessionStart } from "./types";

let db: TestDatabase;
let dir: string;
const writers: LogWriter[] = [];
const base = Date.now() - 10 * 60_000;

function writer(opts: Partial<LogWriterOptions> = {}): LogWriter {
  const w = new LogWriter({ sql: db.sql, spillPath: join(dir, `spill-${writers.length}.ndjson`), ...opts });
  w.start();
  writers.push(w);
  return w;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "switchyard-logwriter-"));
});

afterAll(async () => {
  await Promise.all(writers.map((w) => w.close()));
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("LogWriter rows and rollups", () => {
  it("writes one row per call and rollups that match the rows after 1,000 mixed records", async () => {
    const projectId = uuidv7();
    const w = writer({ flushIntervalMs: 20, maxBatch: 300 });
    const records = Array.from({ length: 1_000 }, (_, i) => sampleRecord(projectId, i, base));
    for (const [i, r] of records.entries()) {
      w.recordCall(r, FULL_POLICY);
      if (i % 97 === 0) await new Promise((res) => setTimeout(res, 5)); // let timed flushes interleave
    }
    await w.flush();

    expect(await checkRowsAndRollups(db.sql, projectId)).toEqual({ rows: 1_000, distinctIds: 1_000, rollupCount: 1_000, mismatchedGroups: 0, mismatchedTierRows: 0 });
    const byStatus = await db.sql<{ status: string; rows: number; rolled: number; errors: number }[]>`
      select r.status, r.rows, s.rolled, s.errors from
        (select status::text, count(*)::int as rows from tool_call_logs where project_id = ${projectId} group by 1) r
        join (select status::text, sum(count)::int as rolled, sum(error_count)::int as errors
              from tool_call_rollups where project_id = ${projectId} group by 1) s using (status)
      order by 1`;
    expect(byStatus).toHaveLength(5);
    for (const s of byStatus) {
      expect(s.rolled).toBe(s.rows);
      expect(s.errors).toBe(s.status === "success" ? 0 : s.rows);
      expect(s.rows).toBe(200);
    }
    const [sums] = await db.sql<{ d: string; h: number[] }[]>`
      select sum(duration_sum_ms)::text as d,
        array(select sum(x)::int from tool_call_rollups r2, unnest(r2.duration_buckets) with ordinality u(x, i)
              where r2.project_id = ${projectId} group by i order by i) as h
      from tool_call_rollups where project_id = ${projectId}`;
    expect(Number(sums?.d)).toBe(records.reduce((a, r) => a + r.durationMs, 0));
    const expected = new Array<number>(DURATION_BUCKETS_MS.length + 1).fill(0);
    for (const r of records) expected[bucketIndex(r.durationMs)] = (expected[bucketIndex(r.durationMs)] ?? 0) + 1;
    expect(sums?.h).toEqual(expected);
    expect(w.stats()).toMatchObject({ queued: 0, written: 1_000, dropped: 0, spilled: 0 });
  });

  it("never duplicates a row or its rollup when the same record is written twice", async () => {
    const projectId = uuidv7();
    const w = writer();
    const rec = sampleRecord(projectId, 0, base);
    w.recordCall(rec, FULL_POLICY);
    await w.flush();
    w.recordCall(rec, FULL_POLICY);
    w.recordCall(rec, FULL_POLICY);
    await w.flush();
    expect(await checkRowsAndRollups(db.sql, projectId)).toEqual({ rows: 1, distinctIds: 1, rollupCount: 1, mismatchedGroups: 0, mismatchedTierRows: 0 });
  });

  it("writes two batches at once, never more, with rows and every rollup tier exact", async () => {
    const projectId = uuidv7();
    let running = 0;
    let most = 0;
    // The pool as the writer sees it, counting the ingest statements running at the same time.
    const sql = new Proxy(db.sql, {
      get(target, prop, receiver) {
        if (prop !== "unsafe") return Reflect.get(target, prop, receiver) as unknown;
        return (...args: Parameters<typeof target.unsafe>) => {
          running++;
          most = Math.max(most, running);
          return Promise.resolve(target.unsafe(...args)).finally(() => running--);
        };
      },
    });
    const errors: unknown[] = [];
    const w = writer({ sql, flushIntervalMs: 60_000, maxBatch: 250, maxQueue: 10_000, onError: (e) => errors.push(e) });
    // Every batch upserts the same rollup keys in every tier: the statements wait on each other's rows.
    for (let i = 0; i < 4_000; i++) w.recordCall(sampleRecord(projectId, i % 40, base + Math.floor(i / 40)), FULL_POLICY);
    await w.flush();

    expect(most).toBe(2);
    expect(errors).toEqual([]);
    expect(await checkRowsAndRollups(db.sql, projectId)).toEqual({ rows: 4_000, distinctIds: 4_000, rollupCount: 4_000, mismatchedGroups: 0, mismatchedTierRows: 0 });
    expect(w.stats()).toMatchObject({ queued: 0, written: 4_000, dropped: 0, spilled: 0 });
  });

  it("drops only the row the database refuses and writes the rest of its batch", async () => {
    const projectId = uuidv7();
    const errors: unknown[] = [];
    const w = writer({ onError: (e) => errors.push(e) });
    for (let i = 0; i < 9; i++) w.recordCall(sampleRecord(projectId, i, base), FULL_POLICY);
    // Valid in JavaScript, out of range for timestamptz.
    w.recordCall({ ...sampleRecord(projectId, 9, base), startedAt: new Date(8.64e15) }, FULL_POLICY);
    await w.flush();
    expect((await checkRowsAndRollups(db.sql, projectId)).rows).toBe(9);
    expect(w.stats()).toMatchObject({ written: 9, dropped: 1 });
    expect(w.stats().lastError).toMatch(/refused by the database/);
    expect(errors.length).toBeGreaterThan(0);
  });

  it("counts a record it cannot store as dropped instead of throwing", async () => {
    const w = writer();
    expect(() => w.recordCall({ ...sampleRecord(uuidv7(), 0, base), id: "not-a-uuid" }, FULL_POLICY)).not.toThrow();
    await w.flush();
    expect(w.stats()).toMatchObject({ written: 0, dropped: 1, lastError: "tool call id is not a uuid" });
  });
});

describe("LogWriter payloads", () => {
  const secret = "ghp_SECRETvalue123";
  const scrub: ScrubContext = {
    secrets: [secret],
    rules: [
      { type: "regex", pattern: "\\b\\d{3}-\\d{2}-\\d{4}\\b", replacement: "[SSN]" },
      { type: "key", key: "apiKey" },
    ],
    policy: "full",
  };

  it("stores payloads and error messages with secrets and redaction rules applied", async () => {
    const projectId = uuidv7();
    const w = writer();
    const rec = {
      ...sampleRecord(projectId, 1, base),
      input: { auth: `Bearer ${secret}`, nested: [{ apiKey: "k-123", note: "ssn 123-45-6789" }] },
      output: { content: [{ type: "text", text: `token ${secret} echoed` }] },
      errorMessage: `upstream said: bad token ${secret}`,
    };
    w.recordCall(rec, scrub);
    await w.flush();
    const [row] = await db.sql<{ input: unknown; output: unknown; error_message: string; raw: string }[]>`
      select input, output, error_message, input::text || output::text || error_message as raw
      from tool_call_logs where id = ${rec.id}`;
    expect(row?.raw).not.toContain(secret);
    expect(row?.raw).not.toContain("k-123");
    expect(row?.raw).not.toContain("123-45-6789");
    expect(row?.input).toEqual({ auth: `Bearer ${SECRET_MASK}`, nested: [{ apiKey: REDACTED_MASK, note: "ssn [SSN]" }] });
    expect(row?.output).toEqual({ content: [{ type: "text", text: `token ${SECRET_MASK} echoed` }] });
    expect(row?.error_message).toBe(`upstream said: bad token ${SECRET_MASK}`);
  });

  it("stores a payload past the size limit as a preview with the flag and original size", async () => {
    const projectId = uuidv7();
    const w = writer();
    const rec = { ...sampleRecord(projectId, 0, base), input: { q: "small" }, output: { text: "x".repeat(5_000) } };
    w.recordCall(rec, { ...FULL_POLICY, maxPayloadBytes: 1_024 });
    await w.flush();
    const [row] = await db.sql<
      { input: unknown; input_truncated: boolean; input_size: number; output_truncated: boolean; output_size: number; t: boolean; len: number }[]
    >`
      select input, input_truncated, input_size, output_truncated, output_size,
        (output->>'_truncated')::boolean as t, octet_length(output::text) as len
      from tool_call_logs where id = ${rec.id}`;
    expect(row).toMatchObject({ input: { q: "small" }, input_truncated: false, input_size: 13, output_truncated: true, output_size: 5_011, t: true });
    expect(row?.len).toBeLessThanOrEqual(1_100);
  });

  it("stores no payloads under the metadata_only policy", async () => {
    const projectId = uuidv7();
    const w = writer();
    const rec = { ...sampleRecord(projectId, 1, base), errorMessage: `failed with ${secret}` };
    w.recordCall(rec, { ...scrub, policy: "metadata_only" });
    await w.flush();
    const [row] = await db.sql`select input, output, input_size, output_size, input_truncated, error_message, status from tool_call_logs where id = ${rec.id}`;
    expect(row).toEqual({
      input: null,
      output: null,
      input_size: null,
      output_size: null,
      input_truncated: false,
      error_message: `failed with ${SECRET_MASK}`,
      status: "error",
    });
  });
});

describe("LogWriter sessions and rate limits", () => {
  it("keeps one correct client_sessions row through start, activity, update and end across batches", async () => {
    const w = writer({ flushIntervalMs: 60_000 });
    const t0 = Date.now() - 60_000;
    const s: SessionStart = {
      id: uuidv7(),
      projectId: uuidv7(),
      serverId: null,
      apiKeyId: uuidv7(),
      userId: null,
      transport: "streamable_http",
      clientType: "other",
      userAgent: "node",
      ip: "127.0.0.1",
      gatewayInstance: "gw-1",
      startedAt: new Date(t0),
    };
    w.sessionStarted(s);
    await w.flush();
    w.sessionUpdated(s.id, { clientName: "Cursor", clientVersion: "1.2.3", clientType: "cursor", protocolVersion: "2025-06-18" });
    w.sessionActivity(s.id, new Date(t0 + 1_000), { failed: false });
    w.sessionActivity(s.id, new Date(t0 + 3_000), { failed: true });
    w.sessionActivity(s.id, new Date(t0 + 2_000)); // late, no call: must not move last activity back
    await w.flush();
    w.sessionActivity(s.id, new Date(t0 + 4_000), { failed: false });
    w.sessionEnded(s.id, new Date(t0 + 5_000), "client_delete");
    w.sessionActivity(s.id, new Date(t0 + 6_000), { failed: true }); // after the end: ignored
    await w.flush();
    const rows = await db.sql`
      select *, (extract(epoch from started_at) * 1000)::bigint::text as started_ms,
        (extract(epoch from last_activity_at) * 1000)::bigint::text as activity_ms,
        (extract(epoch from ended_at) * 1000)::bigint::text as ended_ms
      from client_sessions where id = ${s.id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      project_id: s.projectId,
      api_key_id: s.apiKeyId,
      transport: "streamable_http",
      client_name: "Cursor",
      client_version: "1.2.3",
      client_type: "cursor",
      protocol_version: "2025-06-18",
      user_agent: "node",
      ip: "127.0.0.1",
      gateway_instance: "gw-1",
      started_ms: String(t0),
      activity_ms: String(t0 + 4_000),
      ended_ms: String(t0 + 5_000),
      end_reason: "client_delete",
      calls_total: 3,
      calls_failed: 1,
    });
  });

  it("writes a session whose start and activity land in the same batch", async () => {
    const w = writer({ flushIntervalMs: 60_000 });
    const id = uuidv7();
    const at = new Date(Date.now() - 1_000);
    w.sessionStarted({ id, projectId: uuidv7(), serverId: uuidv7(), apiKeyId: null, userId: uuidv7(), transport: "sse", clientType: "inspector", gatewayInstance: "gw-2", startedAt: at });
    for (let i = 0; i < 5; i++) w.sessionActivity(id, new Date(at.getTime() + i), { failed: i % 2 === 0 });
    await w.flush();
    const [row] = await db.sql`select calls_total, calls_failed, transport, client_type, ended_at from client_sessions where id = ${id}`;
    expect(row).toEqual({ calls_total: 5, calls_failed: 3, transport: "sse", client_type: "inspector", ended_at: null });
  });

  it("counts rate-limited calls per key per minute, adding up across batches", async () => {
    const w = writer({ flushIntervalMs: 60_000 });
    const projectId = uuidv7();
    const [keyA, keyB] = [uuidv7(), uuidv7()];
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
    for (let i = 0; i < 3; i++) w.rateLimited(projectId, keyA, new Date(minute + i * 1_000));
    w.rateLimited(projectId, keyB, new Date(minute + 59_999));
    await w.flush();
    for (let i = 0; i < 2; i++) w.rateLimited(projectId, keyA, new Date(minute + 10_000));
    w.rateLimited(projectId, keyA, new Date(minute + 60_000));
    await w.flush();
    const rows = await db.sql<{ api_key_id: string; minute: string; count: number }[]>`
      select api_key_id, minute, count from rate_limited_calls where project_id = ${projectId} order by minute, count desc`;
    // The drizzle-wrapped client returns timestamps as text.
    expect(rows.map((r) => ({ ...r, minute: new Date(r.minute) }))).toEqual([
      { api_key_id: keyA, minute: new Date(minute), count: 5 },
      { api_key_id: keyB, minute: new Date(minute), count: 1 },
      { api_key_id: keyA, minute: new Date(minute + 60_000), count: 1 },
    ]);
  });
});

describe("LogWriter memory bound, spill file and shutdown", () => {
  it("spills past the memory bound while the database is blocked and replays the file afterwards", async () => {
    const projectId = uuidv7();
    const spillPath = join(dir, "blocked.ndjson");
    const w = writer({ flushIntervalMs: 20, maxBatch: 20, maxQueue: 50, spillPath });
    let release = () => undefined as void;
    const released = new Promise<void>((r) => (release = r));
    let locked = () => undefined as void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const lock = db.sql.begin(async (tx) => {
      await tx`lock table tool_call_rollups in access exclusive mode`;
      locked();
      await released;
    });
    await isLocked;
    try {
      for (let i = 0; i < 400; i++) {
        w.recordCall(sampleRecord(projectId, i, base, 10), FULL_POLICY);
        // Bursts of 25 while the database is blocked; before the next one, wait until memory past
        // the bound (50 queued + at most 49 held by the stuck cycle) has gone to the file.
        if (i % 25 === 24) await expect.poll(() => w.stats().queued, { timeout: 5_000, interval: 5 }).toBeLessThan(100);
      }
      const during = w.stats();
      expect(during.spilled + during.queued).toBe(400);
      expect(during.spilled).toBeGreaterThanOrEqual(300);
      expect(during.written).toBe(0);
    } finally {
      release();
      await lock;
    }
    await w.flush();
    await w.flush();
    expect(await checkRowsAndRollups(db.sql, projectId)).toEqual({ rows: 400, distinctIds: 400, rollupCount: 400, mismatchedGroups: 0, mismatchedTierRows: 0 });
    const after = w.stats();
    expect(after).toMatchObject({ written: 400, dropped: 0, queued: 0, spillBytes: 0 });
    expect(after.replayed).toBe(after.spilled);
    expect(existsSync(spillPath) || existsSync(`${spillPath}.replaying`)).toBe(false);
  });

  it("replays a spill file left by an earlier process when it starts", async () => {
    const projectId = uuidv7();
    const spillPath = join(dir, "left-over.ndjson");
    const file = new SpillFile(spillPath, 1 << 20);
    const calls = Array.from({ length: 30 }, (_, i) => {
      const row = prepareCallRow(sampleRecord(projectId, i, base), FULL_POLICY);
      return row.ok ? row.json : "";
    });
    await file.append(encodeSpillLines({ calls, sessions: [], rates: [] }));
    const w = writer({ spillPath, flushIntervalMs: 20 });
    await expect.poll(() => w.stats().replayed, { timeout: 10_000 }).toBe(30);
    expect(await checkRowsAndRollups(db.sql, projectId)).toMatchObject({ rows: 30, rollupCount: 30, mismatchedGroups: 0, mismatchedTierRows: 0 });
  });

  it("spills while the database is unreachable, keeps the file on close and drops only past its cap", async () => {
    const unreachable = createDb(`postgres://postgres@127.0.0.1:${await freePort()}/none`, { max: 1 });
    const spillPath = join(dir, "unreachable.ndjson");
    const w = new LogWriter({ sql: unreachable.sql, spillPath, spillMaxBytes: 20_000, flushIntervalMs: 20 });
    w.start();
    try {
      for (let i = 0; i < 100; i++) w.recordCall(sampleRecord(uuidv7(), i, base), FULL_POLICY);
      await w.close();
      const s = w.stats();
      expect(s.written).toBe(0);
      expect(s.queued).toBe(0);
      expect(s.spilled).toBeGreaterThan(10);
      expect(s.spilled + s.dropped).toBe(100);
      expect(s.spillBytes).toBeLessThanOrEqual(20_000);
      expect(s.lastError).toMatch(/spill file full/);
      expect(existsSync(spillPath)).toBe(true);
    } finally {
      await unreachable.close();
    }
  });

  it("writes everything recorded before close() and counts what comes after it as dropped", async () => {
    const projectId = uuidv7();
    const w = writer({ flushIntervalMs: 60_000 });
    for (let i = 0; i < 25; i++) w.recordCall(sampleRecord(projectId, i, base), FULL_POLICY);
    w.rateLimited(projectId, uuidv7(), new Date());
    await w.close();
    expect((await checkRowsAndRollups(db.sql, projectId)).rows).toBe(25);
    const [rl] = await db.sql<{ n: number }[]>`select sum(count)::int as n from rate_limited_calls where project_id = ${projectId}`;
    expect(rl?.n).toBe(1);
    w.recordCall(sampleRecord(projectId, 99, base), FULL_POLICY);
    expect(w.stats()).toMatchObject({ written: 25, dropped: 1 });
  });
});
