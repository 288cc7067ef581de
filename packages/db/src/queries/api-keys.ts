import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "../client";
import { apiKeys, projects } from "../schema";

export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = Omit<typeof apiKeys.$inferInsert, "id" | "projectId" | "createdAt" | "updatedAt">;

export async function insertApiKey(db: Executor, projectId: string, values: NewApiKey): Promise<ApiKey> {
  const [row] = await db
    .insert(apiKeys)
    .values({ ...values, projectId })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function listApiKeys(db: Executor, projectId: string): Promise<ApiKey[]> {
  return db.query.apiKeys.findMany({ where: eq(apiKeys.projectId, projectId), orderBy: desc(apiKeys.createdAt) });
}

export async function getApiKey(db: Executor, projectId: string, keyId: string): Promise<ApiKey | undefined> {
  return db.query.apiKeys.findFirst({ where: and(eq(apiKeys.projectId, projectId), eq(apiKeys.id, keyId)) });
}

/** Gateway auth: a key is only ever looked up within the project named in the URL. */
export async function getApiKeyByHash(db: Executor, projectId: string, hash: string): Promise<ApiKey | undefined> {
  return db.query.apiKeys.findFirst({ where: and(eq(apiKeys.projectId, projectId), eq(apiKeys.hash, hash)) });
}

export async function revokeApiKey(db: Executor, projectId: string, keyId: string): Promise<ApiKey | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.projectId, projectId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning();
  return row;
}

/** Revokes every live key a user created in any project of the team (member removal). */
export async function revokeApiKeysCreatedBy(db: Executor, teamId: string, userId: string): Promise<ApiKey[]> {
  const teamProjects = db.select({ id: projects.id }).from(projects).where(eq(projects.teamId, teamId));
  return db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(inArray(apiKeys.projectId, teamProjects), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)))
    .returning();
}

/** Batched `last_used_*` update (the gateway coalesces uses and flushes periodically). */
export async function touchApiKey(db: Executor, projectId: string, keyId: string, at: Date, ip: string | null): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: at, lastUsedIp: ip })
    .where(and(eq(apiKeys.projectId, projectId), eq(apiKeys.id, keyId)));
}
