/** Fixtures for the console services' tests: a fresh database, users, a team and a project. */
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import type { TeamRole } from "@switchyard/shared";
import { insertMember, type Project, type Team } from "@switchyard/db";
import { Keyring, generateSecretKey } from "../secrets";
import { ZERO_SETUP_POLICY } from "../servers/server-policy";
import type { Actor, ServiceDeps, ServiceHooks } from "../context";
import { createUser, type PublicUser } from "../services/users";
import { createTeam } from "../services/teams";
import { createProject } from "../services/projects";

export interface Fixture {
  tdb: TestDatabase;
  deps: ServiceDeps;
  hookCalls: { revoked: string[]; projectChanged: string[]; serverChanged: string[] };
}

export async function setupFixture(): Promise<Fixture> {
  const tdb = await createTestDatabase();
  const hookCalls: Fixture["hookCalls"] = { revoked: [], projectChanged: [], serverChanged: [] };
  const hooks: ServiceHooks = {
    apiKeyRevoked: (_p, keyId) => void hookCalls.revoked.push(keyId),
    projectChanged: (p) => void hookCalls.projectChanged.push(p),
    serverChanged: (_p, s) => void hookCalls.serverChanged.push(s),
  };
  return { tdb, hookCalls, deps: { db: tdb.db, keyring: Keyring.fromStrings(generateSecretKey()), policy: ZERO_SETUP_POLICY, hooks } };
}

let seq = 0;
export async function makeUser(deps: Pick<ServiceDeps, "db">, opts: { admin?: boolean; email?: string } = {}): Promise<PublicUser & { actor: Actor }> {
  seq += 1;
  const user = await createUser(deps, { kind: "system" }, { email: opts.email ?? `user${seq}-${Date.now()}@example.test`, password: "correct horse battery", isAdmin: opts.admin ?? false });
  return { ...user, actor: { kind: "user", userId: user.id, isAdmin: user.isAdmin } };
}

export async function makeTeam(deps: Pick<ServiceDeps, "db">, owner: PublicUser, name = `Team ${++seq}`): Promise<Team> {
  return createTeam(deps, { kind: "user", userId: owner.id, isAdmin: false }, { name: `${name} ${Date.now()}`, owner: owner.id });
}

export async function addMember(deps: Pick<ServiceDeps, "db">, team: Team, user: PublicUser, role: TeamRole) {
  return insertMember(deps.db, team.id, user.id, role);
}

export async function makeProject(deps: Pick<ServiceDeps, "db">, team: Team, owner: PublicUser, name = "Web app"): Promise<Project> {
  return createProject(deps, { kind: "user", userId: owner.id, isAdmin: false }, team.id, { name });
}
