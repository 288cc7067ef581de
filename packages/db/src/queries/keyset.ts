/**
 * Keyset pagination over `(time, id)`, newest first, with opaque cursors `"<ms>_<uuid>"`. The time
 * column must have millisecond precision (`precision: 3`), or rows sharing a millisecond with a
 * page's last row would be skipped.
 */
import { and, eq, lt, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

export interface Page<T> {
  items: T[];
  /** Pass back as `before` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

const UUID = /^[0-9a-f-]{36}$/i;

/** Rows strictly older than the cursor; undefined for no cursor or a malformed one. */
export function olderThanCursor(timeColumn: PgColumn, idColumn: PgColumn, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const [ms, id] = cursor.split("_");
  const at = new Date(Number(ms));
  if (!id || !UUID.test(id) || Number.isNaN(at.getTime())) return undefined;
  return or(lt(timeColumn, at), and(eq(timeColumn, at), lt(idColumn, id)));
}

/** Cuts a fetch of `limit + 1` rows into a page and the cursor after its last item. */
export function keysetPage<T>(rows: T[], limit: number, key: (row: T) => { at: Date; id: string }): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  if (rows.length <= limit || !last) return { items, nextCursor: null };
  const { at, id } = key(last);
  return { items, nextCursor: `${at.getTime()}_${id}` };
}

/** A page size between 1 and 200. */
export function pageLimit(requested: number | undefined, fallback: number): number {
  return Math.min(Math.max(requested ?? fallback, 1), 200);
}
