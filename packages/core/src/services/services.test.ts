import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR, type Actor, type ServiceDeps } from "../context";
import { generateSecretKey, Keyring } from "../secrets";
import { ZERO_SETUP_POLICY } from "../servers/server-policy";
import { createApiKey, revokeApiKey } from "./api-keys";
import { createProject } from "./projects";
import { previewServerImport } from "./server-import";
import { createServer, deleteServer, importServers, setServerEnabled, updateServer } from "./servers";
import { createTeam } from "./teams";
import { authenticateUser, createUser } from "./users";

let t: TestDatabase;
let deps: ServiceDeps;
const changed: string[] = [];
const revoked: string[] = [];
let project: { id: string; teamId: string };
let actor: Actor;

async function activityTypes(): Promise<string[]> {
  const rows = await t.sql<{ type: string }[]>`select type from activities order by at, id`;
  return rows.map((r) => r.type);
}

beforeAll(async () => {
  t = await createTestDatabase();
  deps = {
    db: t.db,
    keyring: Keyring.fromStrings(generateSecretKey()),
    policy: ZERO_SETUP_POLICY,
    hooks: {
      serverChanged: (_p, serverId) => void changed.push(serverId),
      apiKeyRevoked: (_p, keyId) => void revoked.push(keyId),
    },
  };
  const user = await createUser(deps, CLI_ACTOR, { email: "dev@example.com", password: "a long password" });
  actor = { kind: "user", userId: user.id, isAdmin: false };
  const team = await createTeam(deps, CLI_ACTOR, { name: "Core Team", owner: user.id });
  project = await createProject(deps, actor, team.id, { name: "Core Project" });
});

afterAll(async () => {
  await t.drop();
});

describe("users", () => {
  it("authenticates with the right password only, and never for inactive users", async () => {
    expect(await authenticateUser(deps, "DEV@example.com", "a long password")).toMatchObject({ email: "dev@example.com" });
    expect(await authenticateUser(deps, "dev@example.com", "wrong password!")).toBeNull();
    expect(await authenticateUser(deps, "nobody@example.com", "a long password")).toBeNull();
    await t.sql`update users set is_active = false where email = 'dev@example.com'`;
    expect(await authenticateUser(deps, "dev@example.com", "a long password")).toBeNull();
    await t.sql`update users set is_active = true where email = 'dev@example.com'`;
  });
});

describe("servers", () => {
  it("records an activity with each change and calls the change hook after commit", async () => {
    const server = await createServer(deps, actor, project, { name: "memory", transport: "stdio", command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] });
    await setServerEnabled(deps, actor, project, server.id, false);
    await updateServer(deps, actor, project, server.id, { name: "memory", transport: "stdio", command: "npx", args: ["-y", "other"] });
    await deleteServer(deps, actor, project, server.id);
    expect(await activityTypes()).toEqual(expect.arrayContaining(["server.created", "server.disabled", "server.updated", "server.deleted"]));
    expect(changed.filter((id) => id === server.id)).toHaveLength(3);
  });

  it("writes neither the server nor its activity when the insert fails", async () => {
    await createServer(deps, actor, project, { name: "dup", transport: "sse", url: "https://example.com/sse" });
    const before = (await activityTypes()).length;
    await expect(createServer(deps, actor, project, { name: "dup", transport: "sse", url: "https://example.com/sse" })).rejects.toThrow(/already has a server named "dup"/);
    expect((await activityTypes()).length).toBe(before);
  });

  it("imports all entries or none", async () => {
    const doc = JSON.stringify({ mcpServers: { alpha: { command: "node" }, Beta: { url: "https://b.example.com/mcp" }, broken: {} } });
    await expect(importServers(deps, actor, project, doc)).rejects.toThrow(/broken: needs a command/);
    const [none] = await t.sql<{ n: number }[]>`select count(*)::int as n from mcp_servers where name in ('alpha', 'beta')`;
    expect(none?.n).toBe(0);
    const ok = await importServers(deps, actor, project, JSON.stringify({ mcpServers: { alpha: { command: "node" }, Beta: { url: "https://b.example.com/mcp" } } }));
    expect(ok.servers.map((s) => s.name)).toEqual(["alpha", "beta"]);
  });

  it("previews an import entry by entry with the same checks, writing nothing and showing no secret values", async () => {
    const doc = JSON.stringify({
      mcpServers: {
        alpha: { command: "node" },
        gamma: { command: "npx", args: ["-y", "pkg"], env: { TOKEN: "s3cret" } },
        remote: { url: "https://r.example.com/mcp?key=s3cret", headers: { Authorization: "Bearer s3cret" } },
        broken: {},
      },
    });
    const noStdio = { ...deps, policy: { ...deps.policy, stdio: "off" as const } };
    const preview = await previewServerImport(noStdio, actor, project.id, doc);
    expect(JSON.stringify(preview)).not.toContain("s3cret");
    expect(preview.entries.map((e) => [e.name, e.target, e.envKeys, e.headerKeys, e.errors.length > 0])).toEqual([
      ["alpha", "node", [], [], true],
      ["gamma", "npx -y pkg", ["TOKEN"], [], true],
      ["remote", "https://r.example.com/mcp", [], ["Authorization"], false],
      ["broken", null, [], [], true],
    ]);
    expect(preview.entries[0]?.errors.join(" ")).toMatch(/already has a server named "alpha"/);
    const [count] = await t.sql<{ n: number }[]>`select count(*)::int as n from mcp_servers where name in ('gamma', 'remote')`;
    expect(count?.n).toBe(0);
    const unreadable = await previewServerImport(deps, actor, project.id, "not json");
    expect(unreadable.entries).toEqual([]);
    expect(unreadable.error).toBeTruthy();
  });
});

describe("API keys", () => {
  it("returns the key once, stores the hash, and revokes with an activity and the revocation hook", async () => {
    const { apiKey, key } = await createApiKey(deps, actor, project, { name: "ci", rateLimitPerMinute: 100 });
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey).not.toHaveProperty("hash");
    const done = await revokeApiKey(deps, actor, project, apiKey.id);
    expect(done.revokedAt).toBeInstanceOf(Date);
    expect(revoked).toEqual([apiKey.id]);
    // Revoking twice is not an error and does not fire the hook again.
    await revokeApiKey(deps, actor, project, apiKey.id);
    expect(revoked).toEqual([apiKey.id]);
    expect((await activityTypes()).filter((x) => x === "api_key.revoked")).toHaveLength(1);
  });

  it("refuses a key of another project as not found", async () => {
    const { apiKey } = await createApiKey(deps, actor, project, { name: "other" });
    const other = await createProject(deps, actor, project.teamId, { name: "Other Project" });
    await expect(revokeApiKey(deps, actor, other, apiKey.id)).rejects.toThrow("API key not found");
  });
});
