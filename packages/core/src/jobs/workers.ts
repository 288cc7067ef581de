/** `@switchyard/core/workers`: the worker side of the job queues (processors, schedules, log purge). Worker process only. */
export * from "./job-workers";
export * from "./schedule-keeper";
export * from "./processors";
export * from "./purge-logs";
