/** Roles and membership checks: the only way console code reaches a team's or project's data. */
import { getProjectForUser, getTeamForUser, type Executor, type Project, type TeamWithRole } from "@switchyard/db";
import { AppError, notFound, roleAtLeast, type TeamRole } from "@switchyard/shared";

function assertRole(role: TeamRole, min: TeamRole): void {
  if (!roleAtLeast(role, min)) throw new AppError("forbidden", `this needs the ${min} role or higher`);
}

/** The team with the user's role; non-members get the same not-found as a missing team. */
export async function requireTeamRole(db: Executor, userId: string, teamId: string, min: TeamRole = "reporter"): Promise<TeamWithRole> {
  const team = await getTeamForUser(db, userId, teamId);
  if (!team) throw notFound("team");
  assertRole(team.role, min);
  return team;
}

export async function requireProjectRole(
  db: Executor,
  userId: string,
  projectId: string,
  min: TeamRole = "reporter",
): Promise<Project & { role: TeamRole }> {
  const project = await getProjectForUser(db, userId, projectId);
  if (!project) throw notFound("project");
  assertRole(project.role, min);
  return project;
}
