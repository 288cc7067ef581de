/** The environment the test support reads: the only place in this package that looks at process.env. */

/** The Postgres server tests run against (`DATABASE_URL`); undefined: an embedded one is started. */
export function testServerUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

/** In CI a missing database is an error, never a skip. */
export function inCi(): boolean {
  return Boolean(process.env.CI);
}
