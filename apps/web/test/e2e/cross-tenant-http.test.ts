/**
 * Tenant isolation over HTTP against the built console: a signed-in user of another team asks for
 * every page, every route handler and every server action (dispatched by action id exactly as the
 * browser does) with the victim's ids, and gets 404 with none of the victim's data. Pages, routes
 * and actions are enumerated from the build's own manifests, so a new one cannot be left out.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebDeps, type WebDeps } from "@/server/deps";
import { CASES, OWN_ACCOUNT_ONLY } from "../helpers/access-cases";
import { makeTenant, PASSWORD, webConfigFor, type Tenant } from "../helpers/web-fixture";
import { WEB_DIR } from "../harness/build";
import { loginHttp, startStack, type Stack } from "../harness/stack";

let tdb: TestDatabase;
let stack: Stack;
let seedDeps: WebDeps;
let victim: Tenant;
let attacker: Tenant;
let cookie: string;

interface ActionEntry {
  workers: Record<string, unknown>;
  filename: string;
  exportedName: string;
}

function manifest<T>(file: string): T {
  return JSON.parse(readFileSync(join(WEB_DIR, ".next", "server", file), "utf8")) as T;
}

/** `/(console)/t/[team]/p/[project]/page` → a concrete path for `t`'s ids. */
function pathFor(template: string, t: Tenant): string {
  return template
    .replace(/\/\([^)]+\)/g, "")
    .replace(/\/(page|route)$/, "")
    .replace("[team]", t.teamSlug)
    .replace("[project]", t.projectName.toLowerCase().replace(/[^a-z0-9]+/g, "-"))
    .replace("[server]", t.serverName)
    .replace("[projectId]", t.projectId)
    .replace("[teamId]", t.teamId)
    .replace("[session]", t.sessionId)
    .replace("[jobId]", "0190b1c2-0000-7000-8000-000000000001");
}

/** Victim values in a response, except those the attacker put in the request URL themselves (Next echoes it). */
function leaks(body: string, requested = ""): string[] {
  return [victim.teamSlug, victim.teamName, victim.projectName, victim.serverName, victim.keyPrefix, victim.owner.email, victim.invitedEmail, "victim-upstream-secret"].filter(
    (s) => body.includes(s) && !requested.includes(s),
  );
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  stack = await startStack({ databaseUrl: tdb.url, name: "tenancy" });
  // Seeded with the console's own secret key, so the console can read what is written here.
  seedDeps = createWebDeps(
    await webConfigFor({ DATABASE_URL: tdb.url, SWITCHYARD_SECRET_KEY: stack.secretKey, AUTH_SECRET: stack.authSecret, PUBLIC_GATEWAY_URL: stack.gatewayUrl }),
  );
  victim = await makeTenant(seedDeps, "victim");
  attacker = await makeTenant(seedDeps, "attacker");
  cookie = await loginHttp(stack.consoleUrl, attacker.owner.email, PASSWORD);
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  await seedDeps?.close();
  await tdb?.drop();
});

describe("a user of another team, over HTTP", () => {
  it("gets 404 without the victim's data from every team, project and server page", async () => {
    const pages = Object.keys(manifest<Record<string, string>>("app-paths-manifest.json")).filter((p) => p.endsWith("/page") && p.includes("[team]"));
    expect(pages.length).toBeGreaterThanOrEqual(15);
    const failures: string[] = [];
    for (const template of pages) {
      const own = await fetch(`${stack.consoleUrl}${pathFor(template, attacker)}`, { headers: { cookie }, redirect: "manual" });
      if (own.status !== 200) failures.push(`own ${template} → ${own.status} (the attacker should see their own page)`);
      const path = pathFor(template, victim);
      const res = await fetch(`${stack.consoleUrl}${path}`, { headers: { cookie }, redirect: "manual" });
      const body = await res.text();
      if (res.status !== 404 || leaks(body, path).length) failures.push(`${template} → ${res.status} ${leaks(body, path).join(", ")}`);
    }
    expect(failures).toEqual([]);
  });

  it("gets 404 without the victim's data from every route handler", async () => {
    const routes = Object.keys(manifest<Record<string, string>>("app-paths-manifest.json")).filter((p) => p.startsWith("/api/") && !p.startsWith("/api/auth/"));
    expect(routes.length).toBeGreaterThan(3);
    const failures: string[] = [];
    for (const template of routes) {
      const res = await fetch(`${stack.consoleUrl}${pathFor(template, victim)}`, { headers: { cookie } });
      const body = await res.text();
      if (res.status !== 404 || leaks(body).length) failures.push(`${template} → ${res.status} ${body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  it("gets not-found without the victim's data from every server action, dispatched by action id", async () => {
    const actions = Object.entries(manifest<{ node: Record<string, ActionEntry> }>("server-reference-manifest.json").node);
    expect(actions.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let calls = 0;
    for (const [id, entry] of actions) {
      const file = entry.filename.replace(/^apps\/web\/src\/server\/actions\//, "").replace(/\.ts$/, "");
      const mod = (await import(`@/server/actions/${file}`)) as Record<string, { def?: { name: string } }>;
      const name = mod[entry.exportedName]?.def?.name;
      if (!name) {
        failures.push(`${entry.filename}#${entry.exportedName} has no wrapper definition`);
        continue;
      }
      if (OWN_ACCOUNT_ONLY[name]) continue;
      const make = CASES[name];
      if (!make) {
        failures.push(`${name}: no access case`);
        continue;
      }
      // Any page bundling the action accepts it; use one of the attacker's own pages.
      const worker = Object.keys(entry.workers).find((w) => !w.includes("[token]")) ?? "";
      const page = pathFor(`/${worker}`, attacker) || "/";
      for (const input of make(victim, attacker)) {
        calls += 1;
        const res = await fetch(`${stack.consoleUrl}${page}`, {
          method: "POST",
          headers: { cookie, "next-action": id, "content-type": "text/plain;charset=UTF-8", origin: stack.consoleUrl, accept: "text/x-component" },
          body: JSON.stringify([input]),
        });
        const text = await res.text();
        const line = text.split("\n").find((l) => l.startsWith("1:"));
        const result = line ? (JSON.parse(line.slice(2)) as { ok: boolean; error?: { status: number } }) : undefined;
        if (!result || result.ok || result.error?.status !== 404 || leaks(text).length) failures.push(`${name} via ${page} → ${res.status} ${text.slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(40);
  });
});
