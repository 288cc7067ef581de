/** Call volume and failures from `tool_call_logs` for the console's overview pages. */
import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { ClientType, ToolCallStatus } from "@switchyard/shared";
import type { Executor } from "../client";
import { toolCallLogs } from "../schema";

/** Statuses counted as failures in error rates (a client's own cancellation is not one). */
const FAILED = sql`${toolCallLogs.status} in ('error', 'timeout', 'rejected')`;

export interface CallStats {
  calls: number;
  failed: number;
  /** One entry per hour that had calls, oldest first. */
  hourly: { hour: Date; calls: number; failed: number }[];
  byServer: { serverId: string | null; serverName: string; calls: number; failed: number }[];
}

/** Totals, hourly buckets and per-server counts of a project's calls since `since`. */
export async function getProjectCallStats(db: Executor, projectId: string, since: Date): Promise<CallStats> {
  const where = and(eq(toolCallLogs.projectId, projectId), gte(toolCallLogs.startedAt, since));
  const [hourly, byServer] = await Promise.all([
    db
      .select({
        hour: sql<string>`date_trunc('hour', ${toolCallLogs.startedAt})`.as("hour"),
        calls: sql<number>`count(*)::int`,
        failed: sql<number>`(count(*) filter (where ${FAILED}))::int`,
      })
      .from(toolCallLogs)
      .where(where)
      .groupBy(sql`1`)
      .orderBy(sql`1`),
    db
      .select({
        serverId: toolCallLogs.serverId,
        serverName: toolCallLogs.serverName,
        calls: sql<number>`count(*)::int`,
        failed: sql<number>`(count(*) filter (where ${FAILED}))::int`,
      })
      .from(toolCallLogs)
      .where(where)
      .groupBy(toolCallLogs.serverId, toolCallLogs.serverName),
  ]);
  const hours = hourly.map((h) => ({ hour: new Date(h.hour), calls: h.calls, failed: h.failed }));
  return {
    calls: hours.reduce((n, h) => n + h.calls, 0),
    failed: hours.reduce((n, h) => n + h.failed, 0),
    hourly: hours,
    byServer,
  };
}

export interface RecentCall {
  id: string;
  toolName: string;
  exposedName: string;
  status: ToolCallStatus;
  errorMessage: string | null;
  durationMs: number;
  startedAt: Date;
  clientType: ClientType;
  userId: string | null;
  apiKeyId: string | null;
  input?: unknown;
  output?: unknown;
}

/**
 * The latest calls to one server. Payloads are read only when `withPayloads` (callers pass false
 * for roles that may not see raw payloads, so they never leave the database).
 */
export async function listRecentServerCalls(
  db: Executor,
  projectId: string,
  serverId: string,
  opts: { limit?: number; withPayloads: boolean; since?: Date },
): Promise<RecentCall[]> {
  const since = opts.since ?? new Date(Date.now() - 7 * 24 * 3600_000);
  const base = {
    id: toolCallLogs.id,
    toolName: toolCallLogs.toolName,
    exposedName: toolCallLogs.exposedName,
    status: toolCallLogs.status,
    errorMessage: toolCallLogs.errorMessage,
    durationMs: toolCallLogs.durationMs,
    startedAt: toolCallLogs.startedAt,
    clientType: toolCallLogs.clientType,
    userId: toolCallLogs.userId,
    apiKeyId: toolCallLogs.apiKeyId,
  };
  const where = and(eq(toolCallLogs.projectId, projectId), eq(toolCallLogs.serverId, serverId), gte(toolCallLogs.startedAt, since));
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 100);
  if (!opts.withPayloads) return db.select(base).from(toolCallLogs).where(where).orderBy(desc(toolCallLogs.startedAt)).limit(limit);
  return db
    .select({ ...base, input: toolCallLogs.input, output: toolCallLogs.output })
    .from(toolCallLogs)
    .where(where)
    .orderBy(desc(toolCallLogs.startedAt))
    .limit(limit);
}
