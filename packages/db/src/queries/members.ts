import { and, asc, eq, sql } from "drizzle-orm";
import type { TeamRole } from "@switchyard/shared";
import type { Executor } from "../client";
import { teamMembers, users } from "../schema";

export type TeamMember = typeof teamMembers.$inferSelect;
export interface TeamMemberWithUser extends TeamMember {
  user: { id: string; email: string; name: string; isActive: boolean };
}

export async function insertMember(db: Executor, teamId: string, userId: string, role: TeamRole): Promise<TeamMember> {
  const [row] = await db.insert(teamMembers).values({ teamId, userId, role }).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function getMembership(db: Executor, teamId: string, userId: string): Promise<TeamMember | undefined> {
  return db.query.teamMembers.findFirst({ where: and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)) });
}

export async function getMember(db: Executor, teamId: string, memberId: string): Promise<TeamMember | undefined> {
  return db.query.teamMembers.findFirst({ where: and(eq(teamMembers.teamId, teamId), eq(teamMembers.id, memberId)) });
}

export async function listMembers(db: Executor, teamId: string): Promise<TeamMemberWithUser[]> {
  const rows = await db
    .select({ member: teamMembers, user: { id: users.id, email: users.email, name: users.name, isActive: users.isActive } })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(asc(users.email));
  return rows.map((r) => ({ ...r.member, user: r.user }));
}

export async function updateMemberRole(db: Executor, teamId: string, memberId: string, role: TeamRole): Promise<TeamMember | undefined> {
  const [row] = await db
    .update(teamMembers)
    .set({ role })
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.id, memberId)))
    .returning();
  return row;
}

export async function deleteMember(db: Executor, teamId: string, memberId: string): Promise<TeamMember | undefined> {
  const [row] = await db
    .delete(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.id, memberId)))
    .returning();
  return row;
}

/** Locks the team's owner rows so two concurrent demotions cannot both pass the last-owner check. */
export async function countOwnersForUpdate(db: Executor, teamId: string): Promise<number> {
  const rows = await db
    .select({ id: teamMembers.id })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, "owner")))
    .for("update");
  return rows.length;
}

export async function countMembers(db: Executor, teamId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(teamMembers).where(eq(teamMembers.teamId, teamId));
  return row?.n ?? 0;
}
