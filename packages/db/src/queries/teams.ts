import { and, asc, eq } from "drizzle-orm";
import { notFound, type TeamRole } from "@switchyard/shared";
import type { Executor } from "../client";
import { teamMembers, teams } from "../schema";

export type Team = typeof teams.$inferSelect;
export type TeamWithRole = Team & { role: TeamRole };

export async function insertTeam(db: Executor, values: { name: string; slug: string }): Promise<Team> {
  const [row] = await db.insert(teams).values(values).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

/** The team if `userId` is a member of it; another team's id gives undefined, like a missing one. */
export async function getTeamForUser(db: Executor, userId: string, teamId: string): Promise<TeamWithRole | undefined> {
  const [row] = await db
    .select({ team: teams, role: teamMembers.role })
    .from(teams)
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, userId)))
    .where(eq(teams.id, teamId));
  return row ? { ...row.team, role: row.role } : undefined;
}

export async function getTeamForUserOrThrow(db: Executor, userId: string, teamId: string): Promise<TeamWithRole> {
  const team = await getTeamForUser(db, userId, teamId);
  if (!team) throw notFound("team");
  return team;
}

export async function listTeamsForUser(db: Executor, userId: string): Promise<TeamWithRole[]> {
  const rows = await db
    .select({ team: teams, role: teamMembers.role })
    .from(teams)
    .innerJoin(teamMembers, eq(teamMembers.teamId, teams.id))
    .where(eq(teamMembers.userId, userId))
    .orderBy(asc(teams.name));
  return rows.map((r) => ({ ...r.team, role: r.role }));
}

/** Instance-admin lookup by slug (CLI `--team`, admin pages). */
export async function getTeamBySlug(db: Executor, slug: string): Promise<Team | undefined> {
  return db.query.teams.findFirst({ where: eq(teams.slug, slug) });
}

export async function updateTeam(db: Executor, teamId: string, patch: { name?: string; slug?: string }): Promise<Team | undefined> {
  const [row] = await db.update(teams).set(patch).where(eq(teams.id, teamId)).returning();
  return row;
}

export async function deleteTeam(db: Executor, teamId: string): Promise<boolean> {
  const rows = await db.delete(teams).where(eq(teams.id, teamId)).returning({ id: teams.id });
  return rows.length > 0;
}
