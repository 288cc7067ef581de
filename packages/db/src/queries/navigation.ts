/** What the console's sidebar shows a user: their teams (with role) and those teams' projects. */
import { asc, eq } from "drizzle-orm";
import type { TeamRole } from "@switchyard/shared";
import type { Executor } from "../client";
import { projects, teamMembers, teams } from "../schema";

export interface NavigationTeam {
  id: string;
  name: string;
  slug: string;
  role: TeamRole;
  projects: { id: string; name: string; slug: string }[];
}

/** Only teams the user is a member of; two queries whatever the number of teams. */
export async function listNavigationForUser(db: Executor, userId: string): Promise<NavigationTeam[]> {
  const [teamRows, projectRows] = await Promise.all([
    db
      .select({ id: teams.id, name: teams.name, slug: teams.slug, role: teamMembers.role })
      .from(teams)
      .innerJoin(teamMembers, eq(teamMembers.teamId, teams.id))
      .where(eq(teamMembers.userId, userId))
      .orderBy(asc(teams.name)),
    db
      .select({ id: projects.id, name: projects.name, slug: projects.slug, teamId: projects.teamId })
      .from(projects)
      .innerJoin(teamMembers, eq(teamMembers.teamId, projects.teamId))
      .where(eq(teamMembers.userId, userId))
      .orderBy(asc(projects.name)),
  ]);
  return teamRows.map((t) => ({
    ...t,
    projects: projectRows.filter((p) => p.teamId === t.id).map(({ teamId: _t, ...p }) => p),
  }));
}
