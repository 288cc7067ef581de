/** A team's projects with their server counts, for the team's home page. */
import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { mcpServers, projects } from "../schema";
import type { Project } from "./projects";

export interface ProjectSummary extends Project {
  serverCount: number;
  onlineCount: number;
  problemCount: number;
}

export async function listProjectSummaries(db: Executor, teamId: string): Promise<ProjectSummary[]> {
  const rows = await db
    .select({
      project: projects,
      serverCount: sql<number>`count(${mcpServers.id})::int`,
      onlineCount: sql<number>`(count(${mcpServers.id}) filter (where ${mcpServers.enabled} and ${mcpServers.status} = 'online'))::int`,
      problemCount: sql<number>`(count(${mcpServers.id}) filter (where ${mcpServers.enabled} and ${mcpServers.status} in ('offline', 'error', 'degraded')))::int`,
    })
    .from(projects)
    .leftJoin(mcpServers, eq(mcpServers.projectId, projects.id))
    .where(eq(projects.teamId, teamId))
    .groupBy(projects.id)
    .orderBy(asc(projects.name));
  return rows.map((r) => ({ ...r.project, serverCount: r.serverCount, onlineCount: r.onlineCount, problemCount: r.problemCount }));
}
