/** Per-server event feed (`server_events`): status changes, tool definition changes, process lifecycle. */
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { EventLevel, ServerEventCategory } from "@switchyard/shared";
import type { Executor } from "../client";
import { serverEvents } from "../schema";

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

export interface ServerEventPage {
  items: ServerEvent[];
  /** Pass back as `before` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

/** One server's events, newest first, keyset-paginated; optionally one category. */
export async function listServerEvents(
  db: Executor,
  projectId: string,
  serverId: string,
  opts: { category?: ServerEventCategory; before?: string; limit?: number } = {},
): Promise<ServerEventPage> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const conds: SQL[] = [eq(serverEvents.projectId, projectId), eq(serverEvents.serverId, serverId)];
  if (opts.category) conds.push(eq(serverEvents.category, opts.category));
  const [at, id] = opts.before?.split("_") ?? [];
  const cursorAt = new Date(Number(at));
  if (id && !Number.isNaN(cursorAt.getTime())) {
    const c = or(lt(serverEvents.at, cursorAt), and(eq(serverEvents.at, cursorAt), lt(serverEvents.id, id)));
    if (c) conds.push(c);
  }
  const rows = await db
    .select()
    .from(serverEvents)
    .where(and(...conds))
    .orderBy(desc(serverEvents.at), desc(serverEvents.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? `${last.at.getTime()}_${last.id}` : null };
}
