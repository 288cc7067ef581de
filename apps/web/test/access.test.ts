/**
 * Every server action and route handler, enumerated from disk (test/helpers/registry.ts), is
 * called by: nobody (401), a user of another team (404, no data, nothing changed), and a member
 * whose role is one below the handler's minimum (403).
 */
import type { ErrorCode, TeamRole } from "@switchyard/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRoute } from "@/server/action";
import { runHandler, type HandlerResult } from "@/server/handler";
import type { SessionUser } from "@/server/session";
import { CASES, OWN_ACCOUNT_ONLY } from "./helpers/access-cases";
import { loadRegistered, type Registered } from "./helpers/registry";
import { makeTenant, makeUser, sessionOf, setupWebFixture, type Tenant, type WebFixture } from "./helpers/web-fixture";

let f: WebFixture;
let handlers: Registered[];
let victim: Tenant;
let attacker: Tenant;

beforeAll(async () => {
  f = await setupWebFixture();
  victim = await makeTenant(f.deps, "victim");
  attacker = await makeTenant(f.deps, "attacker");
  const loaded = await loadRegistered();
  expect(loaded.unwrapped, "exports that bypass the action/route wrapper").toEqual([]);
  handlers = loaded.handlers;
}, 120_000);

afterAll(async () => {
  await f.close();
});

/** Calls an action or a route the way Next would, with `user` as the session. */
async function call(h: Registered, user: SessionUser | null, input: Record<string, unknown>): Promise<{ result: HandlerResult<unknown>; status: number; body: string }> {
  if (h.kind === "action") {
    const result = await runHandler(h.def, user, input);
    return { result, status: result.ok ? 200 : result.error.status, body: JSON.stringify(result) };
  }
  const params = Object.fromEntries(h.params.map((p) => [p, input[p]]));
  const query = new URLSearchParams(Object.entries(input).filter(([k]) => !h.params.includes(k)).map(([k, v]) => [k, String(v)]));
  const res = await runRoute(h.def, user, new Request(`http://console.test/${h.file}?${query.toString()}`, { method: h.exportName }), params);
  const body = await res.text();
  const parsed = JSON.parse(body) as { error?: { code: ErrorCode; message: string } };
  const result: HandlerResult<unknown> = res.ok ? { ok: true, data: parsed } : { ok: false, error: { code: parsed.error?.code ?? "internal", message: parsed.error?.message ?? "", status: res.status } };
  return { result, status: res.status, body };
}

/** A fingerprint of everything the victim owns, to prove a refused call changed nothing. */
async function victimState(): Promise<string> {
  const rows = await f.deps.sql`
    select
      (select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from teams t where t.id = ${victim.teamId}) as teams,
      (select md5(coalesce(string_agg(m::text, ',' order by m.id), '')) from team_members m where m.team_id = ${victim.teamId}) as members,
      (select md5(coalesce(string_agg(i::text, ',' order by i.id), '')) from team_invitations i where i.team_id = ${victim.teamId}) as invitations,
      (select md5(coalesce(string_agg(p::text, ',' order by p.id), '')) from projects p where p.team_id = ${victim.teamId}) as projects,
      (select md5(coalesce(string_agg(k::text, ',' order by k.id), '')) from api_keys k where k.project_id = ${victim.projectId}) as keys,
      (select md5(coalesce(string_agg(s::text, ',' order by s.id), '')) from mcp_servers s where s.project_id = ${victim.projectId}) as servers,
      (select md5(coalesce(string_agg(s::text, ',' order by s.id), '')) from server_tools s where s.project_id = ${victim.projectId}) as tools,
      (select md5(coalesce(string_agg(u::text, ',' order by u.id), '')) from users u where u.id = ${victim.owner.id}) as owner,
      (select count(*) from activities a where a.team_id = ${victim.teamId}) as activities,
      (select md5(coalesce(string_agg(w::text, ',' order by w.job_name), '')) from worker_settings w) as worker,
      (select md5(coalesce(string_agg(v::text, ',' order by v.id), '')) from saved_views v where v.project_id = ${victim.projectId}) as views,
      (select md5(coalesce(string_agg(s::text, ',' order by s.id), '')) from client_sessions s where s.project_id = ${victim.projectId}) as sessions`;
  return JSON.stringify(rows[0]);
}

