/** Resolving the console's URL slugs: a team only through the user's membership, a project only within its team. */
import { and, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { projects, teamMembers, teams } from "../schema";
import type { Project } from "./projects";
import type { TeamWithRole } from "./teams";

/** The team with this slug if `userId` is a member; another team's slug gives undefined, like a missing one. */
export async function getTeamBySlugForUser(db: Executor, userId: string, slug: string): Promise<TeamWithRole | undefined> {
  const [row] = await db
    .select({ team: teams, role: teamMembers.role })
    .from(teams)
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, userId)))
    .where(eq(teams.slug, slug));
  return row ? { ...row.team, role: row.role } : undefined;
}

export async function getProjectBySlug(db: Executor, teamId: string, slug: string): Promise<Project | undefined> {
  const [row] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.teamId, teamId), eq(projects.slug, slug)));
  return row;
}
