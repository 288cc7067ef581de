/** The worker's queues, job names and the data each job carries (docs/ARCHITECTURE.md). */
import type { WorkerTrigger } from "@switchyard/shared";

/** Status refreshes: the scheduled full run and the on-demand project and server runs. */
export const STATUS_QUEUE = "switchyard-status";
/** Housekeeping: log retention. A long purge never holds up a status refresh. */
export const MAINTENANCE_QUEUE = "switchyard-maintenance";
export type QueueName = typeof STATUS_QUEUE | typeof MAINTENANCE_QUEUE;

export const REFRESH_ALL_JOB = "refresh-server-status";
export const REFRESH_PROJECT_JOB = "refresh-project";
export const REFRESH_SERVER_JOB = "refresh-server";
export const PURGE_LOGS_JOB = "purge-logs";

export type StatusJobName = typeof REFRESH_ALL_JOB | typeof REFRESH_PROJECT_JOB | typeof REFRESH_SERVER_JOB;
export type MaintenanceJobName = typeof PURGE_LOGS_JOB;
export type JobName = StatusJobName | MaintenanceJobName;

export interface StatusJobData {
  trigger: WorkerTrigger;
  /** Set for `refresh-project` and `refresh-server`. */
  projectId?: string;
  /** Set for `refresh-server`. */
  serverId?: string;
  /** Why a run started beyond its trigger (e.g. "startup"). */
  reason?: string;
}

export interface MaintenanceJobData {
  trigger: WorkerTrigger;
}

export interface ScheduledJobDefinition {
  queue: QueueName;
  defaultIntervalMinutes: number;
  minIntervalMinutes: number;
  maxIntervalMinutes: number;
  description: string;
}

/** Jobs that run on a job scheduler; each has a `worker_settings` row (interval, paused). */
export const SCHEDULED_JOBS = {
  [REFRESH_ALL_JOB]: {
    queue: STATUS_QUEUE,
    defaultIntervalMinutes: 5,
    minIntervalMinutes: 1,
    maxIntervalMinutes: 60,
    description: "Probe every enabled server: status, latency, server info and tool catalogue",
  },
  [PURGE_LOGS_JOB]: {
    queue: MAINTENANCE_QUEUE,
    defaultIntervalMinutes: 24 * 60,
    minIntervalMinutes: 24 * 60,
    maxIntervalMinutes: 24 * 60,
    description: "Drop expired log partitions and apply each project's retention",
  },
} as const satisfies Record<string, ScheduledJobDefinition>;

export type ScheduledJobName = keyof typeof SCHEDULED_JOBS;
export const SCHEDULED_JOB_NAMES = Object.keys(SCHEDULED_JOBS) as ScheduledJobName[];

export function isScheduledJobName(name: string): name is ScheduledJobName {
  return Object.hasOwn(SCHEDULED_JOBS, name);
}

export function queueOfJob(name: JobName): QueueName {
  return name === PURGE_LOGS_JOB ? MAINTENANCE_QUEUE : STATUS_QUEUE;
}
