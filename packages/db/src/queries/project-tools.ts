/** The console's view of tool catalogues across a project's servers, and the team's tool switches. */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { ServerStatus } from "@switchyard/shared";
import type { Executor } from "../client";
import { mcpServers, serverTools } from "../schema";

export type ServerToolRow = typeof serverTools.$inferSelect;
export interface ProjectTool extends ServerToolRow {
  server: { id: string; name: string; enabled: boolean; status: ServerStatus };
}

/** Every current (not gone) tool of the project's servers, by server then tool name. */
export async function listProjectTools(db: Executor, projectId: string): Promise<ProjectTool[]> {
  const rows = await db
    .select({
      tool: serverTools,
      server: { id: mcpServers.id, name: mcpServers.name, enabled: mcpServers.enabled, status: mcpServers.status },
    })
    .from(serverTools)
    .innerJoin(mcpServers, and(eq(mcpServers.id, serverTools.serverId), eq(mcpServers.projectId, projectId)))
    .where(and(eq(serverTools.projectId, projectId), isNull(serverTools.goneAt)))
    .orderBy(asc(mcpServers.name), asc(serverTools.name));
  return rows.map((r) => ({ ...r.tool, server: r.server }));
}

export async function getServerToolById(db: Executor, projectId: string, toolId: string): Promise<ProjectTool | undefined> {
  const [row] = await db
    .select({
      tool: serverTools,
      server: { id: mcpServers.id, name: mcpServers.name, enabled: mcpServers.enabled, status: mcpServers.status },
    })
    .from(serverTools)
    .innerJoin(mcpServers, eq(mcpServers.id, serverTools.serverId))
    .where(and(eq(serverTools.projectId, projectId), eq(serverTools.id, toolId)));
  return row ? { ...row.tool, server: row.server } : undefined;
}

/** Sets the team's switches on one tool (never its definition, which the refresh owns). */
export async function updateServerToolFlags(
  db: Executor,
  projectId: string,
  toolId: string,
  flags: { enabled?: boolean; pendingApproval?: boolean },
): Promise<ServerToolRow | undefined> {
  const [row] = await db
    .update(serverTools)
    .set(flags)
    .where(and(eq(serverTools.projectId, projectId), eq(serverTools.id, toolId)))
    .returning();
  return row;
}

/** Tools waiting for approval per server of the project. */
export async function countHeldToolsByServer(db: Executor, projectId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ serverId: serverTools.serverId, n: sql<number>`count(*)::int` })
    .from(serverTools)
    .where(and(eq(serverTools.projectId, projectId), eq(serverTools.pendingApproval, true), isNull(serverTools.goneAt)))
    .groupBy(serverTools.serverId);
  return new Map(rows.map((r) => [r.serverId, r.n]));
}
