/**
 * The services' dependencies for this process: one database pool, the keyring and the server
 * policy from the config, the job queues (opened on first use, so pages that only read never
 * touch the queue backend) and the hooks that follow a committed change. Tests inject their own.
 */
import { changePublishingHooks, combineHooks } from "@switchyard/core/changes";
import { createJobQueues, type JobQueues } from "@switchyard/core/queues";
import type { ServiceDeps } from "@switchyard/core/context";
import { createDb, type DbHandle } from "@switchyard/db";
import { getConfig, type WebConfig } from "./config";
import { errorFields, log } from "./log";

export interface WebDeps extends ServiceDeps {
  config: WebConfig;
  sql: DbHandle["sql"];
  /** The BullMQ queues (refresh jobs, worker admin), created lazily. */
  queues: () => JobQueues;
  close: () => Promise<void>;
}

const globalForDeps = globalThis as unknown as { __switchyardWebDeps?: Promise<WebDeps> };

let override: WebDeps | undefined;

/** Test seam: every action, route and page then runs against these deps. */
export function setDepsForTests(deps: WebDeps | undefined): void {
  override = deps;
}

/** Builds deps from a config (the process's own, or a test's). */
export function createWebDeps(config: WebConfig): WebDeps {
  const handle = createDb(config.databaseUrl, { max: 10, applicationName: "switchyard-web" });
  let queues: JobQueues | undefined;
  const getQueues = () => {
    queues ??= createJobQueues({
      redisUrl: config.env.REDIS_URL,
      databaseUrl: config.databaseUrl,
      onError: (source, error) => log("warn", "queue backend error", { source, ...errorFields(error) }),
    });
    return queues;
  };
  return {
    db: handle.db,
    sql: handle.sql,
    keyring: config.keyring,
    policy: config.policy,
    config,
    queues: getQueues,
    hooks: combineHooks(
      // A server added or changed from the console is probed right away by the worker…
      { serverChanged: (projectId, serverId) => getQueues().hooks.serverChanged(projectId, serverId) },
      // …and every gateway hears of revoked keys and changed configuration at once.
      changePublishingHooks(handle.sql),
    ),
    close: async () => {
      await queues?.close();
      await handle.close();
    },
  };
}

export function getDeps(): Promise<WebDeps> {
  if (override) return Promise.resolve(override);
  // Kept on globalThis so dev-mode module reloads do not open a new pool each time.
  globalForDeps.__switchyardWebDeps ??= getConfig().then(createWebDeps);
  return globalForDeps.__switchyardWebDeps;
}
