/**
 * Keeps BullMQ in line with `worker_settings`, the source of truth for intervals and pauses:
 * on start and then periodically, so a schedule lost with Redis (restarted without persistence)
 * or changed while no worker ran is re-created; and closes runs whose worker died mid-run.
 */
import { ensureWorkerSettings, finishWorkerRun, listRunningWorkerRuns, type Database } from "@switchyard/db";
import { SCHEDULED_JOB_NAMES, SCHEDULED_JOBS, type ScheduledJobName } from "./definitions";
import type { JobQueues } from "./job-queues";

/** Creates missing settings rows with their defaults and applies every job's settings to its scheduler. */
export async function syncSchedules(db: Database, queues: JobQueues): Promise<{ created: ScheduledJobName[] }> {
  const created: ScheduledJobName[] = [];
  for (const jobName of SCHEDULED_JOB_NAMES) {
    const settings = await ensureWorkerSettings(db, jobName, { intervalMinutes: SCHEDULED_JOBS[jobName].defaultIntervalMinutes });
    if ((await queues.applySchedule(jobName, settings)).created) created.push(jobName);
  }
  return { created };
}

/** A run stays `running` only while its job is active in the attempt that started it. */
export async function closeAbandonedRuns(db: Database, queues: JobQueues, graceMs: number): Promise<number> {
  let closed = 0;
  for (const run of await listRunningWorkerRuns(db, new Date(Date.now() - graceMs))) {
    const job = run.jobId ? await queues.getJob(run.jobId) : undefined;
    const alive = job?.state === "active" && job.startedAt !== null && job.startedAt.getTime() <= run.startedAt.getTime() + 1_000;
    if (alive) continue;
    await finishWorkerRun(db, run.id, { status: "failed", errors: [{ message: "the worker stopped during this run; the job is retried" }] });
    closed += 1;
  }
  return closed;
}

export interface ScheduleKeeper {
  /** Runs one sync now (also what start does). */
  syncNow(): Promise<void>;
  stop(): void;
}

export function startScheduleKeeper(
  db: Database,
  queues: JobQueues,
  options: { intervalMs?: number; abandonedGraceMs?: number; onError?: (e: unknown) => void } = {},
): ScheduleKeeper {
  let running: Promise<void> | undefined;
  const syncNow = () => {
    running ??= (async () => {
      try {
        await syncSchedules(db, queues);
        await closeAbandonedRuns(db, queues, options.abandonedGraceMs ?? 60_000);
      } catch (e) {
        // Redis or Postgres unreachable: the next tick tries again.
        options.onError?.(e);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void syncNow(), options.intervalMs ?? 30_000);
  timer.unref();
  return { syncNow, stop: () => clearInterval(timer) };
}