function secretsOf(t: Tenant): string[] {
  return [t.teamSlug, t.teamName, t.projectName, t.serverName, t.keyPrefix, t.owner.email, t.members.developer.email, t.invitedEmail, "victim-upstream-secret", t.callMarker];
}

describe("the handler registry", () => {
  it("has an access case for every registered action and route, and no stale cases", () => {
    const names = handlers.map((h) => h.def.name);
    const covered = new Set([...Object.keys(CASES), ...Object.keys(OWN_ACCOUNT_ONLY)]);
    expect(names.filter((n) => !covered.has(n)), "handlers without an access case").toEqual([]);
    expect([...covered].filter((n) => !names.includes(n)), "cases for handlers that no longer exist").toEqual([]);
    expect(new Set(names).size, "handler names are unique").toBe(names.length);
  });
});

describe("without a session", () => {
  it("every non-public handler answers 401", async () => {
    const failures: string[] = [];
    for (const h of handlers.filter((x) => x.def.scope !== "public")) {
      const inputs = CASES[h.def.name]?.(victim, attacker) ?? [{}];
      for (const input of inputs) {
        const { status } = await call(h, null, input);
        if (status !== 401) failures.push(`${h.def.name}: ${status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("a user of another team", () => {
  it("gets 404 and no data from every handler that can reach tenant data, and changes nothing", async () => {
    const before = await victimState();
    const user = sessionOf(attacker.owner);
    const failures: string[] = [];
    let calls = 0;
    for (const h of handlers) {
      const make = CASES[h.def.name];
      if (!make) continue;
      for (const input of make(victim, attacker)) {
        calls += 1;
        const { result, status, body } = await call(h, user, input);
        const leaked = secretsOf(victim).filter((s) => body.includes(s));
        if (status !== 404 || result.ok || leaked.length) failures.push(`${h.def.name} ${JSON.stringify(input)} → ${status} ${leaked.length ? `leaked ${leaked.join(", ")}` : body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(40);
    expect(await victimState()).toBe(before);
  });
});

describe("a member below the handler's role", () => {
  const BELOW: Partial<Record<TeamRole, "reporter" | "developer" | "admin">> = { developer: "reporter", admin: "developer", owner: "admin" };

  it("gets 403 from every team and project handler that needs more than reporter, and changes nothing", async () => {
    const before = await victimState();
    const failures: string[] = [];
    let checked = 0;
    for (const h of handlers.filter((x) => (x.def.scope === "team" || x.def.scope === "project") && x.def.role && x.def.role !== "reporter")) {
      const role = BELOW[h.def.role ?? "reporter"];
      const make = CASES[h.def.name];
      if (!role || !make) continue;
      const [input] = make(victim, attacker);
      if (!input) continue;
      checked += 1;
      const { status, body } = await call(h, sessionOf(victim.members[role]), input);
      if (status !== 403) failures.push(`${h.def.name} as ${role} → ${status} ${body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(15);
    expect(await victimState()).toBe(before);
  });

  it("keeps a developer from revoking someone else's key and a reporter from instance-admin handlers", async () => {
    const revoke = handlers.find((h) => h.def.name === "apiKeys.revoke");
    if (!revoke) throw new Error("apiKeys.revoke is not registered");
    const dev = await call(revoke, sessionOf(victim.members.developer), { projectId: victim.projectId, keyId: victim.keyId });
    expect(dev.status).toBe(403);
    const admin = handlers.filter((h) => h.def.scope === "admin");
    expect(admin.length).toBeGreaterThan(4);
    for (const h of admin) {
      const [input] = CASES[h.def.name]?.(victim, attacker) ?? [{}];
      expect((await call(h, sessionOf(victim.members.reporter), input ?? {})).status, h.def.name).toBe(404);
    }
  });
});

describe("an instance admin", () => {
  it("is still a stranger to teams they are not in", async () => {
    const admin = sessionOf(await makeUser(f.deps, "instance-admin", true));
    const list = handlers.find((h) => h.def.name === "api.servers.list");
    if (!list) throw new Error("api.servers.list is not registered");
    expect((await call(list, admin, { projectId: victim.projectId })).status).toBe(404);
  });
});
