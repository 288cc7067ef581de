import { listMembers, listPendingInvitationsForEmail, searchActivityFeed } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvitationById, acceptInvitationByToken, declineInvitation, inviteMember, revokeInvitation } from "./invitations";
import { addMember, makeTeam, makeUser, setupFixture, type Fixture } from "../testing/services-fixture";

let f: Fixture;
beforeAll(async () => {
  f = await setupFixture();
});
afterAll(async () => {
  await f.tdb.drop();
});

describe("team invitations", () => {
  it("adds the invitee only when they accept while signed in with the invited email", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const invitee = await makeUser(f.deps);
    const { token } = await inviteMember(f.deps, owner.actor, { id: team.id, role: "owner" }, { email: invitee.email.toUpperCase(), role: "reporter" });
    expect((await listMembers(f.deps.db, team.id)).map((m) => m.userId)).not.toContain(invitee.id);

    const stranger = await makeUser(f.deps);
    await expect(acceptInvitationByToken(f.deps, { userId: stranger.id, email: stranger.email }, token)).rejects.toMatchObject({ code: "not_found" });

    const joined = await acceptInvitationByToken(f.deps, { userId: invitee.id, email: invitee.email }, token);
    expect(joined).toMatchObject({ teamId: team.id, role: "reporter" });
    const members = await listMembers(f.deps.db, team.id);
    expect(members.find((m) => m.userId === invitee.id)?.role).toBe("reporter");
    // The link is single-use.
    await expect(acceptInvitationByToken(f.deps, { userId: invitee.id, email: invitee.email }, token)).rejects.toMatchObject({ code: "not_found" });
    const feed = await searchActivityFeed(f.deps.db, team.id, { types: ["member.invited", "member.joined"] });
    expect(feed.items.map((a) => a.type).sort()).toEqual(["member.invited", "member.joined"]);
  });

  it("lists pending invitations for the invited user and accepts one by id", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const invitee = await makeUser(f.deps);
    await inviteMember(f.deps, owner.actor, { id: team.id, role: "owner" }, { email: invitee.email, role: "developer" });
    const pending = await listPendingInvitationsForEmail(f.deps.db, invitee.email);
    expect(pending).toHaveLength(1);
    const [inv] = pending;
    expect(inv?.team.id).toBe(team.id);
    const other = await makeUser(f.deps);
    await expect(acceptInvitationById(f.deps, { userId: other.id, email: other.email }, inv?.id ?? "")).rejects.toMatchObject({ code: "not_found" });
    await acceptInvitationById(f.deps, { userId: invitee.id, email: invitee.email }, inv?.id ?? "");
    expect(await listPendingInvitationsForEmail(f.deps.db, invitee.email)).toHaveLength(0);
  });

  it("lets the invitee decline and admins revoke", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const a = await makeUser(f.deps);
    const b = await makeUser(f.deps);
    const { invitation: ia } = await inviteMember(f.deps, owner.actor, { id: team.id, role: "owner" }, { email: a.email, role: "developer" });
    const { invitation: ib, token: tb } = await inviteMember(f.deps, owner.actor, { id: team.id, role: "owner" }, { email: b.email, role: "developer" });
    await declineInvitation(f.deps, { userId: a.id, email: a.email }, ia.id);
    await revokeInvitation(f.deps, owner.actor, { id: team.id, role: "owner" }, ib.id);
    await expect(acceptInvitationById(f.deps, { userId: a.id, email: a.email }, ia.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(acceptInvitationByToken(f.deps, { userId: b.id, email: b.email }, tb)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses owner invitations from admins and duplicates of members", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const admin = await makeUser(f.deps);
    await addMember(f.deps, team, admin, "admin");
    await expect(inviteMember(f.deps, admin.actor, { id: team.id, role: "admin" }, { email: "x@example.test", role: "owner" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(inviteMember(f.deps, owner.actor, { id: team.id, role: "owner" }, { email: admin.email, role: "reporter" })).rejects.toMatchObject({ code: "conflict" });
  });

  it("replaces an open invitation for the same email, so only the newest link works", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const invitee = await makeUser(f.deps);
    const first = await inviteMember(f.deps, owner.actor, { id: team.id, role: "owner" }, { email: invitee.email, role: "reporter" });
    const second = await inviteMember(f.deps, owner.actor, { id: team.id, role: "owner" }, { email: invitee.email, role: "developer" });
    await expect(acceptInvitationByToken(f.deps, { userId: invitee.id, email: invitee.email }, first.token)).rejects.toMatchObject({ code: "not_found" });
    expect(await acceptInvitationByToken(f.deps, { userId: invitee.id, email: invitee.email }, second.token)).toMatchObject({ role: "developer" });
  });
});
