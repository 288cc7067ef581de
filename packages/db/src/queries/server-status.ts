/** Reads and writes of a server's cached status, for the worker's status refresh. */
import { and, asc, eq, exists } from "drizzle-orm";
import type { ServerInfo, ServerStatus } from "@switchyard/shared";
import type { Executor } from "../client";
import { mcpServers, projects } from "../schema";
import type { McpServer } from "./servers";

/**
 * Instance-wide enumeration for the scheduled refresh: the ids of projects with at least one
 * enabled server. Returns no tenant data; each project's servers are then read by project id.
 */
export async function listProjectIdsWithEnabledServers(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ id: projects.id })
    .from(projects)
    .where(exists(db.select({ one: mcpServers.id }).from(mcpServers).where(and(eq(mcpServers.projectId, projects.id), eq(mcpServers.enabled, true)))))
    .orderBy(asc(projects.id));
  return rows.map((r) => r.id);
}

/** Locks the server row for the rest of the transaction, so two refreshes of one server write one after the other. */
export async function getServerForUpdate(db: Executor, projectId: string, serverId: string): Promise<McpServer | undefined> {
  const [row] = await db
    .select()
    .from(mcpServers)
    .where(and(eq(mcpServers.projectId, projectId), eq(mcpServers.id, serverId)))
    .for("update");
  return row;
}

export interface ServerStatusUpdate {
  status: ServerStatus;
  /** Left unchanged when undefined (nothing was checked yet, e.g. while installing). */
  statusCheckedAt?: Date;
  statusError: string | null;
  statusLatencyMs: number | null;
  /** Left unchanged when undefined (the probe did not get as far as `tools/list`). */
  toolsCount?: number;
  serverInfo?: ServerInfo;
}

/** Writes the probe result without bumping `updated_at` (that tracks configuration changes). */
export async function updateServerStatus(db: Executor, projectId: string, serverId: string, update: ServerStatusUpdate): Promise<void> {
  await db
    .update(mcpServers)
    .set({ ...update, updatedAt: mcpServers.updatedAt })
    .where(and(eq(mcpServers.projectId, projectId), eq(mcpServers.id, serverId)));
}
