/** JSON-safe shapes of the worker-admin service's answers for the admin page. */
import type { ScheduledJobStatus, WorkerStatus } from "@switchyard/core/services";
import type { WorkerRun } from "@switchyard/db";

export interface WorkerRunView {
  id: string;
  jobName: string;
  trigger: WorkerRun["trigger"];
  status: WorkerRun["status"];
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  serversChecked: number;
  serversOnline: number;
  serversOffline: number;
  errors: { serverId?: string; message: string }[];
}

export interface JobStatusView {
  jobName: string;
  description: string;
  state: ScheduledJobStatus["state"];
  intervalMinutes: number;
  minIntervalMinutes: number;
  maxIntervalMinutes: number;
  nextRunAt: string | null;
  lastRun: WorkerRunView | null;
}

export interface WorkerStatusView {
  backend: WorkerStatus["backend"];
  jobs: JobStatusView[];
  queues: { name: string; waiting: number; active: number; delayed: number; completed: number; failed: number; workers: number }[];
}

export function toWorkerRunView(run: WorkerRun): WorkerRunView {
  return {
    id: run.id,
    jobName: run.jobName,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.durationMs,
    serversChecked: run.serversChecked,
    serversOnline: run.serversOnline,
    serversOffline: run.serversOffline,
    errors: run.errors,
  };
}

export function toWorkerStatusView(status: WorkerStatus): WorkerStatusView {
  return {
    backend: status.backend,
    jobs: status.jobs.map((j) => ({
      jobName: j.jobName,
      description: j.description,
      state: j.state,
      intervalMinutes: j.intervalMinutes,
      minIntervalMinutes: j.minIntervalMinutes,
      maxIntervalMinutes: j.maxIntervalMinutes,
      nextRunAt: j.nextRunAt?.toISOString() ?? null,
      lastRun: j.lastRun ? toWorkerRunView(j.lastRun) : null,
    })),
    queues: Object.entries(status.queues).map(([name, q]) => ({ name, ...q })),
  };
}
