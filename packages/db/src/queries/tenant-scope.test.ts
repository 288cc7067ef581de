/**
 * Every query over tenant data takes the tenant id and refuses another tenant's: asking team B's
 * scope for team A's rows behaves exactly like asking for rows that do not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing";
import * as q from "./index";

let t: TestDatabase;
const fixture = {} as {
  a: { teamId: string; projectId: string; serverId: string; keyId: string; keyHash: string; memberId: string; userId: string };
  b: { teamId: string; projectId: string; userId: string };
};

async function makeTenant(tag: string) {
  const user = await q.insertUser(t.db, { email: `${tag}@example.com`, name: tag, passwordHash: "x" });
  const team = await q.insertTeam(t.db, { name: `Team ${tag}`, slug: `team-${tag}` });
  const member = await q.insertMember(t.db, team.id, user.id, "owner");
  const project = await q.insertProject(t.db, team.id, { name: `P ${tag}`, slug: `p-${tag}` });
  const server = await q.insertServer(t.db, project.id, { name: `srv-${tag}`, transport: "stdio", command: "node" });
  const key = await q.insertApiKey(t.db, project.id, { name: "k", prefix: "sy_x", hash: `hash-${tag}`, createdBy: user.id });
  await q.insertActivity(t.db, { teamId: team.id, projectId: project.id, type: "project.created", summary: "x" });
  return { user, team, member, project, server, key };
}

beforeAll(async () => {
  t = await createTestDatabase();
  const a = await makeTenant("a");
  const b = await makeTenant("b");
  fixture.a = { teamId: a.team.id, projectId: a.project.id, serverId: a.server.id, keyId: a.key.id, keyHash: a.key.hash, memberId: a.member.id, userId: a.user.id };
  fixture.b = { teamId: b.team.id, projectId: b.project.id, userId: b.user.id };
});

afterAll(async () => {
  await t.drop();
});

describe("tenant-scoped queries", () => {
  it("see their own tenant's rows (the fixture is real)", async () => {
    const { a } = fixture;
    expect(await q.getProject(t.db, a.teamId, a.projectId)).toBeDefined();
    expect(await q.getServer(t.db, a.projectId, a.serverId)).toBeDefined();
    expect(await q.getApiKeyByHash(t.db, a.projectId, a.keyHash)).toBeDefined();
    expect(await q.getTeamForUser(t.db, a.userId, a.teamId)).toMatchObject({ role: "owner" });
  });

  it("refuse another team's id for teams, members and projects", async () => {
    const { a, b } = fixture;
    expect(await q.getTeamForUser(t.db, b.userId, a.teamId)).toBeUndefined();
    await expect(q.getTeamForUserOrThrow(t.db, b.userId, a.teamId)).rejects.toThrow("team not found");
    expect((await q.listTeamsForUser(t.db, b.userId)).map((x) => x.id)).toEqual([b.teamId]);
    expect(await q.getMembership(t.db, b.teamId, a.userId)).toBeUndefined();
    expect(await q.getMember(t.db, b.teamId, a.memberId)).toBeUndefined();
    expect(await q.updateMemberRole(t.db, b.teamId, a.memberId, "reporter")).toBeUndefined();
    expect(await q.deleteMember(t.db, b.teamId, a.memberId)).toBeUndefined();
    expect((await q.listMembers(t.db, b.teamId)).map((m) => m.userId)).toEqual([b.userId]);
    expect(await q.getProject(t.db, b.teamId, a.projectId)).toBeUndefined();
    await expect(q.getProjectOrThrow(t.db, b.teamId, a.projectId)).rejects.toThrow("project not found");
    expect(await q.getProjectForUser(t.db, b.userId, a.projectId)).toBeUndefined();
    expect((await q.listProjects(t.db, b.teamId)).map((p) => p.id)).toEqual([b.projectId]);
    expect(await q.updateProject(t.db, b.teamId, a.projectId, { name: "hijacked" })).toBeUndefined();
    expect(await q.deleteProject(t.db, b.teamId, a.projectId)).toBe(false);
    expect((await q.listActivities(t.db, b.teamId, { projectId: a.projectId })).items).toEqual([]);
  });

  it("refuse another project's id for servers and API keys", async () => {
    const { a, b } = fixture;
    expect(await q.getServer(t.db, b.projectId, a.serverId)).toBeUndefined();
    await expect(q.getServerOrThrow(t.db, b.projectId, a.serverId)).rejects.toThrow("server not found");
    expect(await q.getServerByName(t.db, b.projectId, "srv-a")).toBeUndefined();
    expect((await q.listServers(t.db, b.projectId)).map((s) => s.name)).toEqual(["srv-b"]);
    expect((await q.listEnabledServers(t.db, b.projectId)).map((s) => s.name)).toEqual(["srv-b"]);
    expect(await q.updateServer(t.db, b.projectId, a.serverId, { enabled: false })).toBeUndefined();
    expect(await q.deleteServer(t.db, b.projectId, a.serverId)).toBeUndefined();
    expect(await q.getApiKey(t.db, b.projectId, a.keyId)).toBeUndefined();
    expect(await q.getApiKeyByHash(t.db, b.projectId, a.keyHash)).toBeUndefined();
    expect((await q.listApiKeys(t.db, b.projectId)).every((k) => k.projectId === b.projectId)).toBe(true);
    expect(await q.revokeApiKey(t.db, b.projectId, a.keyId)).toBeUndefined();
    expect(await q.revokeApiKeysCreatedBy(t.db, b.teamId, a.userId)).toEqual([]);
    await q.touchApiKey(t.db, b.projectId, a.keyId, new Date(), "203.0.113.9");
  });

  it("refuse another project's id for a server's prompt and resource catalogue", async () => {
    const { a, b } = fixture;
    const lists = { prompts: [[{ name: "mine" }]], resources: [], resourceTemplates: [] };
    await q.upsertServerFeatures(t.db, a.projectId, a.serverId, lists, new Date());
    expect(await q.getServerFeatures(t.db, b.projectId, a.serverId)).toBeUndefined();
    expect(await q.listProjectFeatures(t.db, b.projectId)).toEqual([]);
    await q.upsertServerFeatures(t.db, b.projectId, a.serverId, { ...lists, prompts: [[{ name: "theirs" }]] }, new Date());
    expect(await q.insertDiscoveredServerFeatures(t.db, b.projectId, a.serverId, { ...lists, prompts: [] }, new Date())).toBe(false);
    expect((await q.getServerFeatures(t.db, a.projectId, a.serverId))?.prompts).toEqual([[{ name: "mine" }]]);
  });

  it("left the other tenant's rows untouched", async () => {
    const { a } = fixture;
    const project = await q.getProject(t.db, a.teamId, a.projectId);
    expect(project?.name).toBe("P a");
    const server = await q.getServer(t.db, a.projectId, a.serverId);
    expect(server?.enabled).toBe(true);
    const key = await q.getApiKey(t.db, a.projectId, a.keyId);
    expect(key?.revokedAt).toBeNull();
    expect(key?.lastUsedIp).toBeNull();
    expect(await q.getMember(t.db, a.teamId, a.memberId)).toMatchObject({ role: "owner" });
  });
});
