/**
 * The worker's control surface for instance admins (console admin page, tests): status,
 * pause/resume, interval, run now, run history. The queue is changed first and the settings row
 * and `activities` row are written right after, in one transaction; if the queue backend is
 * unreachable nothing changes, and if the transaction fails the schedule keeper puts the queue
 * back in line with the stored settings.
 */
import {
  ensureWorkerSettings,
  getLastWorkerRun,
  getWorkerSettings,
  insertActivity,
  listWorkerRuns,
  updateWorkerSettings,
  type Database,
  type WorkerRun,
  type WorkerRunPage,
} from "@switchyard/db";
import { AppError, type ActivityType } from "@switchyard/shared";
import { actorUserId, isInstanceAdmin, type Actor } from "../context";
import { MAINTENANCE_QUEUE, REFRESH_ALL_JOB, SCHEDULED_JOB_NAMES, SCHEDULED_JOBS, STATUS_QUEUE, isScheduledJobName, type QueueName, type ScheduledJobName } from "../jobs/definitions";
import type { EnqueuedJob, JobInfo, JobQueues, QueueCounts } from "../jobs/job-queues";

export interface WorkerAdminDeps {
  db: Database;
  queues: JobQueues;
}

export interface ScheduledJobStatus {
  jobName: ScheduledJobName;
  description: string;
  state: "running" | "paused";
  intervalMinutes: number;
  minIntervalMinutes: number;
  maxIntervalMinutes: number;
  /** Null while paused, or before a worker first created the schedule. */
  nextRunAt: Date | null;
  lastRun: WorkerRun | null;
  updatedAt: Date | null;
}

export interface WorkerStatus {
  backend: JobQueues["backend"];
  jobs: ScheduledJobStatus[];
  queues: Record<QueueName, QueueCounts & { workers: number }>;
}

function assertAdmin(actor: Actor): void {
  if (!isInstanceAdmin(actor)) throw new AppError("forbidden", "only instance admins may manage the worker");
}

function jobNameOrThrow(jobName: string): ScheduledJobName {
  if (!isScheduledJobName(jobName)) throw new AppError("invalid_input", `unknown job "${jobName}"; expected one of ${SCHEDULED_JOB_NAMES.join(", ")}`);
  return jobName;
}

async function settingsOf(db: Database, jobName: ScheduledJobName) {
  return ensureWorkerSettings(db, jobName, { intervalMinutes: SCHEDULED_JOBS[jobName].defaultIntervalMinutes });
}

async function jobStatus(deps: WorkerAdminDeps, jobName: ScheduledJobName): Promise<ScheduledJobStatus> {
  const def = SCHEDULED_JOBS[jobName];
  const settings = await getWorkerSettings(deps.db, jobName);
  const paused = settings?.paused ?? false;
  const schedule = paused ? { nextRunAt: null } : await deps.queues.getSchedule(jobName);
  return {
    jobName,
    description: def.description,
    state: paused ? "paused" : "running",
    intervalMinutes: settings?.intervalMinutes ?? def.defaultIntervalMinutes,
    minIntervalMinutes: def.minIntervalMinutes,
    maxIntervalMinutes: def.maxIntervalMinutes,
    nextRunAt: schedule.nextRunAt,
    lastRun: (await getLastWorkerRun(deps.db, jobName)) ?? null,
    updatedAt: settings?.updatedAt ?? null,
  };
}

export async function getWorkerStatus(deps: WorkerAdminDeps, actor: Actor): Promise<WorkerStatus> {
  assertAdmin(actor);
  const jobs: ScheduledJobStatus[] = [];
  for (const jobName of SCHEDULED_JOB_NAMES) jobs.push(await jobStatus(deps, jobName));
  const queueStatus = async (queue: QueueName) => ({ ...(await deps.queues.getCounts(queue)), workers: await deps.queues.getWorkerCount(queue) });
  return {
    backend: deps.queues.backend,
    jobs,
    queues: { [STATUS_QUEUE]: await queueStatus(STATUS_QUEUE), [MAINTENANCE_QUEUE]: await queueStatus(MAINTENANCE_QUEUE) },
  };
}

