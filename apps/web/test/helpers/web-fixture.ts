/**
 * In-process console tests: a fresh database, the web deps pointed at it (so every action, route
 * and page loader uses it), and a victim team with one of everything.
 */
import { randomBytes } from "node:crypto";
import { generateSecretKey } from "@switchyard/core/secrets";
import { createApiKey, createProject, createServer, createTeam, createUser, inviteMember, type PublicUser } from "@switchyard/core/services";
import { insertMember, insertSavedView, schema } from "@switchyard/db";
import { copyLogRows, ensureLogPartitionsFor, rebuildLogRollups } from "@switchyard/db/seed";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { uuidv7, type TeamRole } from "@switchyard/shared";
import { parseEnv } from "@/env";
import { resolveWebConfig, type WebConfig } from "@/server/config";
import { createWebDeps, setDepsForTests, type WebDeps } from "@/server/deps";
import type { SessionUser } from "@/server/session";

export interface WebFixture {
  tdb: TestDatabase;
  deps: WebDeps;
  close: () => Promise<void>;
}

/** The console's configuration as the process resolves it from `vars` (zero-setup with fresh secrets unless they say otherwise). */
export function webConfigFor(vars: Record<string, string>): Promise<WebConfig> {
  return resolveWebConfig(
    parseEnv({ SWITCHYARD_MODE: "zero-setup", SWITCHYARD_SECRET_KEY: generateSecretKey(), AUTH_SECRET: randomBytes(32).toString("base64url"), ...vars }),
  );
}

export async function setupWebFixture(): Promise<WebFixture> {
  const tdb = await createTestDatabase();
  // Nothing listens at the gateway URL: a handler that wrongly reached the gateway would fail loudly.
  const config = await webConfigFor({ DATABASE_URL: tdb.url, PUBLIC_GATEWAY_URL: "http://127.0.0.1:9" });
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
  /** One logged call (its explorer key), its open client session and a saved view. */
  callKey: string;
  sessionId: string;
  viewId: string;
  /** Marker in the logged call's tool name and error, to detect leaks. */
  callMarker: string;
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
  const callMarker = `${label}-secret-tool`;
  const sessionId = uuidv7();
  const startedAt = new Date(Date.now() - 60_000);
  const callId = uuidv7(startedAt.getTime());
  await ensureLogPartitionsFor(deps.sql, startedAt, startedAt);
  await copyLogRows(deps.sql, [
    { id: callId, projectId: project.id, serverName: server.name, toolName: callMarker, status: "error", errorMessage: `${callMarker} failed`, input: { marker: callMarker }, durationMs: 12, startedAt, sessionId },
  ]);
  await rebuildLogRollups(deps.sql, project.id);
  await deps.sql`insert into client_sessions (id, project_id, transport, client_name, client_type, gateway_instance, calls_total)
    values (${sessionId}, ${project.id}, 'streamable_http', ${callMarker}, 'cursor', 'test', 1)`;
  const view = await insertSavedView(deps.db, project.id, { name: `${label} view`, state: "q=status%3Aerror", createdBy: owner.id });
  return {
    callKey: `${startedAt.getTime()}_${callId}`,
    sessionId,
    viewId: view.id,
    callMarker,
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
