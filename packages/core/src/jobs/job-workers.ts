/** The BullMQ workers that run Switchyard's jobs, on the same backend as the queues. */
import { MAINTENANCE_QUEUE, STATUS_QUEUE, type MaintenanceJobData, type StatusJobData } from "./definitions";
import type { JobQueues } from "./job-queues";
import { createMaintenanceProcessor, createStatusProcessor, type JobProcessorDeps, type MaintenanceJobResult, type StatusJobResult } from "./processors";
import type { AnyWorker, WorkerSettings } from "./queue-backend";

export interface JobWorkersOptions {
  /**
   * Status jobs run at once (default 2), so a project refresh asked for in the console does not
   * wait behind a full scheduled run. Servers within one run are bounded by `refresh.concurrency`.
   */
  statusConcurrency?: number;
  lockDurationMs?: number;
  onFailed?: WorkerSettings["onFailed"];
}

export interface JobWorkers {
  waitUntilReady(): Promise<void>;
  /**
   * Stops taking jobs and waits up to `graceMs` (default 10 s) for running ones; after that they
   * are abandoned and BullMQ hands them to the next worker as stalled (they are not lost).
   */
  close(graceMs?: number): Promise<void>;
}

export function startJobWorkers(queues: JobQueues, deps: JobProcessorDeps, options: JobWorkersOptions = {}): JobWorkers {
  const common = {
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    ...(options.onFailed ? { onFailed: options.onFailed } : {}),
  };
  const workers: AnyWorker<StatusJobData | MaintenanceJobData, unknown>[] = [
    queues.queueBackend.createWorker<StatusJobData, StatusJobResult>(STATUS_QUEUE, createStatusProcessor(deps), {
      concurrency: options.statusConcurrency ?? 2,
      ...common,
    }),
    queues.queueBackend.createWorker<MaintenanceJobData, MaintenanceJobResult>(MAINTENANCE_QUEUE, createMaintenanceProcessor(deps), {
      concurrency: 1,
      ...common,
    }),
  ];
  return {
    waitUntilReady: async () => {
      await Promise.all(workers.map((w) => w.waitUntilReady()));
    },
    close: async (graceMs = 10_000) => {
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.allSettled(workers.map((w) => w.close()));
      const expired = new Promise<"expired">((resolve) => (timer = setTimeout(() => resolve("expired"), graceMs)));
      const outcome = await Promise.race([graceful, expired]);
      clearTimeout(timer);
      if (outcome === "expired") await Promise.allSettled(workers.map((w) => w.close(true)));
    },
  };
}
