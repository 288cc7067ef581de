import { getProject, getTeamBySlug, listActivities } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "./api-keys";
import { deleteProject, updateProjectSettings } from "./project-settings";
import { deleteTeam, updateTeamSettings } from "./team-settings";
import { makeProject, makeTeam, makeUser, setupFixture, type Fixture } from "../testing/services-fixture";

let f: Fixture;
beforeAll(async () => {
  f = await setupFixture();
});
afterAll(async () => {
  await f.tdb.drop();
});

describe("project settings", () => {
  it("updates the settings, records what changed and validates with the shared schema", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const project = await makeProject(f.deps, team, owner);
    const updated = await updateProjectSettings(f.deps, owner.actor, project, { retentionDays: 7, logPayloadPolicy: "metadata_only", toolSeparator: "_" });
    expect(updated).toMatchObject({ retentionDays: 7, logPayloadPolicy: "metadata_only", toolSeparator: "_" });
    const feed = await listActivities(f.deps.db, team.id, { type: "settings.updated" });
    expect(feed.items[0]?.summary).toContain("retentionDays");
    await expect(updateProjectSettings(f.deps, owner.actor, updated, { toolSeparator: "--" })).rejects.toThrow();
    await expect(updateProjectSettings(f.deps, owner.actor, updated, { retentionDays: 0 })).rejects.toThrow();
  });

  it("deletes a project only with its name echoed, revoking its keys through the hook", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const project = await makeProject(f.deps, team, owner, "Doomed");
    const { apiKey } = await createApiKey(f.deps, owner.actor, project, { name: "k" });
    await expect(deleteProject(f.deps, owner.actor, project, "doomed")).rejects.toMatchObject({ code: "invalid_input" });
    await deleteProject(f.deps, owner.actor, project, "Doomed");
    expect(await getProject(f.deps.db, team.id, project.id)).toBeUndefined();
    expect(f.hookCalls.revoked).toContain(apiKey.id);
    const feed = await listActivities(f.deps.db, team.id, { type: "project.deleted" });
    expect(feed.items).toHaveLength(1);
  });
});

describe("team settings", () => {
  it("renames a team and refuses a taken slug", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const other = await makeTeam(f.deps, owner);
    const ref = { ...team, role: "owner" as const };
    await expect(updateTeamSettings(f.deps, owner.actor, ref, { name: "X", slug: other.slug })).rejects.toMatchObject({ code: "conflict" });
    const renamed = await updateTeamSettings(f.deps, owner.actor, ref, { name: "Renamed", slug: `renamed-${Date.now()}` });
    expect(renamed.name).toBe("Renamed");
  });

  it("deletes a team when the slug is echoed", async () => {
    const owner = await makeUser(f.deps);
    const team = await makeTeam(f.deps, owner);
    const ref = { ...team, role: "owner" as const };
    await expect(deleteTeam(f.deps, owner.actor, ref, "nope")).rejects.toMatchObject({ code: "invalid_input" });
    await deleteTeam(f.deps, owner.actor, ref, team.slug);
    expect(await getTeamBySlug(f.deps.db, team.slug)).toBeUndefined();
  });
});
