/**
 * What the worker runs for each job. Every attempt is one `worker_runs` row: closed as success
 * with its counts, or as failed with the error before the error goes back to BullMQ (which
 * retries with backoff) — so no failure is ever silent.
 */
import { UnrecoverableError, type Job } from "bullmq";
import { finishWorkerRun, getWorkerSettings, insertWorkerRun, type Database, type WorkerRunOutcome } from "@switchyard/db";
import { scrubText } from "../event-scrub";
import type { ServerProbe } from "../status/probe-result";
import { refreshServerStatus, type RefreshOptions, type RefreshScope, type RefreshSummary, type StatusDeps } from "../status/refresh-status";
import {
  PURGE_LOGS_JOB,
  REFRESH_ALL_JOB,
  REFRESH_PROJECT_JOB,
  REFRESH_SERVER_JOB,
  type MaintenanceJobData,
  type ScheduledJobName,
  type StatusJobData,
} from "./definitions";
import { purgeExpiredLogs, type PurgeOptions, type PurgeSummary } from "./purge-logs";

export interface JobProcessorDeps {
  db: Database;
  probe: ServerProbe;
  /** A refresh changed a server's tool catalogue: tell the gateways (see StatusDeps). */
  catalogueChanged?: StatusDeps["catalogueChanged"];
  refresh?: Omit<RefreshOptions, "onProgress">;
  purge?: PurgeOptions;
}

export type StatusJobResult = (RefreshSummary & { runId: string }) | { skipped: "paused" };
export type MaintenanceJobResult = (PurgeSummary & { runId: string }) | { skipped: "paused" };

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function recordRun<T>(
  db: Database,
  job: Job<StatusJobData | MaintenanceJobData>,
  details: Record<string, unknown>,
  work: () => Promise<{ value: T; outcome: WorkerRunOutcome }>,
): Promise<T & { runId: string }> {
  const run = await insertWorkerRun(db, {
    jobName: job.name,
    jobId: job.id ?? null,
    trigger: job.data.trigger,
    details: { ...details, attempt: job.attemptsMade + 1 },
  });
  try {
    const { value, outcome } = await work();
    await finishWorkerRun(db, run.id, { ...outcome, ...(outcome.errors ? { errors: outcome.errors.map((e) => ({ ...e, message: scrubText(e.message) })) } : {}) });
    return { ...value, runId: run.id };
  } catch (e) {
    // Best effort: when the database itself is what failed, BullMQ still records the failure and retries.
    await finishWorkerRun(db, run.id, { status: "failed", errors: [{ message: scrubText(messageOf(e)) }] }).catch(() => undefined);
    throw e;
  }
}

/** A scheduled job may already be queued when an admin pauses; paused means no scheduled runs. */
async function pausedSchedule(db: Database, jobName: ScheduledJobName, data: StatusJobData | MaintenanceJobData): Promise<boolean> {
  if (data.trigger !== "schedule") return false;
  return (await getWorkerSettings(db, jobName))?.paused ?? false;
}

function scopeOf(job: Job<StatusJobData>): RefreshScope {
  const { projectId, serverId } = job.data;
  if (job.name === REFRESH_ALL_JOB) return { kind: "all" };
  if (job.name === REFRESH_PROJECT_JOB && projectId) return { kind: "project", projectId };
  if (job.name === REFRESH_SERVER_JOB && projectId && serverId) return { kind: "server", projectId, serverId };
  // Retrying cannot fix a malformed job.
  throw new UnrecoverableError(`job ${job.name} is missing its project or server id`);
}

export function createStatusProcessor(deps: JobProcessorDeps): (job: Job<StatusJobData>) => Promise<StatusJobResult> {
  return async (job) => {
    const scope = scopeOf(job);
    if (job.name === REFRESH_ALL_JOB && (await pausedSchedule(deps.db, REFRESH_ALL_JOB, job.data))) return { skipped: "paused" };
    return recordRun(deps.db, job, { scope, ...(job.data.reason ? { reason: job.data.reason } : {}) }, async () => {
      const statusDeps: StatusDeps = { db: deps.db, probe: deps.probe, ...(deps.catalogueChanged ? { catalogueChanged: deps.catalogueChanged } : {}) };
      const summary = await refreshServerStatus(statusDeps, scope, {
        ...deps.refresh,
        onProgress: (progress) => job.updateProgress(progress),
      });
      return {
        value: summary,
        outcome: {
          status: "success",
          serversChecked: summary.done,
          serversOnline: summary.online,
          serversOffline: summary.offline + summary.error,
          errors: summary.errors,
          details: { scope, degraded: summary.degraded, error: summary.error, total: summary.total },
        },
      };
    });
  };
}

export function createMaintenanceProcessor(deps: Pick<JobProcessorDeps, "db" | "purge">): (job: Job<MaintenanceJobData>) => Promise<MaintenanceJobResult> {
  return async (job) => {
    if (await pausedSchedule(deps.db, PURGE_LOGS_JOB, job.data)) return { skipped: "paused" };
    return recordRun(deps.db, job, {}, async () => {
      const summary = await purgeExpiredLogs(deps.db, deps.purge);
      const { durationMs: _durationMs, ...counts } = summary;
      return { value: summary, outcome: { status: "success", details: counts } };
    });
  };
}
