import { and, asc, eq } from "drizzle-orm";
import { notFound } from "@switchyard/shared";
import type { Executor } from "../client";
import { mcpServers } from "../schema";

export type McpServer = typeof mcpServers.$inferSelect;
export type NewMcpServer = Omit<typeof mcpServers.$inferInsert, "id" | "projectId" | "createdAt" | "updatedAt">;
export type McpServerPatch = Partial<NewMcpServer>;

export async function insertServer(db: Executor, projectId: string, values: NewMcpServer): Promise<McpServer> {
  const [row] = await db
    .insert(mcpServers)
    .values({ ...values, projectId })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function listServers(db: Executor, projectId: string): Promise<McpServer[]> {
  return db.query.mcpServers.findMany({ where: eq(mcpServers.projectId, projectId), orderBy: asc(mcpServers.name) });
}

export async function listEnabledServers(db: Executor, projectId: string): Promise<McpServer[]> {
  return db.query.mcpServers.findMany({
    where: and(eq(mcpServers.projectId, projectId), eq(mcpServers.enabled, true)),
    orderBy: asc(mcpServers.name),
  });
}

export async function getServer(db: Executor, projectId: string, serverId: string): Promise<McpServer | undefined> {
  return db.query.mcpServers.findFirst({ where: and(eq(mcpServers.projectId, projectId), eq(mcpServers.id, serverId)) });
}

export async function getServerOrThrow(db: Executor, projectId: string, serverId: string): Promise<McpServer> {
  const server = await getServer(db, projectId, serverId);
  if (!server) throw notFound("server");
  return server;
}

export async function getServerByName(db: Executor, projectId: string, name: string): Promise<McpServer | undefined> {
  return db.query.mcpServers.findFirst({ where: and(eq(mcpServers.projectId, projectId), eq(mcpServers.name, name)) });
}

export async function updateServer(db: Executor, projectId: string, serverId: string, patch: McpServerPatch): Promise<McpServer | undefined> {
  const [row] = await db
    .update(mcpServers)
    .set(patch)
    .where(and(eq(mcpServers.projectId, projectId), eq(mcpServers.id, serverId)))
    .returning();
  return row;
}

export async function deleteServer(db: Executor, projectId: string, serverId: string): Promise<McpServer | undefined> {
  const [row] = await db
    .delete(mcpServers)
    .where(and(eq(mcpServers.projectId, projectId), eq(mcpServers.id, serverId)))
    .returning();
  return row;
}