async function recordControl(
  deps: WorkerAdminDeps,
  actor: Actor,
  jobName: ScheduledJobName,
  type: ActivityType,
  summary: string,
  change: { paused?: boolean; intervalMinutes?: number } | undefined,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (change) await updateWorkerSettings(tx, jobName, { ...change, updatedBy: actorUserId(actor) });
    await insertActivity(tx, { teamId: null, actorUserId: actorUserId(actor), type, targetType: "worker_job", targetId: jobName, summary, metadata });
  });
}

/** Stops the job's schedule (a run in progress finishes). Pausing a paused job changes nothing. */
export async function pauseWorkerJob(deps: WorkerAdminDeps, actor: Actor, jobName: string): Promise<ScheduledJobStatus> {
  assertAdmin(actor);
  const name = jobNameOrThrow(jobName);
  const settings = await settingsOf(deps.db, name);
  if (!settings.paused) {
    await deps.queues.applySchedule(name, { paused: true, intervalMinutes: settings.intervalMinutes });
    await recordControl(deps, actor, name, "worker.paused", `Worker job ${name} paused`, { paused: true });
  }
  return jobStatus(deps, name);
}

/** Restarts the schedule; BullMQ starts a run at once, then one every interval. */
export async function resumeWorkerJob(deps: WorkerAdminDeps, actor: Actor, jobName: string): Promise<ScheduledJobStatus> {
  assertAdmin(actor);
  const name = jobNameOrThrow(jobName);
  const settings = await settingsOf(deps.db, name);
  if (settings.paused) {
    await deps.queues.applySchedule(name, { paused: false, intervalMinutes: settings.intervalMinutes });
    await recordControl(deps, actor, name, "worker.resumed", `Worker job ${name} resumed`, { paused: false });
  }
  return jobStatus(deps, name);
}

/** Changes the interval (whole minutes, within the job's bounds); a paused job keeps it for its resume. */
export async function setWorkerJobInterval(deps: WorkerAdminDeps, actor: Actor, jobName: string, minutes: number): Promise<ScheduledJobStatus> {
  assertAdmin(actor);
  const name = jobNameOrThrow(jobName);
  const def = SCHEDULED_JOBS[name];
  if (!Number.isInteger(minutes) || minutes < def.minIntervalMinutes || minutes > def.maxIntervalMinutes) {
    throw new AppError(
      "invalid_input",
      def.minIntervalMinutes === def.maxIntervalMinutes
        ? `the interval of ${name} is fixed at ${def.minIntervalMinutes} minutes`
        : `interval must be a whole number of minutes from ${def.minIntervalMinutes} to ${def.maxIntervalMinutes}`,
    );
  }
  const settings = await settingsOf(deps.db, name);
  if (settings.intervalMinutes !== minutes) {
    if (!settings.paused) await deps.queues.applySchedule(name, { paused: false, intervalMinutes: minutes });
    await recordControl(deps, actor, name, "worker.interval_changed", `Worker job ${name} now runs every ${minutes} min (was ${settings.intervalMinutes})`, { intervalMinutes: minutes }, {
      from: settings.intervalMinutes,
      to: minutes,
    });
  }
  return jobStatus(deps, name);
}

/** Queues a run outside the schedule (also while paused). */
export async function runWorkerJobNow(deps: WorkerAdminDeps, actor: Actor, jobName: string): Promise<EnqueuedJob> {
  assertAdmin(actor);
  const name = jobNameOrThrow(jobName);
  const job = name === REFRESH_ALL_JOB ? await deps.queues.enqueueStatusRefresh("manual") : await deps.queues.enqueuePurge("manual");
  await recordControl(deps, actor, name, "worker.run_requested", `Run of worker job ${name} requested`, undefined, { jobId: job.id });
  return job;
}

/** Run history of every job (or one), newest first; `before` is the previous page's `nextCursor`. */
export async function listWorkerJobRuns(
  deps: WorkerAdminDeps,
  actor: Actor,
  opts: { jobName?: string; before?: string; limit?: number } = {},
): Promise<WorkerRunPage> {
  assertAdmin(actor);
  return listWorkerRuns(deps.db, opts);
}

/** One job's state and progress, for the admin page's run-now feedback. */
export async function getWorkerJob(deps: WorkerAdminDeps, actor: Actor, jobId: string): Promise<JobInfo> {
  assertAdmin(actor);
  const job = await deps.queues.getJob(jobId);
  if (!job) throw new AppError("not_found", "job not found");
  return job;
}
