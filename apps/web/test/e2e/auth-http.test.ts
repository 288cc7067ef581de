/**
 * Sessions and sign-in against the built console: cookie flags, sessions ended by deactivation
 * and by a password change (session_version in the JWT callback), login rate limiting, and
 * invite-only sign-up when ALLOW_SIGNUP is off.
 */
import { changePassword, setUserActive } from "@switchyard/core/services";
import { insertMember } from "@switchyard/db";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebDeps, type WebDeps } from "@/server/deps";
import { makeTenant, makeUser, PASSWORD, webConfigFor, type Tenant } from "../helpers/web-fixture";
import { loginHttp, startStack, type Stack } from "../harness/stack";

let tdb: TestDatabase;
let stack: Stack;
let deps: WebDeps;
let tenant: Tenant;

beforeAll(async () => {
  tdb = await createTestDatabase();
  stack = await startStack({ databaseUrl: tdb.url, name: "auth", env: { ALLOW_SIGNUP: "false" } });
  deps = createWebDeps(
    await webConfigFor({
      SWITCHYARD_MODE: "production",
      DATABASE_URL: tdb.url,
      SWITCHYARD_SECRET_KEY: stack.secretKey,
      AUTH_SECRET: stack.authSecret,
      PUBLIC_GATEWAY_URL: stack.gatewayUrl,
      ALLOW_SIGNUP: "false",
      STDIO_SERVERS: "on",
      ALLOW_PRIVATE_UPSTREAMS: "true",
    }),
  );
  tenant = await makeTenant(deps, "auth");
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  await deps?.close();
  await tdb?.drop();
});

/** A request only a signed-in member of the tenant's team gets 200 from. */
async function status(cookie: string): Promise<number> {
  const res = await fetch(`${stack.consoleUrl}/api/teams/${tenant.teamId}/activity`, { headers: { cookie } });
  return res.status;
}

async function attempt(email: string, password: string): Promise<{ session: string | undefined; location: string }> {
  const csrf = await fetch(`${stack.consoleUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${stack.consoleUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  return { session: res.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token=")), location: res.headers.get("location") ?? "" };
}

describe("sessions", () => {
  it("are httpOnly, sameSite cookies", async () => {
    const { session } = await attempt(tenant.members.developer.email, PASSWORD);
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Path=\//i);
  });

  it("redirect signed-out visitors to the login page", async () => {
    const res = await fetch(`${stack.consoleUrl}/t/${tenant.teamSlug}`, { redirect: "manual" });
    expect([303, 307, 308]).toContain(res.status);
    expect(res.headers.get("location")).toContain("/login");
  });

  it("end when the user is deactivated, and stay ended after reactivation", async () => {
    const user = await makeUser(deps, "deactivated");
    await insertMember(deps.db, tenant.teamId, user.id, "reporter");
    const cookie = await loginHttp(stack.consoleUrl, user.email, PASSWORD);
    expect(await status(cookie)).toBe(200);
    const admin = { kind: "user" as const, userId: (await makeUser(deps, "admin", true)).id, isAdmin: true };
    await setUserActive(deps, admin, user.id, false);
    expect(await status(cookie)).toBe(401);
    expect((await attempt(user.email, PASSWORD)).session).toBeUndefined();
    await setUserActive(deps, admin, user.id, true);
    expect(await status(cookie)).toBe(401);
    expect(await status(await loginHttp(stack.consoleUrl, user.email, PASSWORD))).toBe(200);
  });

  it("end everywhere when the password changes", async () => {
    const user = tenant.members.reporter;
    const first = await loginHttp(stack.consoleUrl, user.email, PASSWORD);
    const second = await loginHttp(stack.consoleUrl, user.email, PASSWORD);
    expect([await status(first), await status(second)]).toEqual([200, 200]);
    await changePassword(deps, user.id, { currentPassword: PASSWORD, newPassword: "a brand new password" });
    expect([await status(first), await status(second)]).toEqual([401, 401]);
    expect(await status(await loginHttp(stack.consoleUrl, user.email, "a brand new password"))).toBe(200);
  });
});

describe("sign-in", () => {
  it("is rate limited per email after repeated failures, even with the right password", async () => {
    const user = await makeUser(deps, "bruteforced");
    for (let i = 0; i < 10; i++) expect((await attempt(user.email, `wrong password ${i}`)).session).toBeUndefined();
    const blocked = await attempt(user.email, PASSWORD);
    expect(blocked.session).toBeUndefined();
    expect(blocked.location).toContain("code=rate_limited");
    // Another account is not affected.
    expect((await attempt(tenant.owner.email, PASSWORD)).session).toBeDefined();
  });
});

describe("sign-up with ALLOW_SIGNUP=false", () => {
  it("is closed without an invitation and open with a valid invitation link", async () => {
    const closed = await (await fetch(`${stack.consoleUrl}/signup`)).text();
    expect(closed).toContain("Sign-up is by invitation");
    const invited = await (await fetch(`${stack.consoleUrl}/signup?invite=${encodeURIComponent(tenant.inviteToken)}`)).text();
    expect(invited).toContain("Create your account");
    expect(invited).toContain(tenant.invitedEmail);
    const bogus = await (await fetch(`${stack.consoleUrl}/signup?invite=not-a-real-token`)).text();
    expect(bogus).toContain("Sign-up is by invitation");
  });
});
