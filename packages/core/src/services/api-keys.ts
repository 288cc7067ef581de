import { getApiKey, insertActivity, insertApiKey, revokeApiKey as revokeApiKeyRow, type ApiKey } from "@switchyard/db";
import { notFound } from "@switchyard/shared";
import { z } from "zod";
import { generateApiKey } from "../api-key-material";
import { actorUserId, runHook, type Actor, type ServiceDeps } from "../context";

export const createApiKeyInputSchema = z.object({
  name: z.string().trim().min(1, "key name is required").max(100),
  expiresAt: z.coerce
    .date()
    .refine((d) => d.getTime() > Date.now(), "expiry must be in the future")
    .optional(),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInputSchema>;

export type PublicApiKey = Omit<ApiKey, "hash">;

export function toPublicApiKey(key: ApiKey): PublicApiKey {
  const { hash: _omit, ...rest } = key;
  return rest;
}

/** Creates a key; the full key is returned here once and never stored. */
export async function createApiKey(
  deps: Pick<ServiceDeps, "db">,
  actor: Actor,
  project: { id: string; teamId: string },
  raw: CreateApiKeyInput,
): Promise<{ apiKey: PublicApiKey; key: string }> {
  const input = createApiKeyInputSchema.parse(raw);
  const material = generateApiKey();
  const apiKey = await deps.db.transaction(async (tx) => {
    const row = await insertApiKey(tx, project.id, {
      name: input.name,
      prefix: material.prefix,
      hash: material.hash,
      createdBy: actorUserId(actor),
      expiresAt: input.expiresAt ?? null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
    });
    await insertActivity(tx, {
      teamId: project.teamId,
      projectId: project.id,
      actorUserId: actorUserId(actor),
      type: "api_key.created",
      targetType: "api_key",
      targetId: row.id,
      summary: `API key ${row.name} (${row.prefix}…) created`,
      metadata: { expiresAt: row.expiresAt?.toISOString() ?? null, rateLimitPerMinute: row.rateLimitPerMinute },
    });
    return row;
  });
  return { apiKey: toPublicApiKey(apiKey), key: material.key };
}

export async function revokeApiKey(deps: Pick<ServiceDeps, "db" | "hooks">, actor: Actor, project: { id: string; teamId: string }, keyId: string): Promise<PublicApiKey> {
  const revoked = await deps.db.transaction(async (tx) => {
    const row = await revokeApiKeyRow(tx, project.id, keyId);
    if (!row) {
      if (await getApiKey(tx, project.id, keyId)) return undefined;
      throw notFound("API key");
    }
    await insertActivity(tx, {
      teamId: project.teamId,
      projectId: project.id,
      actorUserId: actorUserId(actor),
      type: "api_key.revoked",
      targetType: "api_key",
      targetId: row.id,
      summary: `API key ${row.name} (${row.prefix}…) revoked`,
    });
    return row;
  });
  const row = revoked ?? (await getApiKey(deps.db, project.id, keyId));
  if (!row) throw notFound("API key");
  if (revoked) await runHook(deps.hooks?.apiKeyRevoked && (() => deps.hooks?.apiKeyRevoked?.(project.id, row.id, row.hash)));
  return toPublicApiKey(row);
}
