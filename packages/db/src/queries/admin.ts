/** Instance-admin reads: every user and team of the instance (not tenant data of one team). */
import { asc, desc, eq, sql, and, type SQL } from "drizzle-orm";
import type { Executor } from "../client";
import { projects, teamMembers, teams, users } from "../schema";
import type { User } from "./users";

export type AdminUserRow = Omit<User, "passwordHash" | "emailVerificationHash" | "emailVerificationExpiresAt"> & { teamCount: number };
export type AdminTeamRow = { id: string; name: string; slug: string; createdAt: Date; memberCount: number; projectCount: number; ownerEmails: string[] };

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/*
 * drizzle renders a column of the single selected table unqualified (`"id"`), which inside a
 * subquery binds to the subquery's own tables (or is ambiguous): the outer row's id is spelled out.
 */
const outerTeamId = sql`${teams}."id"`;

export async function listUsersForAdmin(
  db: Executor,
  opts: { q?: string; limit?: number; offset?: number } = {},
): Promise<{ items: AdminUserRow[]; total: number }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const conds: SQL[] = [];
  if (opts.q?.trim()) {
    const p = likePattern(opts.q.trim());
    conds.push(sql`(${users.email} ilike ${p} or ${users.name} ilike ${p})`);
  }
  const where = conds.length ? and(...conds) : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        isAdmin: users.isAdmin,
        isActive: users.isActive,
        sessionVersion: users.sessionVersion,
        lastLoginAt: users.lastLoginAt,
        emailVerifiedAt: users.emailVerifiedAt,
        createdAt: users.createdAt,
        updatedAt: users.updatedAt,
        teamCount: sql<number>`(select count(*)::int from ${teamMembers} m where m.user_id = ${users}."id")`,
      })
      .from(users)
      .where(where)
      .orderBy(desc(users.createdAt), asc(users.email))
      .limit(limit)
      .offset(Math.max(opts.offset ?? 0, 0)),
    db.select({ n: sql<number>`count(*)::int` }).from(users).where(where),
  ]);
  return { items: rows, total: count?.n ?? 0 };
}

/** Active instance admins, locked so two concurrent demotions cannot both pass a last-admin check. */
export async function countActiveAdminsForUpdate(db: Executor): Promise<number> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.isAdmin, true), eq(users.isActive, true)))
    .for("update");
  return rows.length;
}

export async function listTeamsForAdmin(db: Executor, opts: { q?: string; limit?: number } = {}): Promise<AdminTeamRow[]> {
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 500);
  const where = opts.q?.trim() ? sql`(${teams.name} ilike ${likePattern(opts.q.trim())} or ${teams.slug} ilike ${likePattern(opts.q.trim())})` : undefined;
  const rows = await db
    .select({
      id: teams.id,
      name: teams.name,
      slug: teams.slug,
      createdAt: teams.createdAt,
      memberCount: sql<number>`(select count(*)::int from ${teamMembers} m where m.team_id = ${outerTeamId})`,
      projectCount: sql<number>`(select count(*)::int from ${projects} p where p.team_id = ${outerTeamId})`,
      ownerEmails: sql<string[]>`coalesce((select array_agg(u.email order by u.email) from ${teamMembers} m join ${users} u on u.id = m.user_id where m.team_id = ${outerTeamId} and m.role = 'owner'), '{}')`,
    })
    .from(teams)
    .where(where)
    .orderBy(asc(teams.name))
    .limit(limit);
  return rows;
}
