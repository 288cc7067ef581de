/**
 * What each part of the ingest statement costs Postgres: the same prepared batches (the
 * bench:ingest workload, scrubbed and serialized beforehand) written again and again into emptied
 * tables, one part more each step — the heap with its primary key, each explorer index, the GIN
 * search index, the rollup upserts of the four tiers, the session upsert — and the CPU of
 * the one backend that ran them, from /proc, per row (docs/BENCHMARKS.md, "Log ingestion").
 *
 * `DATABASE_URL=… npx tsx bench/ingest-parts.ts [--rows N] [--batch N]` (machine Postgres: /proc
 * of its backends must be readable).
 */
import { INGEST_SQL, SessionTracker, columnNames, prepareCallRow, recordDefinition } from "@switchyard/db/call-log";
import { toolCallLogs } from "@switchyard/db/schema";
import { makeRecord, scrubFor, sessions } from "./ingest-workload";
import { processCpuMs } from "./postgres-backend-cpu";
import { cleanupAll, openScratchDatabase } from "./scratch-database";
import { benchArgs, numberOption } from "./options";

const { values: args } = benchArgs({
  options: { rows: { type: "string", default: "60000" }, batch: { type: "string", default: "2000" }, rounds: { type: "string", default: "2" } },
});
const ROWS = numberOption("rows", args.rows);
const BATCH = numberOption("batch", args.batch);
const ROUNDS = numberOption("rounds", args.rounds);

const INSERT_ONLY_SQL = `insert into tool_call_logs (${columnNames(toolCallLogs).join(", ")})
  select ${columnNames(toolCallLogs).join(", ")} from jsonb_to_recordset($1::text::jsonb) as t(${recordDefinition(toolCallLogs)})
  on conflict do nothing`;

interface Batch {
  calls: string;
  sessions: string;
}

function prepareBatches(): Batch[] {
  const tracker = new SessionTracker();
  for (const s of sessions) {
    tracker.started({ ...s, serverId: null, userId: null, transport: "streamable_http", clientType: "cursor", gatewayInstance: "bench", startedAt: new Date() });
  }
  tracker.drain();
  const batches: Batch[] = [];
  for (let i = 0; i < ROWS; i += BATCH) {
    const rows: string[] = [];
    for (let k = i; k < Math.min(ROWS, i + BATCH); k++) {
      const rec = makeRecord(k);
      const row = prepareCallRow(rec, scrubFor(rec.projectId, rec.serverName));
      if (!row.ok) throw new Error(row.reason);
      rows.push(row.json);
      if (rec.sessionId) tracker.activity(rec.sessionId, rec.finishedAt, { failed: rec.status !== "success" });
    }
    batches.push({ calls: `[${rows.join(",")}]`, sessions: JSON.stringify(tracker.drain().sessions) });
  }
  return batches;
}

async function main(): Promise<void> {
  const { where, handle } = await openScratchDatabase("ingest_parts", { max: 1 });
  const sql = await handle.sql.reserve();
  try {
    // The definitions as migrated, to put back one at a time (pg_indexes shows a partitioned
    // table's index `ON ONLY` the parent: created so, it would not reach the partitions).
    const indexes = await sql<{ name: string; def: string }[]>`
      select indexname as name, indexdef as def from pg_indexes
      where schemaname = 'public' and tablename = 'tool_call_logs' and indexname <> 'tool_call_logs_pkey' order by indexname`;
    const [{ pid } = { pid: 0 }] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const batches = prepareBatches();

    const reset = async () => {
      await sql`truncate tool_call_logs, tool_call_rollups, tool_call_rollups_quarterly, tool_call_rollups_hourly, tool_call_rollups_daily, client_sessions`;
    };
    const steps: { label: string; setup?: () => Promise<unknown>; statement: "insert" | "ingest"; sessions: boolean }[] = [
      {
        label: "heap + primary key",
        setup: async () => {
          for (const i of indexes) await sql.unsafe(`drop index ${i.name}`);
        },
        statement: "insert",
        sessions: false,
      },
      ...indexes.map((i) => ({ label: `+ ${i.name}`, setup: () => sql.unsafe(i.def.replace(" ON ONLY ", " ON ")), statement: "insert" as const, sessions: false })),
      { label: "+ rollup upserts (minute, quarter, hour, day)", statement: "ingest", sessions: false },
      { label: "+ session upsert", statement: "ingest", sessions: true },
    ];

    console.log(`Ingest statement parts: ${ROWS.toLocaleString("en-US")} rows in batches of ${BATCH}, ${ROUNDS} rounds per step, ${where}`);
    console.log(`Postgres backend CPU per row (µs), each round on emptied tables; the step's added cost is against the step before.`);
    let previous = 0;
    for (const step of steps) {
      await step.setup?.();
      const perRow: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await reset();
        const before = processCpuMs(pid);
        for (const b of batches) {
          if (step.statement === "insert") await sql.unsafe(INSERT_ONLY_SQL, [b.calls], { prepare: true });
          else await sql.unsafe(INGEST_SQL, [b.calls, step.sessions ? b.sessions : "[]", "[]"], { prepare: true });
        }
        perRow.push(((processCpuMs(pid) - before) * 1_000) / ROWS);
      }
      const best = Math.min(...perRow);
      console.log(`${step.label.padEnd(48)} ${best.toFixed(1).padStart(6)} µs/row  (+${(best - previous).toFixed(1)})   rounds: ${perRow.map((v) => v.toFixed(1)).join(", ")}`);
      previous = best;
    }
  } finally {
    sql.release();
  }
}

main()
  .then(cleanupAll)
  .catch(async (e: unknown) => {
    console.error(e);
    await cleanupAll();
    process.exitCode = 1;
  });
