/**
 * Writes tool-call log rows fast (COPY) and rebuilds their rollups — for the explorer's tests,
 * `npm run seed:logs` and `npm run bench:explorer`. Never used by the product itself.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import type postgres from "postgres";
import type { ClientType, LoggedMethod, ToolCallStatus } from "@switchyard/shared";
import { DURATION_BUCKETS_MS } from "@switchyard/shared";
import { generateSeedRows, type SeedSession } from "./seed-log-generator";

export interface SeedLogRow {
  id: string;
  projectId: string;
  serverName: string;
  serverId?: string | null;
  sessionId?: string | null;
  apiKeyId?: string | null;
  method?: LoggedMethod;
  toolName: string;
  status: ToolCallStatus;
  errorMessage?: string | null;
  input?: unknown;
  output?: unknown;
  durationMs: number;
  startedAt: Date;
  clientType?: ClientType;
}

const COPY_COLUMNS = [
  "id", "project_id", "server_id", "server_name", "session_id", "api_key_id", "method", "tool_name", "exposed_name", "status",
  "error_code", "error_message", "input", "output", "input_size", "output_size", "duration_ms", "started_at", "finished_at", "client_type",
];

function field(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "\\N";
  if (typeof v === "number") return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

function line(r: SeedLogRow): string {
  const input = r.input === undefined ? null : JSON.stringify(r.input);
  const output = r.output === undefined ? null : JSON.stringify(r.output);
  const failed = r.status !== "success";
  return [
    r.id, r.projectId, r.serverId ?? null, r.serverName, r.sessionId ?? null, r.apiKeyId ?? null, r.method ?? "tools/call", r.toolName,
    `${r.serverName}__${r.toolName}`, r.status, failed ? -32603 : null, r.errorMessage ?? null, input, output,
    input === null ? null : input.length, output === null ? null : output.length, r.durationMs, r.startedAt.toISOString(),
    new Date(r.startedAt.getTime() + r.durationMs).toISOString(), r.clientType ?? "other",
  ].map(field).join("\t");
}

/** Creates the daily partitions `rows` fall into, then COPYs them (in chunks of `chunk` lines). */
export async function copyLogRows(sql: postgres.Sql, rows: Iterable<SeedLogRow>, opts: { chunk?: number } = {}): Promise<number> {
  const stream = await sql.unsafe(`copy tool_call_logs (${COPY_COLUMNS.join(", ")}) from stdin`).writable();
  const chunk = opts.chunk ?? 2000;
  let buf: string[] = [];
  let n = 0;
  for (const r of rows) {
    buf.push(line(r));
    n++;
    if (buf.length >= chunk) {
      if (!stream.write(`${buf.join("\n")}\n`)) await once(stream, "drain");
      buf = [];
    }
  }
  if (buf.length) stream.write(`${buf.join("\n")}\n`);
  stream.end();
  await once(stream, "finish");
  return n;
}

/** Makes sure daily partitions exist for `[from, to]` (rows outside would land in the default partition). */
export async function ensureLogPartitionsFor(sql: postgres.Sql, from: Date, to: Date): Promise<void> {
  const days = Math.ceil((to.getTime() - from.getTime()) / 86_400_000) + 2;
  await sql`select switchyard_ensure_log_partitions((${from.toISOString()}::timestamptz at time zone 'utc')::date, ${days})`;
}

const BUCKET_BOUNDS = `'{${DURATION_BUCKETS_MS.map((b) => b + 1).join(",")}}'::int[]`;
const HISTOGRAM = `array[${Array.from({ length: DURATION_BUCKETS_MS.length + 1 }, (_, i) => `count(*) filter (where b = ${i})`).join(", ")}]::int[]`;

/** The coarse tiers and their bucket, from a minute bucket (as the log writer's ingest statement has them). */
const TIERS = [
  ["tool_call_rollups_quarterly", "date_bin('15 minutes', bucket, '1970-01-01 00:00:00+00')"],
  ["tool_call_rollups_hourly", "date_trunc('hour', bucket, 'UTC')"],
  ["tool_call_rollups_daily", "date_trunc('day', bucket, 'UTC')"],
] as const;

/**
 * Recomputes a project's rollups from its log rows — the same aggregation the gateway's log
 * writer performs per batch, so seeded data looks exactly like ingested data, written in time
 * order as the writer would (so a time range's rows sit together in the heap), then the coarser
 * tiers from the minute rows with tool names folded by `switchyard_rollup_tool_key` (docs/EXPLORER.md
 * "Rollup tiers"; the writer upserts all four the same way).
 */
export async function rebuildLogRollups(sql: postgres.Sql, projectId: string): Promise<void> {
  await sql.begin(async (tx) => {
    for (const table of ["tool_call_rollups", "tool_call_rollups_quarterly", "tool_call_rollups_hourly", "tool_call_rollups_daily"]) {
      await tx`delete from ${tx(table)} where project_id = ${projectId}`;
    }
    await tx.unsafe(
      `insert into tool_call_rollups (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
       select project_id, date_trunc('minute', started_at, 'UTC'), server_name, method, tool_name, status, client_type,
         count(*)::int, (count(*) filter (where status <> 'success'))::int, sum(duration_ms)::bigint, ${HISTOGRAM}
       from (select *, width_bucket(duration_ms, ${BUCKET_BOUNDS}) as b from tool_call_logs where project_id = $1) x
       group by 1, 2, 3, 4, 5, 6, 7
       order by 2`,
      [projectId],
    );
    for (const [table, bucket] of TIERS) {
      await tx.unsafe(
        `insert into ${table} (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
         select project_id, ${bucket}, server_name, method, switchyard_rollup_tool_key(method, tool_name), status, client_type,
           sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
         from tool_call_rollups where project_id = $1
         group by 1, 2, 3, 4, 5, 6, 7
         order by 2`,
        [projectId],
      );
    }
  });
}

