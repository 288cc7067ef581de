import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { createDb, type Executor } from "./client";
import { MIGRATIONS_DIR } from "./paths";

/** Days of `tool_call_logs` partitions kept ready ahead of today. */
export const LOG_PARTITION_DAYS_AHEAD = 7;

/** Creates the daily `tool_call_logs` partitions from yesterday to `daysAhead` days ahead (idempotent). */
export async function ensureLogPartitions(db: Executor, daysAhead = LOG_PARTITION_DAYS_AHEAD): Promise<void> {
  await db.execute(sql`select switchyard_ensure_log_partitions((now() at time zone 'utc')::date - 1, ${daysAhead + 1})`);
}

/** Applies every pending migration, then makes sure log partitions exist. Safe to run concurrently. */
export async function runMigrations(url: string): Promise<void> {
  const handle = createDb(url, { max: 1, applicationName: "switchyard-migrate" });
  try {
    // Serialise concurrent migrators (two gateways starting at once) on one advisory lock.
    await handle.sql`select pg_advisory_lock(7244201)`;
    try {
      await migrate(handle.db, { migrationsFolder: MIGRATIONS_DIR });
      await ensureLogPartitions(handle.db);
    } finally {
      await handle.sql`select pg_advisory_unlock(7244201)`;
    }
  } finally {
    await handle.close();
  }
}
