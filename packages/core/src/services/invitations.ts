/**
 * Team invitations (docs/ARCHITECTURE.md): an admin invites an email with a role; the person joins only by
 * accepting while signed in with that email — from the link (token) or from their pending list.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  closeInvitation,
  getMembership,
  getPendingInvitationByTokenHash,
  getPendingInvitationForEmail,
  getPendingTeamInvitationForEmail,
  getTeamInvitation,
  getUserByEmail,
  insertActivity,
  insertInvitation,
  insertMember,
  type InvitationWithTeam,
  type TeamInvitation,
} from "@switchyard/db";
import { AppError, notFound, roleAtLeast, TEAM_ROLES, type TeamRole } from "@switchyard/shared";
import { z } from "zod";
import { actorUserId, type Actor, type ServiceDeps } from "../context";
import { assertEmailVerified } from "./email-verification";
import { isUniqueViolation } from "../pg-errors";

export const INVITATION_TTL_DAYS = 7;

export const inviteMemberInputSchema = z.object({
  email: z.email("a valid email address is required").max(254).transform((e) => e.toLowerCase()),
  role: z.enum(TEAM_ROLES),
});
export type InviteMemberInput = z.input<typeof inviteMemberInputSchema>;

/** The acting member's team: its id and the actor's role in it. */
export interface TeamRef {
  id: string;
  role: TeamRole;
}

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates an invitation (replacing an open one for the same email); the token is returned once, for the link. */
export async function inviteMember(
  deps: Pick<ServiceDeps, "db">,
  actor: Actor,
  team: TeamRef,
  raw: InviteMemberInput,
): Promise<{ invitation: TeamInvitation; token: string }> {
  const input = inviteMemberInputSchema.parse(raw);
  if (input.role === "owner" && !roleAtLeast(team.role, "owner")) throw new AppError("forbidden", "only owners can invite owners");
  const existingUser = await getUserByEmail(deps.db, input.email);
  if (existingUser && (await getMembership(deps.db, team.id, existingUser.id))) {
    throw new AppError("conflict", `${input.email} is already a member of this team`);
  }
  const token = randomBytes(32).toString("base64url");
  const invitation = await deps.db.transaction(async (tx) => {
    const previous = await getPendingTeamInvitationForEmail(tx, team.id, input.email);
    if (previous) await closeInvitation(tx, team.id, previous.id, { revoked: true });
    const row = await insertInvitation(tx, team.id, {
      email: input.email,
      role: input.role,
      tokenHash: hashInvitationToken(token),
      invitedBy: actorUserId(actor),
      expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 24 * 3600_000),
    });
    await insertActivity(tx, {
      teamId: team.id,
      actorUserId: actorUserId(actor),
      type: "member.invited",
      targetType: "invitation",
      targetId: row.id,
      summary: `${input.email} invited as ${input.role}${previous ? " (replacing an earlier invitation)" : ""}`,
      metadata: { email: input.email, role: input.role },
    });
    return row;
  });
  return { invitation, token };
}

export async function revokeInvitation(deps: Pick<ServiceDeps, "db">, actor: Actor, team: TeamRef, invitationId: string): Promise<TeamInvitation> {
  return deps.db.transaction(async (tx) => {
    const existing = await getTeamInvitation(tx, team.id, invitationId);
    if (!existing) throw notFound("invitation");
    const row = await closeInvitation(tx, team.id, invitationId, { revoked: true });
    if (!row) throw new AppError("conflict", "this invitation was already accepted or revoked");
    await insertActivity(tx, {
      teamId: team.id,
      actorUserId: actorUserId(actor),
      type: "invitation.revoked",
      targetType: "invitation",
      targetId: row.id,
      summary: `Invitation for ${row.email} revoked`,
      metadata: { email: row.email },
    });
    return row;
  });
}

/** The signed-in person accepting: `email` is their account's, never taken from input. */
export interface Invitee {
  userId: string;
  email: string;
}

const MISMATCH = "invitation not found, expired, or addressed to another email address";

async function joinTeam(deps: Pick<ServiceDeps, "db">, invitee: Invitee, invitation: InvitationWithTeam): Promise<{ teamId: string; teamSlug: string; role: TeamRole }> {
  if (invitation.email.toLowerCase() !== invitee.email.toLowerCase()) throw new AppError("not_found", MISMATCH);
  await assertEmailVerified(deps, invitee.userId);
  try {
    return await deps.db.transaction(async (tx) => {
      const closed = await closeInvitation(tx, invitation.teamId, invitation.id, { acceptedBy: invitee.userId });
      if (!closed) throw new AppError("not_found", MISMATCH);
      const member = await getMembership(tx, invitation.teamId, invitee.userId);
      if (!member) {
        await insertMember(tx, invitation.teamId, invitee.userId, invitation.role);
        await insertActivity(tx, {
          teamId: invitation.teamId,
          actorUserId: invitee.userId,
          type: "member.joined",
          targetType: "user",
          targetId: invitee.userId,
          summary: `${invitee.email} joined as ${invitation.role}`,
          metadata: { invitationId: invitation.id, role: invitation.role },
        });
      }
      return { teamId: invitation.teamId, teamSlug: invitation.team.slug, role: member?.role ?? invitation.role };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return { teamId: invitation.teamId, teamSlug: invitation.team.slug, role: invitation.role };
    throw e;
  }
}

/** What the invitation link shows before accepting (only to the invited account). */
export async function getInvitationForInvitee(deps: Pick<ServiceDeps, "db">, invitee: Invitee, token: string): Promise<InvitationWithTeam> {
  await assertEmailVerified(deps, invitee.userId);
  const invitation = await getPendingInvitationByTokenHash(deps.db, hashInvitationToken(token));
  if (!invitation || invitation.email.toLowerCase() !== invitee.email.toLowerCase()) throw new AppError("not_found", MISMATCH);
  return invitation;
}

export async function acceptInvitationByToken(deps: Pick<ServiceDeps, "db">, invitee: Invitee, token: string) {
  const invitation = await getPendingInvitationByTokenHash(deps.db, hashInvitationToken(token));
  if (!invitation) throw new AppError("not_found", MISMATCH);
  return joinTeam(deps, invitee, invitation);
}

/** Accepting from the console's pending list. */
export async function acceptInvitationById(deps: Pick<ServiceDeps, "db">, invitee: Invitee, invitationId: string) {
  const invitation = await getPendingInvitationForEmail(deps.db, invitationId, invitee.email);
  if (!invitation) throw new AppError("not_found", MISMATCH);
  return joinTeam(deps, invitee, invitation);
}

export async function declineInvitation(deps: Pick<ServiceDeps, "db">, invitee: Invitee, invitationId: string): Promise<void> {
  await assertEmailVerified(deps, invitee.userId);
  const invitation = await getPendingInvitationForEmail(deps.db, invitationId, invitee.email);
  if (!invitation) throw new AppError("not_found", MISMATCH);
  await deps.db.transaction(async (tx) => {
    const row = await closeInvitation(tx, invitation.teamId, invitation.id, { revoked: true });
    if (!row) throw new AppError("not_found", MISMATCH);
    await insertActivity(tx, {
      teamId: invitation.teamId,
      actorUserId: invitee.userId,
      type: "invitation.revoked",
      targetType: "invitation",
      targetId: row.id,
      summary: `${invitee.email} declined the invitation`,
      metadata: { email: row.email, declined: true },
    });
  });
}
