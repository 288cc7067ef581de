import { index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { id } from "./columns";
import { workerRunStatusEnum, workerTriggerEnum } from "./enums";

export interface WorkerRunError {
  serverId?: string;
  message: string;
}

export const workerRuns = pgTable(
  "worker_runs",
  {
    id: id(),
    jobName: text("job_name").notNull(),
    /** BullMQ job id, to tie a run to its job's progress. */
    jobId: text("job_id"),
    trigger: workerTriggerEnum("trigger").notNull(),
    status: workerRunStatusEnum("status").notNull().default("running"),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    serversChecked: integer("servers_checked").notNull().default(0),
    serversOnline: integer("servers_online").notNull().default(0),
    serversOffline: integer("servers_offline").notNull().default(0),
    errors: jsonb("errors").$type<WorkerRunError[]>().notNull().default([]),
    durationMs: integer("duration_ms"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("worker_runs_job_started_idx").on(t.jobName, t.startedAt.desc())],
);
