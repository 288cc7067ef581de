/**
 * In-process console tests: a fresh database, the web deps pointed at it (so every action, route
 * and page loader uses it), and a victim team with one of everything.
 */
import { randomBytes } from "node:crypto";
import { Keyring, ZERO_SETUP_POLICY, createApiKey, createProject, createServer, createTeam, createUser, generateSecretKey, inviteMember, type PublicUser } from "@switchyard/core";
import { insertMember, schema } from "@switchyard/db";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import type { TeamRole } from "@switchyard/shared";
import { parseEnv } from "@/env";
import type { WebConfig } from "@/server/config";
import { createWebDeps, setDepsForTests, type WebDeps } from "@/server/deps";
import type { SessionUser } from "@/server/session";

export interface WebFixture {
  tdb: TestDatabase;
  deps: WebDeps;
  close: () => Promise<void>;
}

export async function setupWebFixture(): Promise<WebFixture> {
  const tdb = await createTestDatabase();
  const config: WebConfig = {
    mode: "zero-setup",
    env: parseEnv({}),
    databaseUrl: tdb.url,
    authSecret: randomBytes(32).toString("base64url"),
    keyring: Keyring.fromStrings(generateSecretKey()),
    policy: ZERO_SETUP_POLICY,
    allowSignup: true,
    // Nothing listens here: a handler that wrongly reached the gateway would fail loudly.
    publicGatewayUrl: "http://127.0.0.1:9",
    gatewayInternalUrl: "http://127.0.0.1:9",
    publicWebUrl: "http://127.0.0.1:3000",
    queueBackend: "postgres",
  };
  const deps = createWebDeps(config);
  setDepsForTests(deps);
  return {
    tdb,
    deps,
    close: async () => {
      setDepsForTests(undefined);
      await deps.close();
      await tdb.drop();
    },
  };
}

export const PASSWORD = "fixture password 123";

export function sessionOf(user: PublicUser): SessionUser {
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin };
}

let n = 0;
export async function makeUser(deps: WebDeps, label: string, isAdmin = false): Promise<PublicUser> {
  n += 1;
  return createUser(deps, { kind: "system" }, { email: `${label}-${n}-${randomBytes(3).toString("hex")}@example.test`, password: PASSWORD, name: label, isAdmin });
}

export interface Tenant {
  owner: PublicUser;
  members: Record<Exclude<TeamRole, "owner">, PublicUser & { memberId: string }>;
  teamId: string;
  teamSlug: string;
  teamName: string;
  projectId: string;
  projectName: string;
  serverId: string;
  serverName: string;
  keyId: string;
  keyPrefix: string;
  toolId: string;
  heldToolId: string;
  invitationId: string;
  inviteToken: string;
  invitedEmail: string;
}

/** A team with a member of every role, a project, a server with tools, a key and an open invitation. */
export async function makeTenant(deps: WebDeps, label: string): Promise<Tenant> {
  // Seeding without hooks: nothing here should queue jobs.
  const seed = { db: deps.db, keyring: deps.keyring, policy: deps.policy };
  const owner = await makeUser(deps, `${label}-owner`);
  const actor = { kind: "user" as const, userId: owner.id, isAdmin: false };
  const team = await createTeam(seed, actor, { name: `${label} team ${randomBytes(2).toString("hex")}`, owner: owner.id });
  const members = {} as Tenant["members"];
  for (const role of ["admin", "developer", "reporter"] as const) {
    const user = await makeUser(deps, `${label}-${role}`);
    const m = await insertMember(deps.db, team.id, user.id, role);
    members[role] = { ...user, memberId: m.id };
  }
  const project = await createProject(seed, actor, team.id, { name: `${label} project` });
  const server = await createServer(seed, actor, project, { name: `${label}-server`, transport: "streamable_http", url: "https://mcp.example.com/mcp", headers: { Authorization: `Bearer ${label}-upstream-secret` } });
  const { apiKey } = await createApiKey(seed, actor, project, { name: `${label} key` });
  const [tool, held] = await deps.db
    .insert(schema.serverTools)
    .values([
      { projectId: project.id, serverId: server.id, name: "echo", inputSchema: { type: "object" } },
      { projectId: project.id, serverId: server.id, name: "held-tool", inputSchema: { type: "object" }, enabled: false, pendingApproval: true },
    ])
    .returning();
  if (!tool || !held) throw new Error("tool seed failed");
  const invitedEmail = `${label}-invitee-${randomBytes(3).toString("hex")}@example.test`;
  const { invitation, token } = await inviteMember(seed, actor, { id: team.id, role: "owner" }, { email: invitedEmail, role: "developer" });
  return {
    owner,
    members,
    teamId: team.id,
    teamSlug: team.slug,
    teamName: team.name,
    projectId: project.id,
    projectName: project.name,
    serverId: server.id,
    serverName: server.name,
    keyId: apiKey.id,
    keyPrefix: apiKey.prefix,
    toolId: tool.id,
    heldToolId: held.id,
    invitationId: invitation.id,
    inviteToken: token,
    invitedEmail,
  };
}
