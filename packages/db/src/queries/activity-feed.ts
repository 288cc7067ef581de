/** The console's activity feed: a team's (or one project's) audit rows with filters and search. */
import { and, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { ActivityType } from "@switchyard/shared";
import type { Executor } from "../client";
import { activities, users } from "../schema";
import type { Activity } from "./activities";
import { keysetPage, olderThanCursor, pageLimit } from "./keyset";

export interface ActivityFeedItem extends Activity {
  actor: { id: string; email: string; name: string } | null;
}

export interface ActivityFeedFilter {
  projectId?: string;
  types?: ActivityType[];
  actorUserId?: string;
  from?: Date;
  to?: Date;
  /** Case-insensitive substring of the summary. */
  q?: string;
  /** Cursor from a previous page. */
  before?: string;
  limit?: number;
}

/** Newest first, keyset-paginated. */
export async function searchActivityFeed(
  db: Executor,
  teamId: string,
  filter: ActivityFeedFilter = {},
): Promise<{ items: ActivityFeedItem[]; nextCursor: string | null }> {
  const limit = pageLimit(filter.limit, 50);
  const conds: SQL[] = [eq(activities.teamId, teamId)];
  if (filter.projectId) conds.push(eq(activities.projectId, filter.projectId));
  if (filter.types?.length) conds.push(inArray(activities.type, filter.types));
  if (filter.actorUserId) conds.push(eq(activities.actorUserId, filter.actorUserId));
  if (filter.from) conds.push(gte(activities.at, filter.from));
  if (filter.to) conds.push(lte(activities.at, filter.to));
  if (filter.q?.trim()) conds.push(sql`${activities.summary} ilike ${`%${filter.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  const older = olderThanCursor(activities.at, activities.id, filter.before);
  if (older) conds.push(older);
  const rows = await db
    .select({ activity: activities, actor: { id: users.id, email: users.email, name: users.name } })
    .from(activities)
    .leftJoin(users, eq(users.id, activities.actorUserId))
    .where(and(...conds))
    .orderBy(desc(activities.at), desc(activities.id))
    .limit(limit + 1);
  return keysetPage(
    rows.map((r) => ({ ...r.activity, actor: r.actor })),
    limit,
    (item) => item,
  );
}
