/**
 * Team membership changes: role changes and removal (which revokes every API key the member
 * created in the team), with last-owner protection under a row lock.
 */
import {
  countOwnersForUpdate,
  deleteMember,
  getMember,
  getUserById,
  insertActivity,
  revokeApiKeysCreatedBy,
  updateMemberRole,
  type TeamMember,
} from "@switchyard/db";
import { AppError, notFound, roleAtLeast, TEAM_ROLES, type TeamRole } from "@switchyard/shared";
import { z } from "zod";
import { actorUserId, runHook, type Actor, type ServiceDeps } from "../context";
import type { TeamRef } from "./invitations";

export const changeRoleInputSchema = z.object({ role: z.enum(TEAM_ROLES) });

/** Role changes need admin (owner when an owner is involved); removal needs admin, except leaving. */
function assertMayManage(team: TeamRef, actor: Actor, target: TeamMember, newRole?: TeamRole): void {
  const self = actor.kind === "user" && actor.userId === target.userId;
  const admin = roleAtLeast(team.role, "admin");
  const owner = roleAtLeast(team.role, "owner");
  if (newRole !== undefined) {
    if (!admin) throw new AppError("forbidden", "this needs the admin role or higher");
    if ((target.role === "owner" || newRole === "owner") && !owner) throw new AppError("forbidden", "only owners can grant or change the owner role");
    return;
  }
  if (self) return;
  if (!admin) throw new AppError("forbidden", "this needs the admin role or higher");
  if (target.role === "owner" && !owner) throw new AppError("forbidden", "only owners can remove owners");
}

export async function changeMemberRole(deps: Pick<ServiceDeps, "db">, actor: Actor, team: TeamRef, memberId: string, raw: { role: TeamRole }): Promise<TeamMember> {
  const { role } = changeRoleInputSchema.parse(raw);
  return deps.db.transaction(async (tx) => {
    const target = await getMember(tx, team.id, memberId);
    if (!target) throw notFound("member");
    assertMayManage(team, actor, target, role);
    if (target.role === role) return target;
    if (target.role === "owner" && (await countOwnersForUpdate(tx, team.id)) <= 1) {
      throw new AppError("conflict", "a team needs at least one owner: make someone else owner first");
    }
    const updated = await updateMemberRole(tx, team.id, memberId, role);
    if (!updated) throw notFound("member");
    const user = await getUserById(tx, target.userId);
    await insertActivity(tx, {
      teamId: team.id,
      actorUserId: actorUserId(actor),
      type: "member.role_changed",
      targetType: "user",
      targetId: target.userId,
      summary: `${user?.email ?? "A member"} is now ${role} (was ${target.role})`,
      metadata: { from: target.role, to: role },
    });
    return updated;
  });
}

/** Removes a member (admins remove others; anyone may leave). Their API keys in the team are revoked. */
export async function removeMember(
  deps: Pick<ServiceDeps, "db" | "hooks">,
  actor: Actor,
  team: TeamRef,
  memberId: string,
): Promise<{ member: TeamMember; revokedKeys: number }> {
  const { member, keys } = await deps.db.transaction(async (tx) => {
    const target = await getMember(tx, team.id, memberId);
    if (!target) throw notFound("member");
    assertMayManage(team, actor, target);
    if (target.role === "owner" && (await countOwnersForUpdate(tx, team.id)) <= 1) {
      throw new AppError("conflict", "a team needs at least one owner: make someone else owner first, or delete the team");
    }
    const removed = await deleteMember(tx, team.id, memberId);
    if (!removed) throw notFound("member");
    const user = await getUserById(tx, target.userId);
    const email = user?.email ?? "a former member";
    const self = actor.kind === "user" && actor.userId === target.userId;
    await insertActivity(tx, {
      teamId: team.id,
      actorUserId: actorUserId(actor),
      type: "member.removed",
      targetType: "user",
      targetId: target.userId,
      summary: self ? `${email} left the team` : `${email} removed from the team`,
      metadata: { role: target.role },
    });
    const revoked = await revokeApiKeysCreatedBy(tx, team.id, target.userId);
    for (const key of revoked) {
      await insertActivity(tx, {
        teamId: team.id,
        projectId: key.projectId,
        actorUserId: actorUserId(actor),
        type: "api_key.revoked",
        targetType: "api_key",
        targetId: key.id,
        summary: `API key ${key.name} (${key.prefix}…) revoked: its creator ${email} left the team`,
        metadata: { reason: "member_removed" },
      });
    }
    return { member: removed, keys: revoked };
  });
  for (const key of keys) await runHook(deps.hooks?.apiKeyRevoked && (() => deps.hooks?.apiKeyRevoked?.(key.projectId, key.id, key.hash)));
  return { member, revokedKeys: keys.length };
}
