"use server";

import { createApiKey as createApiKeyService, revokeApiKey as revokeApiKeyService } from "@switchyard/core/services";
import { getApiKey } from "@switchyard/db";
import { AppError, notFound, roleAtLeast } from "@switchyard/shared";
import { z } from "zod";
import { createApiKeySchema } from "@/lib/schemas";
import { action } from "../action";

/** The full key is in this response only; the database keeps its sha-256. */
export const createApiKey = action.project({
  name: "apiKeys.create",
  role: "developer",
  input: createApiKeySchema,
  handler: async ({ deps, actor, project }, input) => {
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 24 * 3600_000) : undefined;
    const { apiKey, key } = await createApiKeyService(deps, actor, project, {
      name: input.name,
      ...(expiresAt ? { expiresAt } : {}),
      ...(input.rateLimitPerMinute ? { rateLimitPerMinute: input.rateLimitPerMinute } : {}),
    });
    return { id: apiKey.id, name: apiKey.name, prefix: apiKey.prefix, key };
  },
});

/** Developers revoke their own keys; admins and owners any key of the project. */
export const revokeApiKey = action.project({
  name: "apiKeys.revoke",
  role: "developer",
  input: z.object({ projectId: z.uuid(), keyId: z.uuid() }),
  handler: async ({ deps, actor, project, user }, input) => {
    const key = await getApiKey(deps.db, project.id, input.keyId);
    if (!key) throw notFound("API key");
    if (key.createdBy !== user.id && !roleAtLeast(project.role, "admin")) throw new AppError("forbidden", "only admins can revoke keys created by someone else");
    const revoked = await revokeApiKeyService(deps, actor, project, input.keyId);
    return { id: revoked.id, revokedAt: revoked.revokedAt };
  },
});
