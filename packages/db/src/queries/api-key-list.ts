/** A project's API keys for the console: never the hash, with the creator's email. */
import { desc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { apiKeys, users } from "../schema";
import type { ApiKey } from "./api-keys";

export type ApiKeyListItem = Omit<ApiKey, "hash"> & { creator: { id: string; email: string; name: string } | null };

export async function listApiKeysWithCreator(db: Executor, projectId: string): Promise<ApiKeyListItem[]> {
  const rows = await db
    .select({
      id: apiKeys.id,
      projectId: apiKeys.projectId,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdBy: apiKeys.createdBy,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
      lastUsedIp: apiKeys.lastUsedIp,
      rateLimitPerMinute: apiKeys.rateLimitPerMinute,
      createdAt: apiKeys.createdAt,
      updatedAt: apiKeys.updatedAt,
      creator: { id: users.id, email: users.email, name: users.name },
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.projectId, projectId))
    .orderBy(desc(apiKeys.createdAt));
  return rows;
}
