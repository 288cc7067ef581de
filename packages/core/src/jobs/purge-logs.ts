/**
 * `purge-logs`: keeps log partitions created ahead, drops whole daily partitions past the
 * instance's longest retention, then applies each project's own retention by batched deletes
 * (logs, rollups of every tier, rate-limit counters, ended client sessions, server events).
 */
import {
  deleteCoarseRollupsBatch,
  deleteEndedClientSessionsBatch,
  deleteRateLimitedCallsBatch,
  deleteServerEventsBatch,
  deleteToolCallLogsBatch,
  deleteToolCallRollupsBatch,
  deleteWorkerRunsBefore,
  dropLogPartitionsBefore,
  ensureLogPartitions,
  listProjectRetentions,
  type Database,
} from "@switchyard/db";

const DAY_MS = 24 * 3600 * 1000;
/** Retention assumed when no project exists (the projects table's default). */
const DEFAULT_RETENTION_DAYS = 30;
/** Worker run history is kept at least this long, whatever the log retention. */
const MIN_RUN_HISTORY_DAYS = 30;

export interface PurgeOptions {
  /** Rows per delete statement (default 5000). */
  batchSize?: number;
  now?: Date;
}

export interface PurgeSummary {
  projects: number;
  longestRetentionDays: number;
  partitionsDropped: number;
  logsDeleted: number;
  rollupsDeleted: number;
  rateLimitedDeleted: number;
  sessionsDeleted: number;
  eventsDeleted: number;
  workerRunsDeleted: number;
  durationMs: number;
}

type BatchDelete = (db: Database, projectId: string, before: Date, limit: number) => Promise<number>;

async function drain(db: Database, fn: BatchDelete, projectId: string, before: Date, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await fn(db, projectId, before, batchSize);
    total += n;
    if (n < batchSize) return total;
  }
}

export async function purgeExpiredLogs(db: Database, options: PurgeOptions = {}): Promise<PurgeSummary> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 5_000;
  // First, so that tomorrow's partitions exist even if a purge step below fails.
  await ensureLogPartitions(db);
  const projects = await listProjectRetentions(db);
  const longest = projects.reduce((max, p) => Math.max(max, p.retentionDays), projects.length ? 1 : DEFAULT_RETENTION_DAYS);
  // A day's partition goes only when all of it is past the longest retention; the boundary day is left to the deletes.
  const beforeDay = new Date(now.getTime() - longest * DAY_MS).toISOString().slice(0, 10);
  const summary: PurgeSummary = {
    projects: projects.length,
    longestRetentionDays: longest,
    partitionsDropped: await dropLogPartitionsBefore(db, beforeDay),
    logsDeleted: 0,
    rollupsDeleted: 0,
    rateLimitedDeleted: 0,
    sessionsDeleted: 0,
    eventsDeleted: 0,
    workerRunsDeleted: 0,
    durationMs: 0,
  };
  for (const project of projects) {
    const cutoff = new Date(now.getTime() - Math.max(1, project.retentionDays) * DAY_MS);
    summary.logsDeleted += await drain(db, deleteToolCallLogsBatch, project.id, cutoff, batchSize);
    summary.rollupsDeleted += await drain(db, deleteToolCallRollupsBatch, project.id, cutoff, batchSize);
    summary.rollupsDeleted += await drain(db, deleteCoarseRollupsBatch, project.id, cutoff, batchSize);
    summary.rateLimitedDeleted += await drain(db, deleteRateLimitedCallsBatch, project.id, cutoff, batchSize);
    summary.sessionsDeleted += await drain(db, deleteEndedClientSessionsBatch, project.id, cutoff, batchSize);
    summary.eventsDeleted += await drain(db, deleteServerEventsBatch, project.id, cutoff, batchSize);
  }
  summary.workerRunsDeleted = await deleteWorkerRunsBefore(db, new Date(now.getTime() - Math.max(longest, MIN_RUN_HISTORY_DAYS) * DAY_MS));
  summary.durationMs = Date.now() - started;
  return summary;
}
