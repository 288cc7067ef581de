/**
 * Finds the database a CLI command should use: DATABASE_URL, else the running product's
 * (runtime.json in the data dir), else the data dir's embedded Postgres started just for this command.
 */
import { join } from "node:path";
import { readRuntimeInfo } from "@switchyard/core/runtime";
import { createDb, ensureDatabase, runMigrations, startEmbeddedPostgres, type DbHandle } from "@switchyard/db";
import type { Config } from "../config";

export const EMBEDDED_DATABASE_NAME = "switchyard";

export interface DatabaseLease {
  url: string;
  embedded: boolean;
  release: () => Promise<void>;
}

export function embeddedPostgresDir(config: Config): string {
  return join(config.dataDir, "postgres");
}

/** Starts the data dir's embedded Postgres and returns the URL of the switchyard database in it. */
export async function startEmbeddedDatabase(config: Config, port?: number): Promise<DatabaseLease> {
  const pg = await startEmbeddedPostgres({ dir: embeddedPostgresDir(config), ...(port ? { port } : {}) });
  try {
    const url = await ensureDatabase(pg.url, EMBEDDED_DATABASE_NAME);
    return { url, embedded: true, release: () => pg.stop() };
  } catch (e) {
    await pg.stop();
    throw e;
  }
}

/** A database we did not start: nothing to release. */
export function externalDatabase(url: string, embedded = false): DatabaseLease {
  return { url, embedded, release: () => Promise.resolve() };
}

export async function acquireDatabase(config: Config): Promise<DatabaseLease> {
  if (config.databaseUrl) return externalDatabase(config.databaseUrl);
  const running = await readRuntimeInfo(config.dataDir);
  if (running) return externalDatabase(running.databaseUrl, running.embeddedPostgres);
  const lease = await startEmbeddedDatabase(config);
  try {
    await runMigrations(lease.url);
  } catch (e) {
    await lease.release();
    throw e;
  }
  return lease;
}

/** Runs `fn` with a database handle, then closes it (and a temporary embedded Postgres). */
export async function withDatabase<T>(config: Config, fn: (handle: DbHandle, url: string) => Promise<T>): Promise<T> {
  const lease = await acquireDatabase(config);
  const handle = createDb(lease.url, { max: 2, applicationName: "switchyard-cli" });
  try {
    return await fn(handle, lease.url);
  } finally {
    await handle.close();
    await lease.release();
  }
}
