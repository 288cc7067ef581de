/** Team invitations: a person joins a team only by accepting one while signed in with its email. */
import { and, asc, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { TeamRole } from "@switchyard/shared";
import type { Executor } from "../client";
import { teamInvitations, teams, users } from "../schema";

export type TeamInvitation = typeof teamInvitations.$inferSelect;
export interface InvitationWithTeam extends TeamInvitation {
  team: { id: string; name: string; slug: string };
  inviter: { email: string; name: string } | null;
}

const pending = (now: Date) => and(isNull(teamInvitations.acceptedAt), isNull(teamInvitations.revokedAt), gt(teamInvitations.expiresAt, now));

export async function insertInvitation(
  db: Executor,
  teamId: string,
  values: { email: string; role: TeamRole; tokenHash: string; invitedBy: string | null; expiresAt: Date },
): Promise<TeamInvitation> {
  const [row] = await db
    .insert(teamInvitations)
    .values({ ...values, teamId })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

/** Open invitations of a team (not accepted, revoked or expired), newest first. */
export async function listPendingTeamInvitations(db: Executor, teamId: string, now = new Date()): Promise<TeamInvitation[]> {
  return db
    .select()
    .from(teamInvitations)
    .where(and(eq(teamInvitations.teamId, teamId), pending(now)))
    .orderBy(desc(teamInvitations.createdAt));
}

export async function getPendingTeamInvitationForEmail(db: Executor, teamId: string, email: string, now = new Date()): Promise<TeamInvitation | undefined> {
  const [row] = await db
    .select()
    .from(teamInvitations)
    .where(and(eq(teamInvitations.teamId, teamId), sql`lower(${teamInvitations.email}) = lower(${email})`, pending(now)));
  return row;
}

export async function getTeamInvitation(db: Executor, teamId: string, invitationId: string): Promise<TeamInvitation | undefined> {
  const [row] = await db
    .select()
    .from(teamInvitations)
    .where(and(eq(teamInvitations.teamId, teamId), eq(teamInvitations.id, invitationId)));
  return row;
}

const withTeam = {
  invitation: teamInvitations,
  team: { id: teams.id, name: teams.name, slug: teams.slug },
  inviterEmail: users.email,
  inviterName: users.name,
};

type WithTeamRow = { invitation: TeamInvitation; team: InvitationWithTeam["team"]; inviterEmail: string | null; inviterName: string | null };
function toInvitationWithTeam(r: WithTeamRow): InvitationWithTeam {
  return { ...r.invitation, team: r.team, inviter: r.inviterEmail ? { email: r.inviterEmail, name: r.inviterName ?? r.inviterEmail } : null };
}

/**
 * An open invitation by the hash of its link token. The token is the credential (like an API
 * key's hash); callers must still check that the signed-in user's email is the invited one.
 */
export async function getPendingInvitationByTokenHash(db: Executor, tokenHash: string, now = new Date()): Promise<InvitationWithTeam | undefined> {
  const [row] = await db
    .select(withTeam)
    .from(teamInvitations)
    .innerJoin(teams, eq(teams.id, teamInvitations.teamId))
    .leftJoin(users, eq(users.id, teamInvitations.invitedBy))
    .where(and(eq(teamInvitations.tokenHash, tokenHash), pending(now)));
  return row ? toInvitationWithTeam(row) : undefined;
}

/** Open invitations addressed to `email` (the signed-in user's own), across teams. */
export async function listPendingInvitationsForEmail(db: Executor, email: string, now = new Date()): Promise<InvitationWithTeam[]> {
  const rows = await db
    .select(withTeam)
    .from(teamInvitations)
    .innerJoin(teams, eq(teams.id, teamInvitations.teamId))
    .leftJoin(users, eq(users.id, teamInvitations.invitedBy))
    .where(and(sql`lower(${teamInvitations.email}) = lower(${email})`, pending(now)))
    .orderBy(asc(teams.name));
  return rows.map(toInvitationWithTeam);
}

/** One open invitation by id, only if it is addressed to `email`. */
export async function getPendingInvitationForEmail(db: Executor, invitationId: string, email: string, now = new Date()): Promise<InvitationWithTeam | undefined> {
  const [row] = await db
    .select(withTeam)
    .from(teamInvitations)
    .innerJoin(teams, eq(teams.id, teamInvitations.teamId))
    .leftJoin(users, eq(users.id, teamInvitations.invitedBy))
    .where(and(eq(teamInvitations.id, invitationId), sql`lower(${teamInvitations.email}) = lower(${email})`, pending(now)));
  return row ? toInvitationWithTeam(row) : undefined;
}

/** Closes an open invitation; undefined when it was already closed (a concurrent accept or revoke). */
export async function closeInvitation(
  db: Executor,
  teamId: string,
  invitationId: string,
  how: { acceptedBy: string } | { revoked: true },
): Promise<TeamInvitation | undefined> {
  const now = new Date();
  const [row] = await db
    .update(teamInvitations)
    .set("acceptedBy" in how ? { acceptedAt: now, acceptedBy: how.acceptedBy } : { revokedAt: now })
    .where(and(eq(teamInvitations.teamId, teamId), eq(teamInvitations.id, invitationId), isNull(teamInvitations.acceptedAt), isNull(teamInvitations.revokedAt)))
    .returning();
  return row;
}
