/**
 * Runs the background worker (docs/ARCHITECTURE.md): BullMQ workers for the status and maintenance queues,
 * their job schedulers kept in line with `worker_settings`, and a status refresh at start.
 * Redis or Postgres going away is logged, never fatal: BullMQ and the database client reconnect,
 * and the schedule keeper re-creates schedules a Redis restart lost.
 */
import { mkdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { REFRESH_ALL_JOB, createJobQueues, type JobQueues } from "@switchyard/core/queues";
import { createServerProbe, type RefreshOptions } from "@switchyard/core/status";
import { publishChange } from "@switchyard/core/changes";
import { startJobWorkers, startScheduleKeeper, syncSchedules } from "@switchyard/core/workers";
import { createDb, getWorkerSettings, type Database } from "@switchyard/db";
import type { Config } from "../config";
import { createLogger, type Logger } from "../logger";

/** Tunables with production defaults; tests and the benchmark shorten them. */
export interface WorkerOptions extends Pick<RefreshOptions, "concurrency" | "remoteConcurrency" | "connectTimeoutMs" | "callTimeoutMs" | "slowMs"> {
  /** Status jobs run at once (default 2). */
  statusConcurrency?: number;
  /** How often schedules are re-checked against the settings (default 30 s). */
  keeperIntervalMs?: number;
  /** How long close() waits for running jobs (default 10 s). */
  shutdownGraceMs?: number;
  /** Refresh every server once at start (default true). */
  startupRefresh?: boolean;
  /** Tests only: see JobQueuesOptions. */
  scheduleUnitMs?: number;
  attempts?: number;
  backoffMs?: number;
  /** Redis key prefix (tests run side by side on one Redis). */
  prefix?: string;
}

export interface RunningWorker {
  queues: JobQueues;
  close(): Promise<void>;
}

/** Backend errors repeat every reconnect attempt; one line per source per interval is enough. */
function throttled(log: Logger, everyMs = 10_000): (source: string, e: unknown) => void {
  const last = new Map<string, number>();
  return (source, e) => {
    const now = Date.now();
    if (now - (last.get(source) ?? 0) < everyMs) return;
    last.set(source, now);
    log("warn", "queue backend unreachable; retrying", { source, error: e instanceof Error ? e.message : String(e) });
  };
}

/** Retries until it succeeds or the worker stops: the backends may come up after the worker. */
async function untilDone(what: string, fn: () => Promise<void>, stop: AbortSignal, log: Logger): Promise<void> {
  for (let delay = 1_000; !stop.aborted; delay = Math.min(delay * 2, 30_000)) {
    try {
      await fn();
      return;
    } catch (e) {
      log("warn", `${what} failed; retrying`, { error: e instanceof Error ? e.message : String(e), retryInMs: delay });
      await sleep(delay, undefined, { signal: stop }).catch(() => undefined);
    }
  }
}

async function startupRefresh(db: Database, queues: JobQueues): Promise<void> {
  const { created } = await syncSchedules(db, queues);
  // A scheduler created just now already runs once at creation; a paused schedule means no automatic runs.
  if (created.includes(REFRESH_ALL_JOB) || (await getWorkerSettings(db, REFRESH_ALL_JOB))?.paused) return;
  await queues.enqueueStatusRefresh("schedule", "startup");
}

export async function startWorker(config: Config & { databaseUrl: string }, options: WorkerOptions = {}): Promise<RunningWorker> {
  const log = createLogger("worker", config.env.LOG_LEVEL);
  const concurrency = options.concurrency ?? 8;
  const scratchRoot = config.scratchDir;
  // Stdio servers probed here get their HOME and cwd under it, as in the gateway.
  await mkdir(scratchRoot, { recursive: true, mode: 0o700 });
  const handle = createDb(config.databaseUrl, { max: concurrency + 4, applicationName: "switchyard-worker" });
  const queues = createJobQueues({
    redisUrl: config.redisUrl,
    databaseUrl: config.databaseUrl,
    onError: throttled(log),
    ...(options.prefix ? { prefix: options.prefix } : {}),
    ...(options.scheduleUnitMs ? { scheduleUnitMs: options.scheduleUnitMs } : {}),
    ...(options.attempts ? { attempts: options.attempts } : {}),
    ...(options.backoffMs ? { backoffMs: options.backoffMs } : {}),
  });
  const probe = createServerProbe({
    keyring: config.keyring,
    policy: config.policy,
    scratchRoot,
    packageCacheDir: config.packageCacheDir,
    installTimeoutMs: config.installTimeoutMs,
    childPath: config.childPath,
    sandbox: config.sandbox,
    selfUrls: [config.publicGatewayUrl],
  });
  const refresh: Omit<RefreshOptions, "onProgress"> = {
    concurrency,
    ...(options.remoteConcurrency ? { remoteConcurrency: options.remoteConcurrency } : {}),
    ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
    ...(options.slowMs ? { slowMs: options.slowMs } : {}),
  };
  const workers = startJobWorkers(
    queues,
    {
      db: handle.db,
      probe,
      refresh,
      // Gateways reload the project's catalogue at once (and tell its sessions list_changed) instead of at their next freshness check.
      catalogueChanged: (projectId) => publishChange(handle.sql, { type: "project.changed", projectId }),
    },
    {
      ...(options.statusConcurrency ? { statusConcurrency: options.statusConcurrency } : {}),
      onFailed: (job, e) => log("error", "job attempt failed", { job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, error: e.message }),
    },
  );
  const stop = new AbortController();
  const keeper = startScheduleKeeper(handle.db, queues, {
    ...(options.keeperIntervalMs ? { intervalMs: options.keeperIntervalMs } : {}),
    onError: (e) => log("warn", "schedule sync failed; retrying", { error: e instanceof Error ? e.message : String(e) }),
  });
  const starting =
    options.startupRefresh === false
      ? untilDone("schedule sync", () => syncSchedules(handle.db, queues).then(() => undefined), stop.signal, log)
      : untilDone("startup refresh", () => startupRefresh(handle.db, queues), stop.signal, log);
  log("info", "worker started", { backend: queues.backend, concurrency });

  return {
    queues,
    close: async () => {
      stop.abort();
      keeper.stop();
      await starting;
      await workers.close(options.shutdownGraceMs);
      await queues.close();
      await handle.close();
      log("info", "worker stopped");
    },
  };
}
