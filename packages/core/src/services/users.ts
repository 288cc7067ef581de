import { countUsers, getUserByEmail, insertActivity, insertUser, updateUser, type User } from "@switchyard/db";
import { AppError } from "@switchyard/shared";
import { z } from "zod";
import { actorUserId, type Actor, type ServiceDeps } from "../context";
import { isUniqueViolation } from "../pg-errors";
import { hashPassword, passwordSchema, verifyPassword } from "../passwords";

export const createUserInputSchema = z.object({
  email: z.email("a valid email address is required").max(254).transform((e) => e.toLowerCase()),
  password: passwordSchema,
  name: z.string().trim().max(100).optional(),
  isAdmin: z.boolean().default(false),
  /** False for self sign-ups: the address is unproven until the verification link is followed. */
  emailVerified: z.boolean().default(true),
});
export type CreateUserInput = z.input<typeof createUserInputSchema>;

export type PublicUser = Omit<User, "passwordHash" | "emailVerificationHash" | "emailVerificationExpiresAt">;

export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _omit, emailVerificationHash: _hash, emailVerificationExpiresAt: _expires, ...rest } = user;
  return rest;
}

export async function createUser(deps: Pick<ServiceDeps, "db">, actor: Actor, raw: CreateUserInput): Promise<PublicUser> {
  const input = createUserInputSchema.parse(raw);
  if (await getUserByEmail(deps.db, input.email)) throw new AppError("conflict", `a user with email ${input.email} already exists`);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await deps.db.transaction(async (tx) => {
      const created = await insertUser(tx, {
        email: input.email,
        name: input.name ?? input.email.split("@")[0] ?? input.email,
        passwordHash,
        isAdmin: input.isAdmin,
        ...(input.emailVerified ? {} : { emailVerifiedAt: null }),
      });
      await insertActivity(tx, {
        teamId: null,
        actorUserId: actorUserId(actor),
        type: "user.created",
        targetType: "user",
        targetId: created.id,
        summary: `User ${created.email} created${input.isAdmin ? " as instance admin" : ""}${actor.kind === "cli" ? " via CLI" : ""}`,
        metadata: { isAdmin: input.isAdmin },
      });
      return created;
    });
    return toPublicUser(user);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `a user with email ${input.email} already exists`);
    throw e;
  }
}

/** Credentials check for sign-in; inactive users and wrong passwords look the same to the caller. */
export async function authenticateUser(deps: Pick<ServiceDeps, "db">, email: string, password: string): Promise<PublicUser | null> {
  const user = await getUserByEmail(deps.db, email);
  if (!user) {
    // Spend comparable time so response timing does not reveal which emails exist.
    await hashPassword(password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password)) || !user.isActive) return null;
  const updated = await updateUser(deps.db, user.id, { lastLoginAt: new Date() });
  return toPublicUser(updated ?? user);
}

export async function isFirstUser(deps: Pick<ServiceDeps, "db">): Promise<boolean> {
  return (await countUsers(deps.db)) === 0;
}
