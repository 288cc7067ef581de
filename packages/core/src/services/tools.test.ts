import { getServerToolById, schema, searchActivityFeed } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "./servers";
import { reviewHeldTool, setToolEnabled } from "./tools";
import { makeProject, makeTeam, makeUser, setupFixture, type Fixture } from "../testing/services-fixture";

let f: Fixture;
beforeAll(async () => {
  f = await setupFixture();
});
afterAll(async () => {
  await f.tdb.drop();
});

async function seedTools() {
  const owner = await makeUser(f.deps);
  const team = await makeTeam(f.deps, owner);
  const project = await makeProject(f.deps, team, owner);
  const server = await createServer(f.deps, owner.actor, project, { name: "everything", transport: "stdio", command: "node" });
  const rows = await f.deps.db
    .insert(schema.serverTools)
    .values([
      { projectId: project.id, serverId: server.id, name: "echo", inputSchema: { type: "object" } },
      { projectId: project.id, serverId: server.id, name: "delete-all", inputSchema: { type: "object" }, enabled: false, pendingApproval: true },
    ])
    .returning();
  const [echo, held] = rows;
  if (!echo || !held) throw new Error("seed failed");
  return { owner, team, project, echo, held };
}

describe("tool switches", () => {
  it("disables and re-enables a tool with activity rows and a project-changed hook", async () => {
    const { owner, team, project, echo } = await seedTools();
    await setToolEnabled(f.deps, owner.actor, project, echo.id, false);
    expect((await getServerToolById(f.deps.db, project.id, echo.id))?.enabled).toBe(false);
    await setToolEnabled(f.deps, owner.actor, project, echo.id, true);
    const feed = await searchActivityFeed(f.deps.db, team.id, { projectId: project.id, types: ["tool.enabled", "tool.disabled"] });
    expect(feed.items.map((a) => a.type)).toEqual(["tool.enabled", "tool.disabled"]);
    expect(f.hookCalls.projectChanged).toContain(project.id);
  });

  it("refuses toggling a held tool until it is reviewed", async () => {
    const { owner, project, held } = await seedTools();
    await expect(setToolEnabled(f.deps, owner.actor, project, held.id, true)).rejects.toMatchObject({ code: "conflict" });
    const approved = await reviewHeldTool(f.deps, owner.actor, project, held.id, true);
    expect(approved).toMatchObject({ enabled: true, pendingApproval: false });
    await expect(reviewHeldTool(f.deps, owner.actor, project, held.id, true)).rejects.toMatchObject({ code: "conflict" });
  });

  it("gives not-found for another project's tool", async () => {
    const a = await seedTools();
    const b = await seedTools();
    await expect(setToolEnabled(f.deps, b.owner.actor, b.project, a.echo.id, false)).rejects.toMatchObject({ code: "not_found" });
    expect((await getServerToolById(f.deps.db, a.project.id, a.echo.id))?.enabled).toBe(true);
  });
});
