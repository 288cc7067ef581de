/** Background jobs' bookkeeping: `worker_runs` (one row per job run) and `worker_settings` (per job). */
import { and, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import type { WorkerRunStatus, WorkerTrigger } from "@switchyard/shared";
import type { Executor } from "../client";
import { workerRuns, workerSettings, type WorkerRunError } from "../schema";
import { keysetPage, olderThanCursor, pageLimit, type Page } from "./keyset";

export type { WorkerRunError };
export type WorkerRun = typeof workerRuns.$inferSelect;
export type WorkerSettings = typeof workerSettings.$inferSelect;

export async function insertWorkerRun(
  db: Executor,
  values: { jobName: string; jobId: string | null; trigger: WorkerTrigger; details?: Record<string, unknown> },
): Promise<WorkerRun> {
  const [row] = await db.insert(workerRuns).values(values).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export interface WorkerRunOutcome {
  status: Exclude<WorkerRunStatus, "running">;
  serversChecked?: number;
  serversOnline?: number;
  serversOffline?: number;
  errors?: WorkerRunError[];
  details?: Record<string, unknown>;
}

/** Closes a run (`details` merge into the run's own); duration is measured by the database so clock skew between hosts cannot distort it. */
export async function finishWorkerRun(db: Executor, runId: string, outcome: WorkerRunOutcome): Promise<WorkerRun | undefined> {
  const { details, ...rest } = outcome;
  const [row] = await db
    .update(workerRuns)
    .set({
      ...rest,
      // Merged into what the run started with (scope, attempt, reason).
      ...(details ? { details: sql`${workerRuns.details} || ${JSON.stringify(details)}::jsonb` } : {}),
      finishedAt: sql`now()`,
      durationMs: sql`greatest(0, round(extract(epoch from (now() - ${workerRuns.startedAt})) * 1000))::int`,
    })
    // Only a running run is closed: one already closed as abandoned keeps that verdict.
    .where(and(eq(workerRuns.id, runId), eq(workerRuns.status, "running")))
    .returning();
  return row;
}

/** Runs still marked `running` that started before `startedBefore` (candidates for an abandoned-run check). */
export async function listRunningWorkerRuns(db: Executor, startedBefore: Date): Promise<WorkerRun[]> {
  return db
    .select()
    .from(workerRuns)
    .where(and(eq(workerRuns.status, "running"), lt(workerRuns.startedAt, startedBefore)))
    .orderBy(workerRuns.startedAt)
    .limit(100);
}

export type WorkerRunPage = Page<WorkerRun>;

/** Run history, newest first, keyset-paginated; optionally one job's runs only. */
export async function listWorkerRuns(db: Executor, opts: { jobName?: string; before?: string; limit?: number } = {}): Promise<WorkerRunPage> {
  const limit = pageLimit(opts.limit, 25);
  const conds: SQL[] = [];
  if (opts.jobName) conds.push(eq(workerRuns.jobName, opts.jobName));
  const older = olderThanCursor(workerRuns.startedAt, workerRuns.id, opts.before);
  if (older) conds.push(older);
  const rows = await db
    .select()
    .from(workerRuns)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(workerRuns.startedAt), desc(workerRuns.id))
    .limit(limit + 1);
  return keysetPage(rows, limit, (r) => ({ at: r.startedAt, id: r.id }));
}

export async function getLastWorkerRun(db: Executor, jobName: string): Promise<WorkerRun | undefined> {
  const [row] = await db.select().from(workerRuns).where(eq(workerRuns.jobName, jobName)).orderBy(desc(workerRuns.startedAt)).limit(1);
  return row;
}

export async function getWorkerRunByJobId(db: Executor, jobId: string): Promise<WorkerRun | undefined> {
  const [row] = await db.select().from(workerRuns).where(eq(workerRuns.jobId, jobId)).orderBy(desc(workerRuns.startedAt)).limit(1);
  return row;
}

export async function deleteWorkerRunsBefore(db: Executor, before: Date): Promise<number> {
  const rows = await db.delete(workerRuns).where(lt(workerRuns.startedAt, before)).returning({ id: workerRuns.id });
  return rows.length;
}

/** Creates a job's settings row with its defaults unless it exists; returns the stored row. */
export async function ensureWorkerSettings(db: Executor, jobName: string, defaults: { intervalMinutes: number }): Promise<WorkerSettings> {
  await db.insert(workerSettings).values({ jobName, intervalMinutes: defaults.intervalMinutes }).onConflictDoNothing();
  const row = await getWorkerSettings(db, jobName);
  if (!row) throw new Error(`worker settings for ${jobName} vanished`);
  return row;
}

export async function getWorkerSettings(db: Executor, jobName: string): Promise<WorkerSettings | undefined> {
  const [row] = await db.select().from(workerSettings).where(eq(workerSettings.jobName, jobName));
  return row;
}

export async function updateWorkerSettings(
  db: Executor,
  jobName: string,
  patch: { intervalMinutes?: number; paused?: boolean; updatedBy?: string | null },
): Promise<WorkerSettings | undefined> {
  const [row] = await db.update(workerSettings).set(patch).where(eq(workerSettings.jobName, jobName)).returning();
  return row;
}
