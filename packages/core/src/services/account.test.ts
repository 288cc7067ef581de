import { getUserById } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changePassword, signUp } from "./account";
import { resetUserPassword, setUserActive, setUserAdmin } from "./admin-users";
import { inviteMember } from "./invitations";
import { authenticateUser } from "./users";
import { makeTeam, makeUser, setupFixture, type Fixture } from "../testing/services-fixture";

let f: Fixture;
beforeAll(async () => {
  f = await setupFixture();
});
afterAll(async () => {
  await f.tdb.drop();
});

describe("sign-up", () => {
  it("is open when allowed and by invitation only otherwise", async () => {
    await signUp(f.deps, { name: "Open", email: "open@example.test", password: "long enough password" }, { allowSignup: true });
    await expect(signUp(f.deps, { name: "Closed", email: "closed@example.test", password: "long enough password" }, { allowSignup: false })).rejects.toMatchObject({ code: "forbidden" });
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const { token } = await inviteMember(f.deps, owner.actor, { id: team.id, role: "owner" }, { email: "invited@example.test", role: "reporter" });
    await expect(signUp(f.deps, { name: "Wrong", email: "other@example.test", password: "long enough password", inviteToken: token }, { allowSignup: false })).rejects.toMatchObject({ code: "forbidden" });
    const user = await signUp(f.deps, { name: "Invited", email: "invited@example.test", password: "long enough password", inviteToken: token }, { allowSignup: false });
    expect(user.email).toBe("invited@example.test");
  });

  it("enforces the password rules", async () => {
    await expect(signUp(f.deps, { name: "Short", email: "short@example.test", password: "short" }, { allowSignup: true })).rejects.toThrow(/at least 10/);
  });
});

describe("sessions end", () => {
  it("bumps the session version on a password change", async () => {
    const user = await makeUser(f.deps);
    const before = await getUserById(f.deps.db, user.id);
    await expect(changePassword(f.deps, user.id, { currentPassword: "wrong password", newPassword: "a new long password" })).rejects.toMatchObject({ code: "invalid_input" });
    await changePassword(f.deps, user.id, { currentPassword: "correct horse battery", newPassword: "a new long password" });
    const after = await getUserById(f.deps.db, user.id);
    expect(after?.sessionVersion).toBe((before?.sessionVersion ?? 0) + 1);
    expect(await authenticateUser(f.deps, user.email, "a new long password")).not.toBeNull();
  });

  it("bumps the session version on deactivation, which also blocks sign-in", async () => {
    const admin = await makeUser(f.deps, { admin: true });
    const user = await makeUser(f.deps);
    await setUserActive(f.deps, admin.actor, user.id, false);
    const row = await getUserById(f.deps.db, user.id);
    expect(row).toMatchObject({ isActive: false, sessionVersion: 2 });
    expect(await authenticateUser(f.deps, user.email, "correct horse battery")).toBeNull();
    await setUserActive(f.deps, admin.actor, user.id, true);
    expect(await authenticateUser(f.deps, user.email, "correct horse battery")).not.toBeNull();
  });

  it("bumps the session version on an admin's password reset, recorded in the activity feed", async () => {
    const admin = await makeUser(f.deps, { admin: true });
    const user = await makeUser(f.deps);
    await expect(resetUserPassword(f.deps, user.actor, user.email, "another long password")).rejects.toMatchObject({ code: "not_found" });
    await resetUserPassword(f.deps, admin.actor, user.email, "another long password");
    expect(await getUserById(f.deps.db, user.id)).toMatchObject({ sessionVersion: 2 });
    expect(await authenticateUser(f.deps, user.email, "another long password")).not.toBeNull();
    const [activity] = await f.tdb.sql<{ summary: string }[]>`select summary from activities where target_id = ${user.id} and type = 'user.updated'`;
    expect(activity?.summary).toBe(`${user.email}'s password was reset (all sessions ended)`);
  });
});

describe("instance admin controls", () => {
  it("are refused to non-admins and never leave the instance without an admin", async () => {
    const admin = await makeUser(f.deps, { admin: true });
    const user = await makeUser(f.deps);
    await expect(setUserAdmin(f.deps, user.actor, user.id, true)).rejects.toMatchObject({ code: "not_found" });
    await expect(setUserActive(f.deps, admin.actor, admin.id, false)).rejects.toMatchObject({ code: "conflict" });
    await expect(setUserAdmin(f.deps, admin.actor, admin.id, false)).rejects.toMatchObject({ code: "conflict" });
    await setUserAdmin(f.deps, admin.actor, user.id, true);
    expect((await getUserById(f.deps.db, user.id))?.isAdmin).toBe(true);
  });
});
