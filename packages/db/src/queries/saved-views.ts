/** Saved explorer views of a project. */
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { savedViews } from "../schema";

export type SavedView = typeof savedViews.$inferSelect;

export async function listSavedViews(db: Executor, projectId: string): Promise<SavedView[]> {
  return db.select().from(savedViews).where(eq(savedViews.projectId, projectId)).orderBy(asc(savedViews.name));
}

export async function insertSavedView(db: Executor, projectId: string, input: { name: string; state: string; createdBy: string | null }): Promise<SavedView> {
  const [row] = await db.insert(savedViews).values({ projectId, ...input }).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

/** Deletes a view of the project; undefined when missing or another project's. */
export async function deleteSavedView(db: Executor, projectId: string, id: string): Promise<SavedView | undefined> {
  const [row] = await db.delete(savedViews).where(and(eq(savedViews.projectId, projectId), eq(savedViews.id, id))).returning();
  return row;
}
