/**
 * Queue handles for everything that enqueues or inspects jobs: the console (refresh buttons,
 * progress polling, the admin page), the CLI, service hooks and the worker itself.
 */
import { uuidv7, type WorkerTrigger } from "@switchyard/shared";
import type { ServiceHooks } from "../context";
import {
  MAINTENANCE_QUEUE,
  PURGE_LOGS_JOB,
  REFRESH_ALL_JOB,
  REFRESH_PROJECT_JOB,
  REFRESH_SERVER_JOB,
  SCHEDULED_JOBS,
  STATUS_QUEUE,
  type JobName,
  type MaintenanceJobData,
  type QueueName,
  type ScheduledJobName,
  type StatusJobData,
} from "./definitions";
import { createQueueBackend, type AnyQueue, type BackendKind, type QueueBackend, type QueueBackendOptions } from "./queue-backend";

export interface JobQueuesOptions extends QueueBackendOptions {
  /** Attempts per job before it is failed for good (default 3), with exponential backoff from `backoffMs` (default 10 s). */
  attempts?: number;
  backoffMs?: number;
  /**
   * Length of one "minute" of a schedule interval. Tests only: lets a 1-minute interval fire
   * every second. Production leaves the default (60 000).
   */
  scheduleUnitMs?: number;
}

export type JobState = "waiting" | "active" | "delayed" | "completed" | "failed" | "prioritized" | "waiting-children" | "unknown";

