/** A person's own account: sign-up (open or by invitation), profile and password. */
import { getPendingInvitationByTokenHash, getUserByIdOrThrow, insertActivity, updateUser } from "@switchyard/db";
import { AppError } from "@switchyard/shared";
import { z } from "zod";
import { SYSTEM_ACTOR, type ServiceDeps } from "../context";
import { hashPassword, passwordSchema, verifyPassword } from "../passwords";
import { hashInvitationToken } from "./invitations";
import { createUser, toPublicUser, type PublicUser } from "./users";

export const signUpInputSchema = z.object({
  name: z.string().trim().min(1, "your name is required").max(100),
  email: z.email("a valid email address is required").max(254),
  password: passwordSchema,
  /** The token from an invitation link: lets an invitee sign up when sign-up is otherwise closed. */
  inviteToken: z.string().max(200).optional(),
});
export type SignUpInput = z.input<typeof signUpInputSchema>;

/**
 * Creates an account. With sign-up closed (production default) only someone holding an open
 * invitation for this very email may register; joining the team still needs the accept step.
 */
export async function signUp(deps: Pick<ServiceDeps, "db">, raw: SignUpInput, opts: { allowSignup: boolean }): Promise<PublicUser> {
  const input = signUpInputSchema.parse(raw);
  const invitation = input.inviteToken ? await getPendingInvitationByTokenHash(deps.db, hashInvitationToken(input.inviteToken)) : undefined;
  // The invitation's token went to that address: holding it for the same address proves it.
  const invited = invitation !== undefined && invitation.email.toLowerCase() === input.email.toLowerCase();
  if (!opts.allowSignup && !invited) {
    throw new AppError("forbidden", "sign-up is by invitation only on this instance: use the link from your invitation, with the invited email");
  }
  return createUser(deps, SYSTEM_ACTOR, { email: input.email, password: input.password, name: input.name, emailVerified: invited });
}

export const changePasswordInputSchema = z
  .object({ currentPassword: z.string().min(1, "enter your current password").max(256), newPassword: passwordSchema })
  .refine((v) => v.currentPassword !== v.newPassword, { message: "the new password must differ from the current one", path: ["newPassword"] });
export type ChangePasswordInput = z.input<typeof changePasswordInputSchema>;

/** Changes the password and bumps the session version, which ends every session of the user. */
export async function changePassword(deps: Pick<ServiceDeps, "db">, userId: string, raw: ChangePasswordInput): Promise<void> {
  const input = changePasswordInputSchema.parse(raw);
  const user = await getUserByIdOrThrow(deps.db, userId);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError("invalid_input", "the current password is not correct", { fields: { currentPassword: "not correct" } });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await updateUser(tx, userId, { passwordHash, bumpSessionVersion: true });
    await insertActivity(tx, {
      teamId: null,
      actorUserId: userId,
      type: "user.updated",
      targetType: "user",
      targetId: userId,
      summary: `${user.email} changed their password (all sessions ended)`,
    });
  });
}

export const updateProfileInputSchema = z.object({ name: z.string().trim().min(1, "your name is required").max(100) });

export async function updateProfile(deps: Pick<ServiceDeps, "db">, userId: string, raw: z.input<typeof updateProfileInputSchema>): Promise<PublicUser> {
  const input = updateProfileInputSchema.parse(raw);
  const updated = await updateUser(deps.db, userId, { name: input.name });
  if (!updated) throw new AppError("not_found", "user not found");
  return toPublicUser(updated);
}
