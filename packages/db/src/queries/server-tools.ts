/** The cached tool catalogue of a server (`server_tools`), kept by the status refresh. */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../client";
import { serverTools } from "../schema";

export type ServerTool = typeof serverTools.$inferSelect;
/** What a refresh learns about a tool from `tools/list`. */
export type ServerToolDefinition = Pick<ServerTool, "name" | "title" | "description" | "inputSchema" | "outputSchema" | "annotations">;

/** Every catalogue row of a server, including tools that are gone. */
export async function listServerTools(db: Executor, projectId: string, serverId: string): Promise<ServerTool[]> {
  return db
    .select()
    .from(serverTools)
    .where(and(eq(serverTools.projectId, projectId), eq(serverTools.serverId, serverId)))
    .orderBy(asc(serverTools.name));
}

export async function insertServerTools(
  db: Executor,
  projectId: string,
  serverId: string,
  tools: (ServerToolDefinition & { enabled: boolean; pendingApproval: boolean; seenAt: Date })[],
): Promise<ServerTool[]> {
  if (tools.length === 0) return [];
  return db
    .insert(serverTools)
    .values(tools.map(({ seenAt, ...t }) => ({ ...t, projectId, serverId, firstSeenAt: seenAt, lastSeenAt: seenAt })))
    // The gateway may have stored a server's first catalogue meanwhile; its row stands.
    .onConflictDoNothing({ target: [serverTools.serverId, serverTools.name] })
    .returning();
}

/** Refreshes a listed tool's definition; never touches `enabled` or `pending_approval` (the team's choices). */
export async function updateServerToolDefinition(
  db: Executor,
  projectId: string,
  toolId: string,
  definition: Omit<ServerToolDefinition, "name">,
  seenAt: Date,
): Promise<void> {
  await db
    .update(serverTools)
    .set({ ...definition, lastSeenAt: seenAt, goneAt: null })
    .where(and(eq(serverTools.projectId, projectId), eq(serverTools.id, toolId)));
}

/** Marks tools no longer listed as gone; the rows (and their `enabled` flags) stay for when they return. */
export async function markServerToolsGone(db: Executor, projectId: string, serverId: string, toolIds: string[], goneAt: Date): Promise<void> {
  if (toolIds.length === 0) return;
  await db
    .update(serverTools)
    .set({ goneAt })
    .where(and(eq(serverTools.projectId, projectId), eq(serverTools.serverId, serverId), inArray(serverTools.id, toolIds)));
}
