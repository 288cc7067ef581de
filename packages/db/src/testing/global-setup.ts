/**
 * vitest globalSetup shared by every workspace: one Postgres server and one migrated template
 * database per test run. In CI a missing database is an error, never a skip.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "../embedded";
import { runMigrations } from "../migrate";
import { inCi, testServerUrl } from "./env";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let embeddedDir: string | undefined;
  let adminUrl = testServerUrl();
  if (!adminUrl) {
    if (inCi()) throw new Error("DATABASE_URL must be set in CI: tests run against the real Postgres and never skip");
    embeddedDir = await mkdtemp(join(tmpdir(), "switchyard-test-pg-"));
    embedded = await startEmbeddedPostgres({ dir: embeddedDir });
    adminUrl = embedded.url;
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined, connect_timeout: 10 });
  try {
    await admin`select 1`;
  } catch (e) {
    throw new Error(`cannot reach the test Postgres at ${new URL(adminUrl).host}: ${(e as Error).message}`);
  }
  const template = `sy_tpl_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database "${template}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${template}`;
  await runMigrations(u.toString());
  project.provide("switchyardPgAdminUrl", adminUrl);
  project.provide("switchyardPgTemplate", template);

  return async () => {
    // Test files drop their own databases; this catches those of a file that crashed.
    const ours = `${template.replace("sy_tpl_", "sy_t_")}_%`;
    const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${ours} or datname = ${template}`;
    for (const { datname } of leftovers) {
      await admin.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => undefined);
    }
    await admin.end({ timeout: 5 });
    await embedded?.stop();
    if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
  };
}
