import { listApiKeys, listMembers, searchActivityFeed } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "./api-keys";
import { changeMemberRole, removeMember } from "./members";
import { addMember, makeProject, makeTeam, makeUser, setupFixture, type Fixture } from "../testing/services-fixture";

let f: Fixture;
beforeAll(async () => {
  f = await setupFixture();
});
afterAll(async () => {
  await f.tdb.drop();
});

async function memberId(teamId: string, userId: string): Promise<string> {
  const m = (await listMembers(f.deps.db, teamId)).find((x) => x.userId === userId);
  if (!m) throw new Error("no membership");
  return m.id;
}

describe("members", () => {
  it("protects the last owner from demotion and removal", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const id = await memberId(team.id, owner.id);
    await expect(changeMemberRole(f.deps, owner.actor, { id: team.id, role: "owner" }, id, { role: "admin" })).rejects.toMatchObject({ code: "conflict" });
    await expect(removeMember(f.deps, owner.actor, { id: team.id, role: "owner" }, id)).rejects.toMatchObject({ code: "conflict" });
    const second = await makeUser(f.deps);
    await addMember(f.deps, team, second, "owner");
    await changeMemberRole(f.deps, owner.actor, { id: team.id, role: "owner" }, id, { role: "admin" });
    expect((await listMembers(f.deps.db, team.id)).find((m) => m.userId === owner.id)?.role).toBe("admin");
  });

  it("keeps admins from granting or touching the owner role", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const admin = await makeUser(f.deps);
    await addMember(f.deps, team, admin, "admin");
    const dev = await makeUser(f.deps);
    await addMember(f.deps, team, dev, "developer");
    const ref = { id: team.id, role: "admin" as const };
    await expect(changeMemberRole(f.deps, admin.actor, ref, await memberId(team.id, admin.id), { role: "owner" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(changeMemberRole(f.deps, admin.actor, ref, await memberId(team.id, owner.id), { role: "reporter" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(removeMember(f.deps, admin.actor, ref, await memberId(team.id, owner.id))).rejects.toMatchObject({ code: "forbidden" });
    await changeMemberRole(f.deps, admin.actor, ref, await memberId(team.id, dev.id), { role: "reporter" });
    const reporterRef = { id: team.id, role: "reporter" as const };
    await expect(removeMember(f.deps, dev.actor, reporterRef, await memberId(team.id, admin.id))).rejects.toMatchObject({ code: "forbidden" });
  });

  it("revokes the keys a removed member created, with an activity row each, and fires the revocation hook", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const project = await makeProject(f.deps, team, owner);
    const dev = await makeUser(f.deps);
    await addMember(f.deps, team, dev, "developer");
    const devKey = await createApiKey(f.deps, dev.actor, project, { name: "dev laptop" });
    const ownerKey = await createApiKey(f.deps, owner.actor, project, { name: "ci" });
    const { revokedKeys } = await removeMember(f.deps, owner.actor, { id: team.id, role: "owner" }, await memberId(team.id, dev.id));
    expect(revokedKeys).toBe(1);
    const keys = await listApiKeys(f.deps.db, project.id);
    expect(keys.find((k) => k.id === devKey.apiKey.id)?.revokedAt).toBeInstanceOf(Date);
    expect(keys.find((k) => k.id === ownerKey.apiKey.id)?.revokedAt).toBeNull();
    expect(f.hookCalls.revoked).toContain(devKey.apiKey.id);
    const feed = await searchActivityFeed(f.deps.db, team.id, { types: ["member.removed", "api_key.revoked"] });
    expect(feed.items.map((a) => a.type).sort()).toEqual(["api_key.revoked", "member.removed"]);
  });

  it("lets any member leave", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const rep = await makeUser(f.deps);
    await addMember(f.deps, team, rep, "reporter");
    await removeMember(f.deps, rep.actor, { id: team.id, role: "reporter" }, await memberId(team.id, rep.id));
    expect((await listMembers(f.deps.db, team.id)).map((m) => m.userId)).toEqual([owner.id]);
  });
});
