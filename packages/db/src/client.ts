import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PostgresJsDatabase<Schema>;
/** A database handle or an open transaction: query functions accept either. */
export type Executor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DbHandle {
  db: Database;
  /** The underlying postgres.js client, for COPY, LISTEN and raw batched SQL. */
  sql: postgres.Sql;
  close: () => Promise<void>;
}

export interface CreateDbOptions {
  /** Pool size (default 10). */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /** Sees every statement sent (benchmarks use it to EXPLAIN what the app ran). */
  onQuery?: (query: string, params: unknown[]) => void;
}

export function createDb(url: string, options: CreateDbOptions = {}): DbHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => undefined,
    // postgres.js waits (0.5–1) × min(3^failures / 100, 20) s between connection attempts, failures
    // counted for the whole pool: after an outage of half a minute the pool came back 10–20 s after
    // the database did, every queued query answering in the same millisecond. Retry at least every second.
    backoff: (failures: number) => Math.min(0.05 * 2 ** failures, 1),
    connection: { application_name: options.applicationName ?? "switchyard" },
    ...(options.onQuery ? { debug: (_connection: number, query: string, params: unknown[]) => options.onQuery?.(query, params) } : {}),
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
