/**
 * `npm run bench:ingest` — sustained tool-call log ingestion through the LogWriter into Postgres,
 * with every explorer index, the daily partitions and the rollups (per minute and the coarser
 * tiers, all upserted by the ingest statement) in place (docs/BENCHMARKS.md: ≥ 5,000 rows/s, rows == calls).
 *
 * Database: a scratch database created on the server of DATABASE_URL (dropped afterwards), or an
 * embedded Postgres in a temporary directory when DATABASE_URL is unset.
 * Options: --rows N (default 200000), --batch N (writer maxBatch, default 2000), --in-flight N
 * (writer writesInFlight, default 2 as in the gateway).
 *
 * The producer records calls as fast as the writer takes them, pausing while more than half the
 * writer's memory bound is queued, so every row goes through Postgres rather than the spill file.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogWriter } from "@switchyard/db/call-log";
import { checkRowsAndRollups } from "@switchyard/db/testing";
import { backendCpuMs, clientBackendPids, cpuSpentMs } from "./postgres-backend-cpu";
import { makeRecord, projects, scrubFor, servers, sessions, tools } from "./ingest-workload";
import { cleanupAll, openScratchDatabase } from "./scratch-database";
import { benchArgs, numberOption } from "./options";

// Sustained rows/s on a quiet machine with the explorer's indexes (docs/BENCHMARKS.md, "Log ingestion").
const TARGET_ROWS_PER_S = 20_000;
const TARGET_POSTGRES_US_PER_ROW = 25;
const { values: args } = benchArgs({
  options: { rows: { type: "string", default: "200000" }, batch: { type: "string", default: "2000" }, "in-flight": { type: "string", default: "2" } },
});
const ROWS = numberOption("rows", args.rows);
const MAX_BATCH = numberOption("batch", args.batch);
const WRITES_IN_FLIGHT = numberOption("in-flight", args["in-flight"]);
const MAX_QUEUE = 20_000;

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- run -------------------------------------------------------------------------------------

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

async function main(): Promise<boolean> {
  const { where, handle } = await openScratchDatabase("ingest", { max: 4 });
  const spillDir = await mkdtemp(join(tmpdir(), "switchyard-bench-spill-"));
  try {
    const [{ version } = { version: "?" }] = await handle.sql<{ version: string }[]>`select split_part(version(), ' ', 2) as version`;
    const [{ n: indexes } = { n: 0 }] = await handle.sql<{ n: number }[]>`
      select count(*)::int as n from pg_indexes where tablename = 'tool_call_logs'`;
    console.log("Switchyard log ingestion benchmark");
    console.log(`  database   ${where}, Postgres ${version}; tool_call_logs: ${indexes} indexes, daily partitions, rollups`);
    console.log(`  workload   ${fmt(ROWS)} calls, ${projects.length} projects × ${servers.length} servers × ${tools.length} tools, 85 % success, ${sessions.length} sessions, scrubbing on`);
    console.log(`  writer     flushIntervalMs 100, maxBatch ${fmt(MAX_BATCH)}, maxQueue ${fmt(MAX_QUEUE)}, ${WRITES_IN_FLIGHT} write(s) in flight`);

    const errors: string[] = [];
    const writer = new LogWriter({
      sql: handle.sql,
      maxBatch: MAX_BATCH,
      maxQueue: MAX_QUEUE,
      writesInFlight: WRITES_IN_FLIGHT,
      spillPath: join(spillDir, "spill.ndjson"),
      onError: (e) => errors.push(e instanceof Error ? e.message : String(e)),
    });
    writer.start();
    for (const s of sessions) {
      writer.sessionStarted({ ...s, serverId: null, userId: null, transport: "streamable_http", clientType: "cursor", gatewayInstance: "bench", startedAt: new Date() });
    }

    const cost = new Float64Array(ROWS);
    const perSecond: number[] = [];
    let lastWritten = 0;
    const sampler = setInterval(() => {
      const w = writer.stats().written;
      perSecond.push(w - lastWritten);
      lastWritten = w;
    }, 1_000);
    const cpuBefore = backendCpuMs(await clientBackendPids(handle.sql));
    const t0 = performance.now();
    let produced = 0;
    while (produced < ROWS) {
      if (writer.stats().queued > MAX_QUEUE / 2) {
        await sleep(1);
        continue;
      }
      const n = Math.min(500, ROWS - produced);
      for (let k = 0; k < n; k++, produced++) {
        const rec = makeRecord(produced);
        const ctx = scrubFor(rec.projectId, rec.serverName);
        const start = process.hrtime.bigint();
        writer.recordCall(rec, ctx);
        cost[produced] = Number(process.hrtime.bigint() - start);
        if (rec.sessionId) writer.sessionActivity(rec.sessionId, rec.finishedAt, { failed: rec.status !== "success" });
      }
      await new Promise((r) => setImmediate(r));
    }
    const tProduced = performance.now();
    while (writer.stats().queued > 0) await writer.flush();
    await writer.close();
    const elapsedS = (performance.now() - t0) / 1_000;
    clearInterval(sampler);
    const stats = writer.stats();
    const postgresUsPerRow = (cpuSpentMs(cpuBefore, backendCpuMs(await clientBackendPids(handle.sql))) * 1_000) / ROWS;

    let rows = 0;
    let rollups = 0;
    let distinct = 0;
    let mismatched = 0;
    let mismatchedTiers = 0;
    for (const p of projects) {
      const c = await checkRowsAndRollups(handle.sql, p);
      rows += c.rows;
      rollups += c.rollupCount;
      distinct += c.distinctIds;
      mismatched += c.mismatchedGroups;
      mismatchedTiers += c.mismatchedTierRows;
    }
    const [{ n: sessionCalls } = { n: -1 }] = await handle.sql<{ n: number }[]>`
      select coalesce(sum(calls_total), 0)::int as n from client_sessions`;
    // The coarser tiers (docs/EXPLORER.md, "Rollup tiers").
    const [tiers = { quarterly: -1, hourly: -1, daily: -1 }] = await handle.sql<{ quarterly: number; hourly: number; daily: number }[]>`select
      (select coalesce(sum(count), 0)::int from tool_call_rollups_quarterly) as quarterly,
      (select coalesce(sum(count), 0)::int from tool_call_rollups_hourly) as hourly, (select coalesce(sum(count), 0)::int from tool_call_rollups_daily) as daily`;

    cost.sort();
    const rate = ROWS / elapsedS;
    const steady = perSecond.slice(1, -1).filter((n) => n > 0);
    const sortedSteady = [...steady].sort((a, b) => a - b);
    const ok = rows === ROWS && distinct === ROWS && rollups === ROWS && mismatched === 0 && mismatchedTiers === 0 && tiers.quarterly === ROWS && tiers.hourly === ROWS && tiers.daily === ROWS && sessionCalls === ROWS && stats.dropped === 0;
    const mark = (b: boolean) => (b ? "ok" : "MISMATCH");
    console.log("");
    console.log(`ingest      ${fmt(ROWS)} rows in ${fmt(elapsedS, 2)} s → ${fmt(rate)} rows/s sustained (target ≥ ${fmt(TARGET_ROWS_PER_S)} on a quiet machine) ${rate >= TARGET_ROWS_PER_S ? "PASS" : "FAIL"}`);
    console.log(`            producer done after ${fmt((tProduced - t0) / 1_000, 2)} s; 1-s windows: min ${fmt(sortedSteady[0] ?? 0)}, median ${fmt(sortedSteady[Math.floor(sortedSteady.length / 2)] ?? 0)} rows/s`);
    console.log(`postgres    ${fmt(postgresUsPerRow, 1)} µs CPU per row in the backends serving the writer (/proc utime + stime; target ≤ ${TARGET_POSTGRES_US_PER_ROW}) ${postgresUsPerRow <= TARGET_POSTGRES_US_PER_ROW ? "PASS" : "FAIL"}`);
    console.log(`recordCall  p50 ${fmt(percentile(cost, 0.5) / 1_000, 2)} µs, p99 ${fmt(percentile(cost, 0.99) / 1_000, 2)} µs, p99.9 ${fmt(percentile(cost, 0.999) / 1_000, 2)} µs, max ${fmt((cost[cost.length - 1] ?? 0) / 1_000, 1)} µs`);
    console.log(`check       rows ${fmt(rows)} == calls ${fmt(ROWS)}: ${mark(rows === ROWS)}; distinct ids ${fmt(distinct)}: ${mark(distinct === ROWS)}`);
    console.log(`            rollup count sum ${fmt(rollups)}: ${mark(rollups === ROWS)}; rollup groups differing from rows: ${mismatched}`);
    console.log(`            quarter-hour tier sum ${fmt(tiers.quarterly)}: ${mark(tiers.quarterly === ROWS)}; hourly tier sum ${fmt(tiers.hourly)}: ${mark(tiers.hourly === ROWS)}; daily tier sum ${fmt(tiers.daily)}: ${mark(tiers.daily === ROWS)}`);
    console.log(`            tier rows differing from the minute rows summed to their grain: ${mismatchedTiers}`);
    console.log(`            session calls_total sum ${fmt(sessionCalls)}: ${mark(sessionCalls === ROWS)}`);
    console.log(`writer      written ${fmt(stats.written)}, dropped ${stats.dropped}, spilled ${stats.spilled}, replayed ${stats.replayed}${errors.length ? `, errors: ${errors.slice(0, 3).join(" | ")}` : ""}`);
    console.log(
      JSON.stringify({ bench: "ingest", rows: ROWS, seconds: +elapsedS.toFixed(3), rowsPerSecond: Math.round(rate), postgresUsPerRow: +postgresUsPerRow.toFixed(1), recordCallP99Us: +(percentile(cost, 0.99) / 1_000).toFixed(3), rowsEqualCalls: ok }),
    );
    return ok && rate >= TARGET_ROWS_PER_S;
  } finally {
    await rm(spillDir, { recursive: true, force: true });
  }
}

main()
  .then(async (ok) => {
    await cleanupAll();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (e: unknown) => {
    console.error(e);
    await cleanupAll();
    process.exit(1);
  });
