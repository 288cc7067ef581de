/**
 * Instance-admin controls over accounts: activate/deactivate (ends sessions via the session
 * version), the admin flag (never leaving the instance without an active admin) and password resets.
 */
import { countActiveAdminsForUpdate, getUserByEmail, getUserById, insertActivity, updateUser, type Executor, type User } from "@switchyard/db";
import { AppError, notFound } from "@switchyard/shared";
import { actorUserId, isInstanceAdmin, type Actor, type ServiceDeps } from "../context";
import { hashPassword, passwordSchema } from "../passwords";
import { toPublicUser, type PublicUser } from "./users";

function assertAdmin(actor: Actor): void {
  if (!isInstanceAdmin(actor)) throw notFound("page");
}

type UserPatch = Parameters<typeof updateUser>[2];

/** What to write and how the activity feed words it; `null` when the user already is as asked. */
type UserChange = { patch: UserPatch; summary: string; metadata?: Record<string, unknown> } | null;

/** One audited change to an account in one transaction: find the user, plan the change, write it, record it. */
async function changeUser(
  deps: Pick<ServiceDeps, "db">,
  actor: Actor,
  find: (tx: Executor) => Promise<User | undefined>,
  plan: (tx: Executor, user: User) => Promise<UserChange>,
): Promise<PublicUser> {
  return deps.db.transaction(async (tx) => {
    const user = await find(tx);
    if (!user) throw notFound("user");
    const change = await plan(tx, user);
    if (!change) return toPublicUser(user);
    const updated = await updateUser(tx, user.id, change.patch);
    if (!updated) throw notFound("user");
    await insertActivity(tx, {
      teamId: null,
      actorUserId: actorUserId(actor),
      type: "user.updated",
      targetType: "user",
      targetId: user.id,
      summary: change.summary,
      ...(change.metadata ? { metadata: change.metadata } : {}),
    });
    return toPublicUser(updated);
  });
}

/** Refuses a change that would take away the instance's last active admin. */
async function assertAnotherActiveAdmin(tx: Executor): Promise<void> {
  if ((await countActiveAdminsForUpdate(tx)) <= 1) throw new AppError("conflict", "the instance needs at least one active admin");
}

export async function setUserActive(deps: Pick<ServiceDeps, "db">, actor: Actor, userId: string, active: boolean): Promise<PublicUser> {
  assertAdmin(actor);
  if (!active && actorUserId(actor) === userId) throw new AppError("conflict", "you cannot deactivate your own account");
  return changeUser(deps, actor, (tx) => getUserById(tx, userId), async (tx, user) => {
    if (user.isActive === active) return null;
    if (!active && user.isAdmin) await assertAnotherActiveAdmin(tx);
    return {
      patch: { isActive: active, ...(active ? {} : { bumpSessionVersion: true }) },
      summary: `${user.email} ${active ? "reactivated" : "deactivated (sessions ended)"}`,
      metadata: { isActive: active },
    };
  });
}

export async function setUserAdmin(deps: Pick<ServiceDeps, "db">, actor: Actor, userId: string, isAdmin: boolean): Promise<PublicUser> {
  assertAdmin(actor);
  if (!isAdmin && actorUserId(actor) === userId) throw new AppError("conflict", "you cannot remove your own admin flag");
  return changeUser(deps, actor, (tx) => getUserById(tx, userId), async (tx, user) => {
    if (user.isAdmin === isAdmin) return null;
    if (!isAdmin && user.isActive) await assertAnotherActiveAdmin(tx);
    return { patch: { isAdmin }, summary: `${user.email} ${isAdmin ? "made an instance admin" : "is no longer an instance admin"}`, metadata: { isAdmin } };
  });
}

/**
 * Sets a user's password on an instance admin's behalf (the CLI's `admin reset-password`, for a
 * lost first-admin password) and ends the user's sessions.
 */
export async function resetUserPassword(deps: Pick<ServiceDeps, "db">, actor: Actor, email: string, password: string): Promise<PublicUser> {
  assertAdmin(actor);
  const passwordHash = await hashPassword(passwordSchema.parse(password));
  return changeUser(deps, actor, (tx) => getUserByEmail(tx, email), (_tx, user) =>
    Promise.resolve({ patch: { passwordHash, bumpSessionVersion: true }, summary: `${user.email}'s password was reset (all sessions ended)` }),
  );
}
