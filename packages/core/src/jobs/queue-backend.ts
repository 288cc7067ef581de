/**
 * One code path for BullMQ on two backends (the README's runtime modes): Redis when a URL is given, otherwise
 * BullMQ's Postgres backend in the application's own database (schema `bullmq`). Everything
 * above this file creates queues and workers through it and never knows which backend runs.
 */
import {
  Queue,
  Worker,
  createPostgresBackend,
  withBackend,
  type IQueueBackend,
  type Processor,
} from "bullmq";
// Not re-exported by the package root; type-only, so nothing is loaded from this path at run time.
import type { ExtractDataType, ExtractNameType, ExtractResultType } from "bullmq/dist/esm/types/queue-type";
import { Redis } from "ioredis";

export type BackendKind = "redis" | "postgres";

export interface QueueBackendOptions {
  /** Redis backend when set. */
  redisUrl?: string | undefined;
  /** Postgres backend otherwise (the application database). */
  databaseUrl: string;
  /** Redis key prefix (default `switchyard`); the Postgres backend namespaces by schema instead. */
  prefix?: string;
  /** Connection-level errors (Redis or Postgres unreachable). They are reported, never thrown. */
  onError?: (source: string, error: Error) => void;
}

type QueueMethods =
  | "add"
  | "getJob"
  | "upsertJobScheduler"
  | "removeJobScheduler"
  | "getJobScheduler"
  | "getJobCounts"
  | "getWorkers"
  | "close"
  | "obliterate"
  | "waitUntilReady";
type WorkerMethods = "close" | "isRunning" | "waitUntilReady";
/** The queue and worker methods used above this file: the same on both backends. */
export type AnyQueue<D> = Pick<
  Queue<D, unknown, string, ExtractDataType<D, D>, ExtractResultType<D, unknown>, ExtractNameType<D, string>, IQueueBackend, unknown>,
  QueueMethods
>;
export type AnyWorker<D, R> = Pick<Worker<D, R, string, IQueueBackend, number | object, unknown>, WorkerMethods>;

interface FailedJob {
  id?: string | undefined;
  name: string;
  attemptsMade: number;
}

export interface WorkerSettings {
  concurrency: number;
  /** How long a job may go without renewing its lock before it counts as stalled (default 30 s). */
  lockDurationMs?: number;
  /** A job attempt threw (it is retried while attempts remain). */
  onFailed?: (job: FailedJob | undefined, error: Error) => void;
}

export interface QueueBackend {
  kind: BackendKind;
  createQueue<D>(name: string): AnyQueue<D>;
  createWorker<D, R>(name: string, processor: Processor<D, R>, settings: WorkerSettings): AnyWorker<D, R>;
  /** Closes the connections this backend opened; close its queues and workers first. */
  close(): Promise<void>;
}

/** Postgres pool per queue or worker: small, the LISTEN connection is separate. */
const PG_POOL_MAX = 3;
const Postgres = withBackend(createPostgresBackend);

interface Emitter {
  on(event: "error", listener: (e: Error) => void): unknown;
}
interface WorkerEmitter {
  on(event: "error", listener: (e: Error) => void): unknown;
  on(event: "failed", listener: (job: FailedJob | undefined, e: Error) => void): unknown;
}

export function createQueueBackend(options: QueueBackendOptions): QueueBackend {
  // Without an 'error' listener an EventEmitter throws, and a lost connection would crash the process.
  const watch = <T extends Emitter>(source: string, emitter: T): T => {
    emitter.on("error", (e) => options.onError?.(source, e));
    return emitter;
  };
  const watchWorker = <T extends WorkerEmitter>(name: string, worker: T, settings: WorkerSettings): T => {
    watch(`worker:${name}`, worker);
    worker.on("failed", (job, e) => settings.onFailed?.(job, e));
    return worker;
  };
  const workerOpts = (settings: WorkerSettings) => ({
    concurrency: settings.concurrency,
    ...(settings.lockDurationMs ? { lockDuration: settings.lockDurationMs } : {}),
  });

  if (options.redisUrl) {
    const prefix = options.prefix ?? "switchyard";
    // Queues fail fast while Redis is down (an enqueue from the console must not hang);
    // workers block and retry forever, as BullMQ requires of their connection.
    const queueConnection = watch("redis", new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }));
    const workerConnection = watch("redis", new Redis(options.redisUrl, { maxRetriesPerRequest: null }));
    return {
      kind: "redis",
      createQueue: <D>(name: string): AnyQueue<D> => watch(`queue:${name}`, new Queue<D, unknown>(name, { connection: queueConnection, prefix })),
      createWorker: <D, R>(name: string, processor: Processor<D, R>, settings: WorkerSettings): AnyWorker<D, R> =>
        watchWorker(name, new Worker<D, R>(name, processor, { connection: workerConnection, prefix, ...workerOpts(settings) }), settings),
      close: () => {
        queueConnection.disconnect();
        workerConnection.disconnect();
        return Promise.resolve();
      },
    };
  }

  const connection = (applicationName: string) => ({
    connectionString: options.databaseUrl,
    // Creates or upgrades the `bullmq` schema on first use (serialised by an advisory lock).
    migrate: true,
    max: PG_POOL_MAX,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
    application_name: applicationName,
  });
  return {
    kind: "postgres",
    createQueue: <D>(name: string): AnyQueue<D> =>
      watch(`queue:${name}`, new Postgres.Queue<D, unknown>(name, { connection: connection(`switchyard-queue:${name}`) })),
    createWorker: <D, R>(name: string, processor: Processor<D, R>, settings: WorkerSettings): AnyWorker<D, R> =>
      watchWorker(name, new Postgres.Worker<D, R>(name, processor, { connection: connection(`switchyard-worker:${name}`), ...workerOpts(settings) }), settings),
    // Each Postgres queue and worker owns its pool and closes it itself.
    close: () => Promise.resolve(),
  };
}
