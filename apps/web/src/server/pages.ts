/**
 * Data access for server components. Every lookup goes through the signed-in user's membership:
 * another team's slug or id renders the same 404 as a missing one.
 */
import { getProjectBySlug, getServerByName, getTeamBySlugForUser, type McpServer, type Project, type TeamWithRole } from "@switchyard/db";
import type { TeamRole } from "@switchyard/shared";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDeps } from "./deps";
import { getSessionUser, type SessionUser } from "./session";

/** The signed-in user, or a redirect to the login page (back to `next` afterwards). */
export async function requireUser(next?: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  return user;
}

export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (!user.isAdmin) notFound();
  return user;
}

export interface TeamPage {
  user: SessionUser;
  team: TeamWithRole;
}

export const loadTeam = cache(async (teamSlug: string): Promise<TeamPage> => {
  const user = await requireUser();
  const { db } = await getDeps();
  const team = await getTeamBySlugForUser(db, user.id, decodeURIComponent(teamSlug));
  if (!team) notFound();
  return { user, team };
});

export interface ProjectPage extends TeamPage {
  project: Project;
  role: TeamRole;
}

export const loadProject = cache(async (teamSlug: string, projectSlug: string): Promise<ProjectPage> => {
  const { user, team } = await loadTeam(teamSlug);
  const { db } = await getDeps();
  const project = await getProjectBySlug(db, team.id, decodeURIComponent(projectSlug));
  if (!project) notFound();
  return { user, team, project, role: team.role };
});

export const loadServer = cache(async (teamSlug: string, projectSlug: string, serverName: string): Promise<ProjectPage & { server: McpServer }> => {
  const page = await loadProject(teamSlug, projectSlug);
  const { db } = await getDeps();
  const server = await getServerByName(db, page.project.id, decodeURIComponent(serverName));
  if (!server) notFound();
  return { ...page, server };
});
