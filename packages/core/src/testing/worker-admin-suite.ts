/**
 * The worker's behaviour, run once per queue backend (Redis and Postgres): schedule, pause and
 * resume, interval changes, run now, run history, on-demand refreshes, retries and failures.
 * One "minute" of interval is one second here (`scheduleUnitMs`).
 */
import { and, eq, getServer, insertWorkerRun, listWorkerRuns, schema, type McpServer, type Project, type WorkerRun } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getWorkerJob,
  getWorkerStatus,
  listWorkerJobRuns,
  pauseWorkerJob,
  resumeWorkerJob,
  runWorkerJobNow,
  setWorkerJobInterval,
} from "../services/worker-admin";
import { PURGE_LOGS_JOB, REFRESH_ALL_JOB, REFRESH_SERVER_JOB, STATUS_QUEUE } from "../jobs/definitions";
import { getRefreshJobOrThrow, requestServerRefresh } from "../jobs/refresh-requests";
import { closeAbandonedRuns, syncSchedules } from "../jobs/schedule-keeper";
import type { BackendKind } from "../jobs/queue-backend";
import { createJobWorld, FIXTURE_ARGS, waitFor, type JobWorld } from "./job-world";

export function defineWorkerAdminSuite(backend: BackendKind): void {
  let w: JobWorld;
  let project: Project;
  let server: McpServer;
  const deps = () => ({ db: w.tdb.db, queues: w.queues });

  const runs = async (jobName: string, trigger?: WorkerRun["trigger"]): Promise<WorkerRun[]> =>
    (await listWorkerRuns(w.tdb.db, { jobName, limit: 200 })).items.filter((r) => !trigger || r.trigger === trigger);
  const scheduledRuns = () => runs(REFRESH_ALL_JOB, "schedule");
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const activityTypes = async () => (await w.tdb.db.select().from(schema.activities).where(eq(schema.activities.targetType, "worker_job"))).map((a) => a.type);

  beforeAll(async () => {
    w = await createJobWorld(backend);
    project = await w.makeProject();
    server = await w.addStdio(project, "fixture", [...FIXTURE_ARGS]);
  });
  afterAll(async () => {
    await w?.close();
  });

  describe(`worker on the ${backend} backend`, () => {
    it("fires the scheduled refresh and records every run in a paginated history", async () => {
      const { created } = await syncSchedules(w.tdb.db, w.queues);
      expect(created.sort()).toEqual([PURGE_LOGS_JOB, REFRESH_ALL_JOB]);
      await setWorkerJobInterval(deps(), w.admin, REFRESH_ALL_JOB, 1);
      await waitFor(async () => (await scheduledRuns()).filter((r) => r.status === "success").length >= 3, "three scheduled runs");
      const done = (await scheduledRuns()).filter((r) => r.status === "success");
      expect(done[0]).toMatchObject({ serversChecked: 1, serversOnline: 1, serversOffline: 0, errors: [] });
      expect(done[0]?.durationMs).toBeGreaterThanOrEqual(0);
      expect((await getServer(w.tdb.db, project.id, server.id))?.status).toBe("online");

      const first = await listWorkerJobRuns(deps(), w.admin, { jobName: REFRESH_ALL_JOB, limit: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.nextCursor).not.toBeNull();
      const second = await listWorkerJobRuns(deps(), w.admin, { jobName: REFRESH_ALL_JOB, limit: 2, before: first.nextCursor ?? "" });
      const firstIds = new Set(first.items.map((r) => r.id));
      expect(second.items.length).toBeGreaterThan(0);
      expect(second.items.every((r) => !firstIds.has(r.id) && r.startedAt <= (first.items[1]?.startedAt ?? new Date(0)))).toBe(true);
      // The purge scheduler ran once at creation too.
      await waitFor(async () => (await runs(PURGE_LOGS_JOB)).some((r) => r.status === "success"), "the first purge");
    });

    it("reports status: schedule, last run, queue counts and connected workers", async () => {
      const status = await getWorkerStatus(deps(), w.admin);
      expect(status.backend).toBe(backend);
      const refresh = status.jobs.find((j) => j.jobName === REFRESH_ALL_JOB);
      expect(refresh).toMatchObject({ state: "running", intervalMinutes: 1, minIntervalMinutes: 1, maxIntervalMinutes: 60 });
      expect(refresh?.nextRunAt).toBeInstanceOf(Date);
      expect(refresh?.lastRun?.jobName).toBe(REFRESH_ALL_JOB);
      expect(status.queues[STATUS_QUEUE].workers).toBeGreaterThanOrEqual(1);
      expect(status.queues[STATUS_QUEUE].completed).toBeGreaterThanOrEqual(3);
    });

    it("stops scheduled runs while paused and restarts them on resume", async () => {
      const paused = await pauseWorkerJob(deps(), w.admin, REFRESH_ALL_JOB);
      expect(paused).toMatchObject({ state: "paused", nextRunAt: null });
      await sleep(1_500); // a run already started may finish
      const before = (await scheduledRuns()).length;
      await sleep(3_000);
      expect((await scheduledRuns()).length).toBe(before);
      expect((await w.queues.getSchedule(REFRESH_ALL_JOB)).everyMs).toBeNull();

      const resumed = await resumeWorkerJob(deps(), w.admin, REFRESH_ALL_JOB);
      expect(resumed.state).toBe("running");
      await waitFor(async () => (await scheduledRuns()).length >= before + 2, "scheduled runs after resume", 8_000);
      expect(await activityTypes()).toEqual(expect.arrayContaining(["worker.paused", "worker.resumed"]));
      const [row] = await w.tdb.db.select().from(schema.activities).where(eq(schema.activities.type, "worker.paused"));
      expect(row).toMatchObject({ teamId: null, actorUserId: w.admin.kind === "user" ? w.admin.userId : "", targetId: REFRESH_ALL_JOB });
    });

    it("applies an interval change to the schedule", async () => {
      await setWorkerJobInterval(deps(), w.admin, REFRESH_ALL_JOB, 3);
      expect((await w.queues.getSchedule(REFRESH_ALL_JOB)).everyMs).toBe(3_000);
      const from = (await scheduledRuns()).length;
      await waitFor(async () => (await scheduledRuns()).length >= from + 3, "three runs at the new interval", 12_000);
      const recent = (await scheduledRuns()).slice(0, 2);
      const gap = (recent[0]?.startedAt.getTime() ?? 0) - (recent[1]?.startedAt.getTime() ?? 0);
      expect(gap).toBeGreaterThan(2_300);
      expect(gap).toBeLessThan(4_500);
      const changes = await w.tdb.db.select().from(schema.activities).where(eq(schema.activities.type, "worker.interval_changed"));
      expect(changes.map((c) => c.metadata).sort((a, b) => Number(a.to) - Number(b.to))).toEqual([
        { from: 5, to: 1 },
        { from: 1, to: 3 },
      ]);
      await expect(setWorkerJobInterval(deps(), w.admin, REFRESH_ALL_JOB, 61)).rejects.toMatchObject({ code: "invalid_input" });
      await expect(setWorkerJobInterval(deps(), w.admin, REFRESH_ALL_JOB, 0)).rejects.toMatchObject({ code: "invalid_input" });
      await expect(setWorkerJobInterval(deps(), w.admin, REFRESH_ALL_JOB, 1.5)).rejects.toMatchObject({ code: "invalid_input" });
      await expect(setWorkerJobInterval(deps(), w.admin, PURGE_LOGS_JOB, 60)).rejects.toMatchObject({ code: "invalid_input" });
      await pauseWorkerJob(deps(), w.admin, REFRESH_ALL_JOB);
    });

    it("runs a job now, even while paused, with progress and a result to poll", async () => {
      const job = await runWorkerJobNow(deps(), w.admin, REFRESH_ALL_JOB);
      const info = await waitFor(async () => {
        const j = await getWorkerJob(deps(), w.admin, job.id);
        // The Postgres backend can show the state a moment before the result it stored with it.
        return j.state === "completed" && j.result ? j : undefined;
      }, "the manual run");
      expect(info.progress).toMatchObject({ total: 1, done: 1, online: 1 });
      expect(info.result).toMatchObject({ done: 1, online: 1 });
      const run = (await runs(REFRESH_ALL_JOB, "manual"))[0];
      expect(run).toMatchObject({ jobId: job.id, status: "success", serversChecked: 1 });
      expect(await activityTypes()).toContain("worker.run_requested");

      const purge = await runWorkerJobNow(deps(), w.admin, PURGE_LOGS_JOB);
      const purged = await waitFor(async () => {
        const j = await getWorkerJob(deps(), w.admin, purge.id);
        return j.state === "completed" ? j : undefined;
      }, "the manual purge");
      expect(purged.result).toMatchObject({ projects: 1, logsDeleted: 0 });
      await expect(getWorkerJob(deps(), w.admin, "no-such-job")).rejects.toMatchObject({ code: "not_found" });
    });

    it("refreshes a server right after it changes, as a job its project can follow", async () => {
      const other = await w.makeProject();
      const added = await w.addStdio(project, "added", [...FIXTURE_ARGS]);
      await w.queues.hooks.serverChanged(project.id, added.id);
      const run = await waitFor(async () => (await runs(REFRESH_SERVER_JOB, "change")).find((r) => r.status === "success"), "the change-triggered refresh");
      expect(run.serversChecked).toBe(1);
      expect((await getServer(w.tdb.db, project.id, added.id))?.status).toBe("online");

      const job = await requestServerRefresh(deps(), project.id, added.id);
      const info = await waitFor(async () => {
        const j = await getRefreshJobOrThrow(deps(), project.id, job.id);
        return j.state === "completed" ? j : undefined;
      }, "the on-demand refresh");
      expect(info.result).toMatchObject({ total: 1, done: 1, online: 1 });
      await expect(getRefreshJobOrThrow(deps(), other.id, job.id)).rejects.toMatchObject({ code: "not_found" });
      await expect(requestServerRefresh(deps(), other.id, added.id)).rejects.toMatchObject({ code: "not_found" });
    });

    it("retries a job that throws and records the failed attempt", async () => {
      w.failProbes(1, server.id);
      const job = await w.queues.enqueueServerRefresh(project.id, server.id, "manual");
      const info = await waitFor(async () => {
        const j = await w.queues.getJob(job.id);
        return j?.state === "completed" ? j : undefined;
      }, "the retried job");
      expect(info.attemptsMade).toBe(2);
      const attempts = (await runs(REFRESH_SERVER_JOB)).filter((r) => r.jobId === job.id);
      expect(attempts.map((r) => r.status).sort()).toEqual(["failed", "success"]);
      expect(attempts.find((r) => r.status === "failed")?.errors).toEqual([{ message: "probe exploded" }]);
    });

    it("marks a job failed after its last attempt, never silently", async () => {
      w.failProbes(2, server.id);
      const job = await w.queues.enqueueServerRefresh(project.id, server.id, "manual");
      const info = await waitFor(async () => {
        const j = await w.queues.getJob(job.id);
        return j?.state === "failed" ? j : undefined;
      }, "the failed job");
      expect(info.failedReason).toBe("probe exploded");
      const attempts = (await runs(REFRESH_SERVER_JOB)).filter((r) => r.jobId === job.id);
      expect(attempts.map((r) => r.status)).toEqual(["failed", "failed"]);
      expect((await w.queues.getCounts(STATUS_QUEUE)).failed).toBeGreaterThanOrEqual(1);
    });

    it("closes runs whose worker died mid-run, after a grace period", async () => {
      const orphan = await insertWorkerRun(w.tdb.db, { jobName: REFRESH_SERVER_JOB, jobId: "job-that-no-longer-exists", trigger: "manual" });
      await w.tdb.db.update(schema.workerRuns).set({ startedAt: new Date(Date.now() - 120_000) }).where(eq(schema.workerRuns.id, orphan.id));
      const recent = await insertWorkerRun(w.tdb.db, { jobName: REFRESH_SERVER_JOB, jobId: "another-missing-job", trigger: "manual" });
      expect(await closeAbandonedRuns(w.tdb.db, w.queues, 60_000)).toBe(1);
      const byId = new Map((await runs(REFRESH_SERVER_JOB)).map((r) => [r.id, r]));
      expect(byId.get(orphan.id)).toMatchObject({ status: "failed", errors: [{ message: expect.stringContaining("worker stopped") as unknown }] });
      expect(byId.get(recent.id)?.status).toBe("running");
      await w.tdb.db.delete(schema.workerRuns).where(eq(schema.workerRuns.id, recent.id));
    });

    it("lets only instance admins use the controls", async () => {
      const calls = [
        () => getWorkerStatus(deps(), w.nonAdmin),
        () => pauseWorkerJob(deps(), w.nonAdmin, REFRESH_ALL_JOB),
        () => resumeWorkerJob(deps(), w.nonAdmin, REFRESH_ALL_JOB),
        () => setWorkerJobInterval(deps(), w.nonAdmin, REFRESH_ALL_JOB, 2),
        () => runWorkerJobNow(deps(), w.nonAdmin, REFRESH_ALL_JOB),
        () => listWorkerJobRuns(deps(), w.nonAdmin),
        () => getWorkerJob(deps(), w.nonAdmin, "1"),
      ];
      for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "forbidden" });
      await expect(pauseWorkerJob(deps(), w.admin, "rm-rf")).rejects.toMatchObject({ code: "invalid_input" });
      const settings = await w.tdb.db.select().from(schema.workerSettings).where(and(eq(schema.workerSettings.jobName, REFRESH_ALL_JOB)));
      expect(settings[0]).toMatchObject({ paused: true, intervalMinutes: 3 });
    });
  });
}