export interface SeedProjectOptions {
  projectId: string;
  rows: number;
  days?: number;
  end?: Date;
  seed?: number;
  rareEvery?: number;
  /** Rows per COPY (default 200,000). */
  slice?: number;
  /** COPY streams run in parallel, each over its own connection and its own part of the timeline (default 1). */
  streams?: number;
  /** Rows of this timeline already written by an earlier, interrupted run (whole slices): they are not written again. */
  skip?: number;
  onProgress?: (written: number) => void;
}

/**
 * Seeds a project with `rows` generated calls over `days` days ending at `end`: three revoked
 * `seed-*` API keys (their hashes are random, nothing can authenticate with them), one ended
 * client session per generated session, the rows by COPY, then the rollups.
 */
export async function seedProjectLogs(sql: postgres.Sql, o: SeedProjectOptions): Promise<{ rows: number; sessions: number }> {
  const end = o.end ?? new Date();
  const days = o.days ?? 7;
  const keyIds: string[] = [];
  for (const name of ["seed-ci", "seed-laptop", "seed-agent"]) {
    // Reused when an interrupted run is resumed.
    const [k] = (await sql<{ id: string }[]>`select id from api_keys where project_id = ${o.projectId} and name = ${name}`).concat(
      await sql<{ id: string }[]>`insert into api_keys (project_id, name, prefix, hash, revoked_at)
        select ${o.projectId}, ${name}, 'sy_seed', ${randomBytes(32).toString("hex")}, now()
        where not exists (select 1 from api_keys where project_id = ${o.projectId} and name = ${name}) returning id`,
    );
    if (k) keyIds.push(k.id);
  }
  const servers = await sql<{ id: string; name: string }[]>`select id, name from mcp_servers where project_id = ${o.projectId}`;
  await ensureLogPartitionsFor(sql, new Date(end.getTime() - days * 86_400_000), end);
  const skip = Math.min(o.skip ?? 0, o.rows);
  const streams = Math.max(1, Math.min(o.streams ?? 1, 8));
  const share = Math.ceil((o.rows - skip) / streams);
  let written = 0;
  // Each stream writes a contiguous part of the timeline with its own generator (and PRNG seed).
  const stream = async (part: number) => {
    const sessions: SeedSession[] = [];
    const rows = generateSeedRows({
      projectId: o.projectId, rows: o.rows, end, days, apiKeyIds: keyIds, seed: (o.seed ?? 42) + part * 7919 + skip, rareEvery: o.rareEvery,
      fromIndex: skip + part * share, toIndex: skip + (part + 1) * share,
      serverIds: Object.fromEntries(servers.map((s) => [s.name, s.id])),
      onSession: (s) => sessions.push(s),
    });
    // Copied in slices so progress can be reported and sessions written as they finish.
    const slice = o.slice ?? 200_000;
    for (;;) {
      // next() by hand: breaking out of a for-of would close the generator.
      const batch: SeedLogRow[] = [];
      for (let r = rows.next(); !r.done; r = rows.next()) {
        batch.push(r.value);
        if (batch.length >= slice) break;
      }
      if (!batch.length) break;
      // Not `written += await …`: that would read `written` before another stream's slice lands.
      const copied = await copyLogRows(sql, batch);
      written += copied;
      await writeSessions(sql, o.projectId, sessions.splice(0));
      o.onProgress?.(written);
      if (batch.length < slice) break;
    }
    await writeSessions(sql, o.projectId, sessions.splice(0));
  };
  await Promise.all(Array.from({ length: streams }, (_, part) => stream(part)));
  await rebuildLogRollups(sql, o.projectId);
  const [n] = await sql<{ n: number }[]>`select count(*)::int as n from client_sessions where project_id = ${o.projectId}`;
  return { rows: written, sessions: n?.n ?? 0 };
}

async function writeSessions(sql: postgres.Sql, projectId: string, sessions: SeedSession[]): Promise<void> {
  if (!sessions.length) return;
  const values = sessions.map((s) => ({
    id: s.id, project_id: projectId, api_key_id: s.apiKeyId, transport: s.transport, client_name: s.clientName, client_version: "1.0.0",
    client_type: s.clientType, gateway_instance: "seed", started_at: s.startedAt.toISOString(), last_activity_at: s.lastActivityAt.toISOString(),
    ended_at: s.lastActivityAt.toISOString(), end_reason: "seeded", calls_total: s.calls, calls_failed: s.failed,
  }));
  for (let i = 0; i < values.length; i += 1000) {
    await sql`insert into client_sessions ${sql(values.slice(i, i + 1000))} on conflict (id) do nothing`;
  }
}
export { RARE_WORD, generateSeedRows, type SeedSession } from "./seed-log-generator";
