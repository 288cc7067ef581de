import { and, desc, eq, type SQL } from "drizzle-orm";
import { createPayloadScrubber, type ActivityType } from "@switchyard/shared";
import type { Executor } from "../client";
import { activities } from "../schema";
import { keysetPage, olderThanCursor, pageLimit, type Page } from "./keyset";

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

/** Every team member reads the feed: credential shapes never reach it, whatever a summary quotes. */
const scrubActivity = createPayloadScrubber({ secrets: [], rules: [], credentials: true });

/** Call inside the transaction that makes the change it records. */
export async function insertActivity(db: Executor, values: NewActivity): Promise<Activity> {
  const scrubbed = {
    ...values,
    summary: scrubActivity(values.summary) as string,
    ...(values.metadata ? { metadata: scrubActivity(values.metadata) as Record<string, unknown> } : {}),
  };
  const [row] = await db.insert(activities).values(scrubbed).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export type ActivityPage = Page<Activity>;

/** Team feed, optionally narrowed to a project; keyset-paginated newest first. */
export async function listActivities(
  db: Executor,
  teamId: string,
  opts: { projectId?: string; type?: ActivityType; before?: string; limit?: number } = {},
): Promise<ActivityPage> {
  const limit = pageLimit(opts.limit, 50);
  const conds: SQL[] = [eq(activities.teamId, teamId)];
  if (opts.projectId) conds.push(eq(activities.projectId, opts.projectId));
  if (opts.type) conds.push(eq(activities.type, opts.type));
  const older = olderThanCursor(activities.at, activities.id, opts.before);
  if (older) conds.push(older);
  const rows = await db
    .select()
    .from(activities)
    .where(and(...conds))
    .orderBy(desc(activities.at), desc(activities.id))
    .limit(limit + 1);
  return keysetPage(rows, limit, (r) => r);
}
