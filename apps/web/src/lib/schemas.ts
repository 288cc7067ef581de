/**
 * Form schemas shared by the console's client forms and the server actions that receive them,
 * so both validate the same way. They build on @switchyard/shared where a rule lives there; the
 * rest mirror the core services' schemas (which run again inside the service), and
 * `schemas.test.ts` checks that the mirrors agree.
 */
import { LOG_PAYLOAD_POLICIES, NEW_TOOL_POLICIES, TEAM_ROLES, projectSettingsSchema, serverConfigSchema, slugSchema } from "@switchyard/shared";
import { z } from "zod";

const uuid = z.uuid("malformed id");

export const passwordSchema = z.string().min(10, "password must be at least 10 characters").max(256, "password must be at most 256 characters");
const emailSchema = z.email("a valid email address is required").max(254);

export const loginSchema = z.object({
  email: z.string().trim().min(1, "enter your email").max(254),
  password: z.string().min(1, "enter your password").max(256),
});

export const signupSchema = z.object({
  name: z.string().trim().min(1, "your name is required").max(100),
  email: emailSchema,
  password: passwordSchema,
  inviteToken: z.string().max(200).optional(),
});

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1, "enter your current password").max(256), newPassword: passwordSchema })
  .refine((v) => v.currentPassword !== v.newPassword, { message: "the new password must differ from the current one", path: ["newPassword"] });

export const profileSchema = z.object({ name: z.string().trim().min(1, "your name is required").max(100) });

export const createTeamSchema = z.object({ name: z.string().trim().min(1, "team name is required").max(100) });
export const updateTeamSchema = z.object({ teamId: uuid, name: z.string().trim().min(1, "team name is required").max(100), slug: slugSchema });

export const inviteSchema = z.object({ teamId: uuid, email: emailSchema, role: z.enum(TEAM_ROLES) });

export const createProjectSchema = z.object({
  teamId: uuid,
  name: z.string().trim().min(1, "project name is required").max(100),
  description: z.string().max(2_000).default(""),
});

export const projectSettingsFormSchema = projectSettingsSchema.extend({ projectId: uuid });
export { LOG_PAYLOAD_POLICIES, NEW_TOOL_POLICIES };

export const createApiKeySchema = z.object({
  projectId: uuid,
  name: z.string().trim().min(1, "key name is required").max(100),
  /** Days until expiry; empty for a key that does not expire. */
  expiresInDays: z.number().int().min(1, "at least 1 day").max(3650, "at most 10 years").optional(),
  rateLimitPerMinute: z.number().int().min(1, "at least 1 call per minute").max(100_000).optional(),
});

export const serverFormSchema = z.object({ projectId: uuid, config: serverConfigSchema });
export const updateServerFormSchema = serverFormSchema.extend({ serverId: uuid });
export const importServersSchema = z.object({ projectId: uuid, json: z.string().min(2, "paste an mcpServers JSON document").max(200_000) });

export const tryToolSchema = z.object({
  projectId: uuid,
  serverId: uuid,
  tool: z.string().min(1).max(200),
  arguments: z.record(z.string(), z.unknown()).default({}),
});
