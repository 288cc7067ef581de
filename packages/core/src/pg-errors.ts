/** Recognises Postgres errors from postgres.js (`code` and `constraint_name` fields), also when drizzle wraps them. */
interface PgError {
  code?: string;
  constraint_name?: string;
}

function pgError(e: unknown): PgError | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 3 && cur && typeof cur === "object"; i++) {
    const c = cur as PgError & { cause?: unknown };
    if (typeof c.code === "string" && /^[0-9A-Z]{5}$/.test(c.code)) return c;
    cur = c.cause;
  }
  return undefined;
}

export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const pg = pgError(e);
  return pg?.code === "23505" && (!constraint || pg.constraint_name === constraint);
}
