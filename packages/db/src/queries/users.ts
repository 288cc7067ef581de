import { and, eq, gt, sql } from "drizzle-orm";
import { notFound } from "@switchyard/shared";
import type { Executor } from "../client";
import { users } from "../schema";

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

/** Users are instance-level, not tenant data: an account exists independently of teams. */
export async function insertUser(db: Executor, values: NewUser): Promise<User> {
  const [row] = await db.insert(users).values(values).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function getUserById(db: Executor, userId: string): Promise<User | undefined> {
  return db.query.users.findFirst({ where: eq(users.id, userId) });
}

export async function getUserByIdOrThrow(db: Executor, userId: string): Promise<User> {
  const user = await getUserById(db, userId);
  if (!user) throw notFound("user");
  return user;
}

/** Case-insensitive, matching the `lower(email)` unique index. */
export async function getUserByEmail(db: Executor, email: string): Promise<User | undefined> {
  return db.query.users.findFirst({ where: sql`lower(${users.email}) = lower(${email})` });
}

export async function countUsers(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export async function updateUser(
  db: Executor,
  userId: string,
  patch: Partial<Pick<NewUser, "name" | "passwordHash" | "isAdmin" | "isActive" | "lastLoginAt">> & { bumpSessionVersion?: boolean },
): Promise<User | undefined> {
  const { bumpSessionVersion, ...rest } = patch;
  const [row] = await db
    .update(users)
    .set({ ...rest, ...(bumpSessionVersion ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}) })
    .where(eq(users.id, userId))
    .returning();
  return row;
}

/** Stores the one open email verification token (its hash) of a user, replacing any earlier one. */
export async function setEmailVerification(db: Executor, userId: string, hash: string, expiresAt: Date): Promise<User | undefined> {
  const [row] = await db.update(users).set({ emailVerificationHash: hash, emailVerificationExpiresAt: expiresAt }).where(eq(users.id, userId)).returning();
  return row;
}

/** Marks the user whose open token has this hash verified (once); undefined for an unknown or expired token. */
export async function confirmEmailVerification(db: Executor, hash: string, now = new Date()): Promise<User | undefined> {
  const [row] = await db
    .update(users)
    .set({ emailVerifiedAt: now, emailVerificationHash: null, emailVerificationExpiresAt: null })
    .where(and(eq(users.emailVerificationHash, hash), gt(users.emailVerificationExpiresAt, now)))
    .returning();
  return row;
}
