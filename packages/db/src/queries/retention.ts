/**
 * Log retention (the `purge-logs` job): whole daily partitions of `tool_call_logs` are dropped
 * past the instance's longest retention; each project's own retention is applied by deleting in
 * bounded batches, so no statement holds locks or bloats WAL for long.
 */
import { sql } from "drizzle-orm";
import type { Executor } from "../client";
import { projects } from "../schema";

/** Instance-wide enumeration for the purge: every project's id and retention, nothing else. */
export async function listProjectRetentions(db: Executor): Promise<{ id: string; retentionDays: number }[]> {
  return db.select({ id: projects.id, retentionDays: projects.retentionDays }).from(projects).orderBy(projects.id);
}

/** Drops the daily partitions of days before `beforeDay` (`YYYY-MM-DD`, UTC); returns how many. */
export async function dropLogPartitionsBefore(db: Executor, beforeDay: string): Promise<number> {
  const rows = await db.execute<{ dropped: number }>(sql`select switchyard_drop_log_partitions_before(${beforeDay}::date) as dropped`);
  return Number(rows[0]?.dropped ?? 0);
}

/** One batch of a project's log rows started before `before`; returns the rows deleted (< limit when done). */
export async function deleteToolCallLogsBatch(db: Executor, projectId: string, before: Date, limit: number): Promise<number> {
  // Partitioned table: rows are addressed by their primary key (started_at, id), not ctid.
  const res = await db.execute(sql`
    with doomed as (
      select started_at, id from tool_call_logs
      where project_id = ${projectId} and started_at < ${before.toISOString()}::timestamptz
      limit ${limit}
    )
    delete from tool_call_logs t using doomed d
    where t.project_id = ${projectId} and t.started_at = d.started_at and t.id = d.id`);
  return res.count;
}

export async function deleteToolCallRollupsBatch(db: Executor, projectId: string, before: Date, limit: number): Promise<number> {
  const res = await db.execute(sql`
    delete from tool_call_rollups where ctid = any(array(
      select ctid from tool_call_rollups where project_id = ${projectId} and bucket < ${before.toISOString()}::timestamptz limit ${limit}))`);
  return res.count;
}

const COARSE_TIERS = [
  ["tool_call_rollups_quarterly", "15 minutes"],
  ["tool_call_rollups_hourly", "1 hour"],
  ["tool_call_rollups_daily", "1 day"],
] as const;

/**
 * Quarter-hour, hourly and daily rollups whose whole span is before `before`; the one straddling
 * it is kept (it still counts calls that are kept). Deletes in the minute table are not
 * propagated to these tiers (docs/EXPLORER.md, "Rollup tiers").
 */
export async function deleteCoarseRollupsBatch(db: Executor, projectId: string, before: Date, limit: number): Promise<number> {
  let deleted = 0;
  for (const [table, span] of COARSE_TIERS) {
    if (deleted >= limit) break;
    const res = await db.execute(sql`
      delete from ${sql.raw(table)} where ctid = any(array(
        select ctid from ${sql.raw(table)} where project_id = ${projectId} and bucket <= ${before.toISOString()}::timestamptz - ${span}::interval
        limit ${limit - deleted}))`);
    deleted += res.count;
  }
  return deleted;
}

export async function deleteRateLimitedCallsBatch(db: Executor, projectId: string, before: Date, limit: number): Promise<number> {
  const res = await db.execute(sql`
    delete from rate_limited_calls where ctid = any(array(
      select ctid from rate_limited_calls where project_id = ${projectId} and minute < ${before.toISOString()}::timestamptz limit ${limit}))`);
  return res.count;
}

/** Ended client sessions only: a live session is never purged, however old. */
export async function deleteEndedClientSessionsBatch(db: Executor, projectId: string, before: Date, limit: number): Promise<number> {
  const res = await db.execute(sql`
    delete from client_sessions where id = any(array(
      select id from client_sessions
      where project_id = ${projectId} and ended_at is not null and ended_at < ${before.toISOString()}::timestamptz limit ${limit}))`);
  return res.count;
}

export async function deleteServerEventsBatch(db: Executor, projectId: string, before: Date, limit: number): Promise<number> {
  const res = await db.execute(sql`
    delete from server_events where id = any(array(
      select id from server_events where project_id = ${projectId} and at < ${before.toISOString()}::timestamptz limit ${limit}))`);
  return res.count;
}
