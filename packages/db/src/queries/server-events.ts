/** Per-server event feed (`server_events`): status changes, tool definition changes, process lifecycle. */
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { EventLevel, ServerEventCategory } from "@switchyard/shared";
import type { Executor } from "../client";
import { serverEvents } from "../schema";
import { keysetPage, olderThanCursor, pageLimit, type Page } from "./keyset";

export type ServerEvent = typeof serverEvents.$inferSelect;

export interface NewServerEvent {
  level: EventLevel;
  category: ServerEventCategory;
  message: string;
  details?: Record<string, unknown>;
  at?: Date;
}

export async function insertServerEvents(db: Executor, projectId: string, serverId: string, events: NewServerEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.insert(serverEvents).values(events.map((e) => ({ ...e, projectId, serverId })));
}

export type ServerEventPage = Page<ServerEvent>;

/** One server's events, newest first, keyset-paginated; optionally one category. */
export async function listServerEvents(
  db: Executor,
  projectId: string,
  serverId: string,
  opts: { category?: ServerEventCategory; before?: string; limit?: number } = {},
): Promise<ServerEventPage> {
  const limit = pageLimit(opts.limit, 50);
  const conds: SQL[] = [eq(serverEvents.projectId, projectId), eq(serverEvents.serverId, serverId)];
  if (opts.category) conds.push(eq(serverEvents.category, opts.category));
  const older = olderThanCursor(serverEvents.at, serverEvents.id, opts.before);
  if (older) conds.push(older);
  const rows = await db
    .select()
    .from(serverEvents)
    .where(and(...conds))
    .orderBy(desc(serverEvents.at), desc(serverEvents.id))
    .limit(limit + 1);
  return keysetPage(rows, limit, (r) => r);
}
