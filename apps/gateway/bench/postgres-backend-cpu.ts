/**
 * CPU time of the Postgres backends serving one database, from /proc/<pid>/stat (utime + stime), so
 * an ingest benchmark can say what each row cost Postgres itself — a figure that moves much less
 * with the machine's load than rows/s. Only when the server runs on this machine (machine Postgres
 * or embedded); elsewhere the pids are not ours to read and every figure reads 0.
 */
import { readFileSync } from "node:fs";
import type postgres from "postgres";

const TICKS_PER_SECOND = 100;

/** Pids of the client backends connected to the current database (the writer's pool). */
export async function clientBackendPids(sql: postgres.Sql): Promise<number[]> {
  const rows = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`;
  return rows.map((r) => r.pid);
}

/** user + system CPU of one process so far, in ms (0 when it cannot be read). */
export function processCpuMs(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may contain spaces: the fields after the last ")" are fixed.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU ms of each pid now, keyed by pid. */
export function backendCpuMs(pids: readonly number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, processCpuMs(pid)]));
}

/**
 * CPU spent between two readings by the backends of `after`; a backend absent from `before`
 * (a connection opened in between) counts from 0, so its start-up is included.
 */
export function cpuSpentMs(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let ms = 0;
  for (const [pid, cpu] of after) ms += cpu - (before.get(pid) ?? 0);
  return ms;
}
