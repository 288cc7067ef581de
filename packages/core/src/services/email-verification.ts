/**
 * Email verification: a self sign-up proves it owns its address before it can see or accept the
 * invitations addressed to it (otherwise anyone could sign up with an invited address and take
 * the invited role). One open token per user, stored as a sha-256, valid for 7 days.
 */
import { createHash, randomBytes } from "node:crypto";
import { confirmEmailVerification, getUserByIdOrThrow, listPendingInvitationsForEmail, setEmailVerification, type InvitationWithTeam } from "@switchyard/db";
import { AppError } from "@switchyard/shared";
import type { ServiceDeps } from "../context";
import { toPublicUser, type PublicUser } from "./users";

const TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A fresh token for the user (any earlier one stops working); undefined when already verified. */
export async function issueEmailVerification(deps: Pick<ServiceDeps, "db">, userId: string): Promise<{ token: string; email: string } | undefined> {
  const user = await getUserByIdOrThrow(deps.db, userId);
  if (user.emailVerifiedAt) return undefined;
  const token = randomBytes(32).toString("base64url");
  await setEmailVerification(deps.db, userId, hashToken(token), new Date(Date.now() + TOKEN_TTL_MS));
  return { token, email: user.email };
}

export async function verifyEmail(deps: Pick<ServiceDeps, "db">, token: string): Promise<PublicUser> {
  const user = token.length <= 200 ? await confirmEmailVerification(deps.db, hashToken(token)) : undefined;
  if (!user) throw new AppError("not_found", "this verification link is unknown, used or expired: sign in and ask for a new one");
  return toPublicUser(user);
}

/** Throws `forbidden` until the user's address is verified. */
export async function assertEmailVerified(deps: Pick<ServiceDeps, "db">, userId: string): Promise<void> {
  const user = await getUserByIdOrThrow(deps.db, userId);
  if (!user.emailVerifiedAt) throw new AppError("forbidden", "verify your email address first: follow the link sent to it");
}

/** The open invitations addressed to the user's email — none until that address is verified. */
export async function listInvitationsForUser(deps: Pick<ServiceDeps, "db">, userId: string): Promise<InvitationWithTeam[]> {
  const user = await getUserByIdOrThrow(deps.db, userId);
  return user.emailVerifiedAt ? listPendingInvitationsForEmail(deps.db, user.email) : [];
}
