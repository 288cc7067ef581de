"use server";

import {
  acceptInvitationById,
  acceptInvitationByToken,
  changeMemberRole as changeMemberRoleService,
  declineInvitation as declineInvitationService,
  inviteMember as inviteMemberService,
  removeMember as removeMemberService,
  revokeInvitation as revokeInvitationService,
} from "@switchyard/core/services";
import { getMembership } from "@switchyard/db";
import { TEAM_ROLES, notFound } from "@switchyard/shared";
import { z } from "zod";
import { inviteSchema } from "@/lib/schemas";
import { action } from "../action";

/** Creates an invitation and returns its link once (the token is stored only as a hash). */
export const inviteMember = action.team({
  name: "members.invite",
  role: "admin",
  input: inviteSchema,
  handler: async ({ deps, actor, team }, input) => {
    const { invitation, token } = await inviteMemberService(deps, actor, team, { email: input.email, role: input.role });
    return { invitationId: invitation.id, email: invitation.email, role: invitation.role, path: `/invite/${token}` };
  },
});

export const revokeInvitation = action.team({
  name: "members.revokeInvitation",
  role: "admin",
  input: z.object({ teamId: z.uuid(), invitationId: z.uuid() }),
  handler: async ({ deps, actor, team }, input) => {
    await revokeInvitationService(deps, actor, team, input.invitationId);
    return { revoked: true };
  },
});

export const changeMemberRole = action.team({
  name: "members.changeRole",
  role: "admin",
  input: z.object({ teamId: z.uuid(), memberId: z.uuid(), role: z.enum(TEAM_ROLES) }),
  handler: async ({ deps, actor, team }, input) => {
    const member = await changeMemberRoleService(deps, actor, team, input.memberId, { role: input.role });
    return { memberId: member.id, role: member.role };
  },
});

export const removeMember = action.team({
  name: "members.remove",
  role: "admin",
  input: z.object({ teamId: z.uuid(), memberId: z.uuid() }),
  handler: async ({ deps, actor, team }, input) => {
    const { revokedKeys } = await removeMemberService(deps, actor, team, input.memberId);
    return { revokedKeys };
  },
});

/** Any member may leave; the last owner may not. */
export const leaveTeam = action.team({
  name: "members.leave",
  input: z.object({ teamId: z.uuid() }),
  handler: async ({ deps, actor, team, user }) => {
    const membership = await getMembership(deps.db, team.id, user.id);
    if (!membership) throw notFound("team");
    await removeMemberService(deps, actor, team, membership.id);
    return { left: true };
  },
});

export const acceptInvitation = action.user({
  name: "invitations.acceptByToken",
  input: z.object({ token: z.string().min(10).max(200) }),
  handler: async ({ deps, user }, input) => acceptInvitationByToken(deps, { userId: user.id, email: user.email }, input.token),
});

export const acceptPendingInvitation = action.user({
  name: "invitations.accept",
  input: z.object({ invitationId: z.uuid() }),
  handler: async ({ deps, user }, input) => acceptInvitationById(deps, { userId: user.id, email: user.email }, input.invitationId),
});

export const declineInvitation = action.user({
  name: "invitations.decline",
  input: z.object({ invitationId: z.uuid() }),
  handler: async ({ deps, user }, input) => {
    await declineInvitationService(deps, { userId: user.id, email: user.email }, input.invitationId);
    return { declined: true };
  },
});
