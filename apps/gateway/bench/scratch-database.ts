/**
 * Every benchmark's database: a scratch database on DATABASE_URL's server (dropped afterwards) or
 * an embedded Postgres in a temporary directory, migrated; plus cleanups that also run on Ctrl-C.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, ensureDatabase, runMigrations, startEmbeddedPostgres, type DbHandle, type EmbeddedPostgresHandle } from "@switchyard/db";

const cleanups: (() => Promise<void>)[] = [];

/** Registers work for cleanupAll (and for Ctrl-C). */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}
/** Runs every registered cleanup, last registered first. */
export async function cleanupAll(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanupAll().finally(() => process.exit(130)));

export async function openScratchDatabase(label: string, { max = 3 } = {}): Promise<{ url: string; where: string; handle: DbHandle }> {
  let url: string;
  let where: string;
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    const name = `sy_bench_${label}_${randomBytes(4).toString("hex")}`;
    url = await ensureDatabase(adminUrl, name);
    where = `scratch database ${name} on ${new URL(adminUrl).host}`;
    cleanups.push(async () => {
      const { default: postgres } = await import("postgres");
      const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    });
  } else {
    const dir = await mkdtemp(join(tmpdir(), `switchyard-bench-${label}-`));
    await chmod(dir, 0o755);
    const pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dir: join(dir, "pg") });
    cleanups.push(async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    });
    url = pg.url;
    where = `embedded Postgres on port ${pg.port}`;
  }
  await runMigrations(url);
  const handle = createDb(url, { max, applicationName: `switchyard-bench-${label}` });
  cleanups.push(() => handle.close());
  return { url, where, handle };
}

