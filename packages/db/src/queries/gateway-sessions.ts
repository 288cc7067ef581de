/**
 * The portable session state the gateway instances share (docs/ARCHITECTURE.md, "Sessions across
 * instances"): one row per open session, read by an instance that gets a request for a session it
 * does not hold. Every lookup names the project the request came for.
 */
import { and, desc, eq, gte, inArray, isNotNull, lt, ne, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { gatewaySessions, mcpServers, toolCallLogs } from "../schema";

export type GatewaySessionRow = typeof gatewaySessions.$inferSelect;

export async function insertGatewaySession(db: Executor, row: { id: string; projectId: string; identity: string; state: unknown; streamOwner: string | null }): Promise<void> {
  await db.insert(gatewaySessions).values(row).onConflictDoNothing();
}

export async function getGatewaySession(db: Executor, projectId: string, id: string): Promise<GatewaySessionRow | undefined> {
  const [row] = await db.select().from(gatewaySessions).where(and(eq(gatewaySessions.projectId, projectId), eq(gatewaySessions.id, id)));
  return row;
}

export interface GatewaySessionPatch {
  logLevel?: string | null;
  subscriptions?: string[];
  streamOwner?: string | null;
}

/** Updates the mutable part; false when the session is gone (ended elsewhere). */
export async function updateGatewaySession(db: Executor, projectId: string, id: string, patch: GatewaySessionPatch): Promise<boolean> {
  const res = await db
    .update(gatewaySessions)
    .set({ ...patch, activeAt: new Date() })
    .where(and(eq(gatewaySessions.projectId, projectId), eq(gatewaySessions.id, id)))
    .returning({ id: gatewaySessions.id });
  return res.length > 0;
}

/** The instance gives up the stream only if it still holds it (a reconnect elsewhere may have taken it). */
export async function releaseGatewaySessionStream(db: Executor, projectId: string, id: string, owner: string): Promise<void> {
  await db
    .update(gatewaySessions)
    .set({ streamOwner: null })
    .where(and(eq(gatewaySessions.projectId, projectId), eq(gatewaySessions.id, id), eq(gatewaySessions.streamOwner, owner)));
}

/** Marks sessions of one project as used now. */
export async function touchGatewaySessions(db: Executor, projectId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(gatewaySessions).set({ activeAt: new Date() }).where(and(eq(gatewaySessions.projectId, projectId), inArray(gatewaySessions.id, ids)));
}

/** Deletes one session's state; the row if it was there (whoever gets it records the end). */
export async function deleteGatewaySession(db: Executor, projectId: string, id: string): Promise<GatewaySessionRow | undefined> {
  const [row] = await db.delete(gatewaySessions).where(and(eq(gatewaySessions.projectId, projectId), eq(gatewaySessions.id, id))).returning();
  return row;
}

/** Deletes every session of one credential in a project (revocation); returns their rows. */
export async function deleteGatewaySessionsOf(db: Executor, projectId: string, identity: string): Promise<GatewaySessionRow[]> {
  return db.delete(gatewaySessions).where(and(eq(gatewaySessions.projectId, projectId), eq(gatewaySessions.identity, identity))).returning();
}

/**
 * Instance-wide reaping of sessions nobody used since `before`, in one bounded batch: every row
 * carries its project, and the caller records each end in that project.
 */
export async function deleteIdleGatewaySessions(db: Executor, before: Date, limit = 500): Promise<GatewaySessionRow[]> {
  const idle = db.select({ id: gatewaySessions.id }).from(gatewaySessions).where(lt(gatewaySessions.activeAt, before)).limit(limit);
  return db.delete(gatewaySessions).where(and(inArray(gatewaySessions.id, idle), lt(gatewaySessions.activeAt, before))).returning();
}

/**
 * Instance-wide, for warming a starting gateway: the enabled shared servers that had calls since
 * `since`, busiest first (each with its project).
 */
export async function listRecentlyUsedServers(db: Executor, since: Date, limit: number): Promise<{ projectId: string; serverId: string }[]> {
  const calls = sql<number>`count(*)`;
  return db
    .select({ projectId: mcpServers.projectId, serverId: mcpServers.id })
    .from(toolCallLogs)
    .innerJoin(mcpServers, and(eq(mcpServers.id, toolCallLogs.serverId), eq(mcpServers.projectId, toolCallLogs.projectId)))
    .where(and(gte(toolCallLogs.startedAt, since), eq(mcpServers.enabled, true), eq(mcpServers.isolation, "shared")))
    .groupBy(mcpServers.projectId, mcpServers.id)
    .orderBy(desc(calls))
    .limit(limit);
}

/** The project's sessions whose open stream another instance holds (where their notifications must go). */
export async function listSessionsStreamingElsewhere(db: Executor, projectId: string, instance: string): Promise<GatewaySessionRow[]> {
  return db
    .select()
    .from(gatewaySessions)
    .where(and(eq(gatewaySessions.projectId, projectId), isNotNull(gatewaySessions.streamOwner), ne(gatewaySessions.streamOwner, instance)));
}
