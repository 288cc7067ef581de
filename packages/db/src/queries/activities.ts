import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { ActivityType } from "@switchyard/shared";
import type { Executor } from "../client";
import { activities } from "../schema";

export type Activity = typeof activities.$inferSelect;

export interface NewActivity {
  teamId: string | null;
  projectId?: string | null;
  actorUserId?: string | null;
  type: ActivityType;
  targetType?: string;
  targetId?: string;
  summary: string;
  metadata?: Record<string, unknown>;
}

/** Call inside the transaction that makes the change it records. */
export async function insertActivity(db: Executor, values: NewActivity): Promise<Activity> {
  const [row] = await db.insert(activities).values(values).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export interface ActivityPage {
  items: Activity[];
  /** Pass back as `before` for the next page; null at the end. */
  nextCursor: string | null;
}

function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = cursor.split("_");
  const d = new Date(Number(at));
  return id && !Number.isNaN(d.getTime()) ? { at: d, id } : undefined;
}

/** Team feed, optionally narrowed to a project; keyset-paginated newest first. */
export async function listActivities(
  db: Executor,
  teamId: string,
  opts: { projectId?: string; type?: ActivityType; before?: string; limit?: number } = {},
): Promise<ActivityPage> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const conds: SQL[] = [eq(activities.teamId, teamId)];
  if (opts.projectId) conds.push(eq(activities.projectId, opts.projectId));
  if (opts.type) conds.push(eq(activities.type, opts.type));
  const cursor = decodeCursor(opts.before);
  if (cursor) {
    const c = or(lt(activities.at, cursor.at), and(eq(activities.at, cursor.at), lt(activities.id, cursor.id)));
    if (c) conds.push(c);
  }
  const rows = await db
    .select()
    .from(activities)
    .where(and(...conds))
    .orderBy(desc(activities.at), desc(activities.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? `${last.at.getTime()}_${last.id}` : null };
}