export interface JobInfo {
  id: string;
  name: string;
  queue: QueueName;
  state: JobState;
  /** For refreshes: `{ total, done, online, degraded, offline, error }`. */
  progress: unknown;
  result: unknown;
  failedReason: string | null;
  attemptsMade: number;
  data: StatusJobData | MaintenanceJobData;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface EnqueuedJob {
  id: string;
  name: JobName;
}

export interface ScheduleInfo {
  /** Null when the scheduler is absent (paused, or not yet created by a worker). */
  everyMs: number | null;
  nextRunAt: Date | null;
}

export type QueueCounts = Record<"waiting" | "active" | "delayed" | "completed" | "failed", number>;

export interface JobQueues {
  backend: BackendKind;
  /** A full refresh of every enabled server. */
  enqueueStatusRefresh(trigger: WorkerTrigger, reason?: string): Promise<EnqueuedJob>;
  enqueueProjectRefresh(projectId: string, trigger: WorkerTrigger): Promise<EnqueuedJob>;
  enqueueServerRefresh(projectId: string, serverId: string, trigger: WorkerTrigger): Promise<EnqueuedJob>;
  enqueuePurge(trigger: WorkerTrigger): Promise<EnqueuedJob>;
  /** Any job by id (instance admins). */
  getJob(jobId: string): Promise<JobInfo | undefined>;
  /** A project's refresh job by id; another project's job (or none) is undefined, as not found. */
  getProjectJob(projectId: string, jobId: string): Promise<JobInfo | undefined>;
  /** Creates, updates or (when paused) removes the job's scheduler; an unchanged scheduler keeps its next run. */
  applySchedule(jobName: ScheduledJobName, settings: { paused: boolean; intervalMinutes: number }): Promise<{ created: boolean }>;
  getSchedule(jobName: ScheduledJobName): Promise<ScheduleInfo>;
  getCounts(queue: QueueName): Promise<QueueCounts>;
  /** Workers currently connected to a queue. */
  getWorkerCount(queue: QueueName): Promise<number>;
  /** `serverChanged` enqueues a refresh of that server right after the change commits. */
  hooks: Required<Pick<ServiceHooks, "serverChanged">>;
  /** The backend, for the worker to run its BullMQ workers on the same connections. */
  queueBackend: QueueBackend;
  scheduleUnitMs: number;
  close(): Promise<void>;
}

const KEEP_COMPLETED = { age: 24 * 3600, count: 1000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 1000 };

function toState(state: string): JobState {
  const known: JobState[] = ["waiting", "active", "delayed", "completed", "failed", "prioritized", "waiting-children"];
  return (known as string[]).includes(state) ? (state as JobState) : "unknown";
}

export function createJobQueues(options: JobQueuesOptions): JobQueues {
  const backend = createQueueBackend(options);
  const status = backend.createQueue<StatusJobData>(STATUS_QUEUE);
  const maintenance = backend.createQueue<MaintenanceJobData>(MAINTENANCE_QUEUE);
  const queues: Record<QueueName, AnyQueue<StatusJobData> | AnyQueue<MaintenanceJobData>> = { [STATUS_QUEUE]: status, [MAINTENANCE_QUEUE]: maintenance };
  const unitMs = options.scheduleUnitMs ?? 60_000;
  const jobOptions = {
    attempts: options.attempts ?? 3,
    backoff: { type: "exponential", delay: options.backoffMs ?? 10_000 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };

  // Our own ids: unique across queues and across a Redis flush (BullMQ's counters restart at 1).
  const addStatus = async (name: JobName, data: StatusJobData): Promise<EnqueuedJob> => {
    const job = await status.add(name, data, { ...jobOptions, jobId: uuidv7() });
    return { id: job.id ?? "", name };
  };

  const getJob = async (jobId: string): Promise<JobInfo | undefined> => {
    for (const queueName of [STATUS_QUEUE, MAINTENANCE_QUEUE] as const) {
      const job = await queues[queueName].getJob(jobId);
      if (!job) continue;
      return {
        id: job.id ?? jobId,
        name: job.name,
        queue: queueName,
        state: toState(await job.getState()),
        progress: job.progress,
        result: job.returnvalue ?? null,
        failedReason: job.failedReason || null,
        attemptsMade: job.attemptsMade,
        data: job.data,
        createdAt: new Date(job.timestamp),
        startedAt: job.processedOn ? new Date(job.processedOn) : null,
        finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
      };
    }
    return undefined;
  };

  const queueOf = (jobName: ScheduledJobName) => queues[SCHEDULED_JOBS[jobName].queue];

  return {
    backend: backend.kind,
    queueBackend: backend,
    scheduleUnitMs: unitMs,
    enqueueStatusRefresh: (trigger, reason) => addStatus(REFRESH_ALL_JOB, { trigger, ...(reason ? { reason } : {}) }),
    enqueueProjectRefresh: (projectId, trigger) => addStatus(REFRESH_PROJECT_JOB, { trigger, projectId }),
    enqueueServerRefresh: (projectId, serverId, trigger) => addStatus(REFRESH_SERVER_JOB, { trigger, projectId, serverId }),
    enqueuePurge: async (trigger) => {
      const job = await maintenance.add(PURGE_LOGS_JOB, { trigger }, { ...jobOptions, jobId: uuidv7() });
      return { id: job.id ?? "", name: PURGE_LOGS_JOB };
    },
    getJob,
    getProjectJob: async (projectId, jobId) => {
      const job = await getJob(jobId);
      return job && "projectId" in job.data && job.data.projectId === projectId ? job : undefined;
    },
    applySchedule: async (jobName, settings) => {
      const queue = queueOf(jobName);
      if (settings.paused) {
        await queue.removeJobScheduler(jobName);
        return { created: false };
      }
      const every = settings.intervalMinutes * unitMs;
      const existing = await queue.getJobScheduler(jobName);
      if (existing?.every === every) return { created: false };
      // BullMQ starts an `every` scheduler with a run at once: resuming or changing the interval refreshes now.
      await queue.upsertJobScheduler(jobName, { every }, { name: jobName, data: { trigger: "schedule" }, opts: jobOptions });
      return { created: existing === undefined };
    },
    getSchedule: async (jobName) => {
      const scheduler = await queueOf(jobName).getJobScheduler(jobName);
      return { everyMs: scheduler?.every ?? null, nextRunAt: scheduler?.next ? new Date(scheduler.next) : null };
    },
    getCounts: async (queueName) => {
      const c = await queues[queueName].getJobCounts("waiting", "active", "delayed", "completed", "failed");
      return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 };
    },
    getWorkerCount: async (queueName) => (await queues[queueName].getWorkers()).length,
    hooks: {
      serverChanged: async (projectId, serverId) => {
        await addStatus(REFRESH_SERVER_JOB, { trigger: "change", projectId, serverId });
      },
    },
    close: async () => {
      await Promise.allSettled([status.close(), maintenance.close()]);
      await backend.close();
    },
  };
}
