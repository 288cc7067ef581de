/**
 * Instance-admin controls over accounts: activate/deactivate (ends sessions via the session
 * version), the admin flag (never leaving the instance without an active admin) and password resets.
 */
import { countActiveAdminsForUpdate, getUserByEmail, getUserById, insertActivity, updateUser } from "@switchyard/db";
import { AppError, notFound } from "@switchyard/shared";
import { actorUserId, isInstanceAdmin, type Actor, type ServiceDeps } from "../context";
import { hashPassword, passwordSchema } from "../passwords";
import { toPublicUser, type PublicUser } from "./users";

function assertAdmin(actor: Actor): void {
  if (!isInstanceAdmin(actor)) throw notFound("page");
}

export async function setUserActive(deps: Pick<ServiceDeps, "db">, actor: Actor, userId: string, active: boolean): Promise<PublicUser> {
  assertAdmin(actor);
  if (!active && actorUserId(actor) === userId) throw new AppError("conflict", "you cannot deactivate your own account");
  return deps.db.transaction(async (tx) => {
    const user = await getUserById(tx, userId);
    if (!user) throw notFound("user");
    if (user.isActive === active) return toPublicUser(user);
    if (!active && user.isAdmin && (await countActiveAdminsForUpdate(tx)) <= 1) throw new AppError("conflict", "the instance needs at least one active admin");
    const updated = await updateUser(tx, userId, { isActive: active, ...(active ? {} : { bumpSessionVersion: true }) });
    if (!updated) throw notFound("user");
    await insertActivity(tx, {
      teamId: null,
      actorUserId: actorUserId(actor),
      type: "user.updated",
      targetType: "user",
      targetId: userId,
      summary: `${user.email} ${active ? "reactivated" : "deactivated (sessions ended)"}`,
      metadata: { isActive: active },
    });
    return toPublicUser(updated);
  });
}

export async function setUserAdmin(deps: Pick<ServiceDeps, "db">, actor: Actor, userId: string, isAdmin: boolean): Promise<PublicUser> {
  assertAdmin(actor);
  if (!isAdmin && actorUserId(actor) === userId) throw new AppError("conflict", "you cannot remove your own admin flag");
  return deps.db.transaction(async (tx) => {
    const user = await getUserById(tx, userId);
    if (!user) throw notFound("user");
    if (user.isAdmin === isAdmin) return toPublicUser(user);
    if (!isAdmin && user.isActive && (await countActiveAdminsForUpdate(tx)) <= 1) throw new AppError("conflict", "the instance needs at least one active admin");
    const updated = await updateUser(tx, userId, { isAdmin });
    if (!updated) throw notFound("user");
    await insertActivity(tx, {
      teamId: null,
      actorUserId: actorUserId(actor),
      type: "user.updated",
      targetType: "user",
      targetId: userId,
      summary: `${user.email} ${isAdmin ? "made an instance admin" : "is no longer an instance admin"}`,
      metadata: { isAdmin },
    });
    return toPublicUser(updated);
  });
}

/**
 * Sets a user's password on an instance admin's behalf (the CLI's `admin reset-password`, for a
 * lost first-admin password) and ends the user's sessions.
 */
export async function resetUserPassword(deps: Pick<ServiceDeps, "db">, actor: Actor, email: string, password: string): Promise<PublicUser> {
  assertAdmin(actor);
  const passwordHash = await hashPassword(passwordSchema.parse(password));
  return deps.db.transaction(async (tx) => {
    const user = await getUserByEmail(tx, email);
    if (!user) throw notFound("user");
    const updated = await updateUser(tx, user.id, { passwordHash, bumpSessionVersion: true });
    if (!updated) throw notFound("user");
    await insertActivity(tx, {
      teamId: null,
      actorUserId: actorUserId(actor),
      type: "user.updated",
      targetType: "user",
      targetId: user.id,
      summary: `${user.email}'s password was reset (all sessions ended)`,
    });
    return toPublicUser(updated);
  });
}
