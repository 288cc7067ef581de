/**
 * The explorer's routes in-process, as Next calls them: listing, query errors with their position,
 * payloads only for developers, free text refused to reporters, and exports streamed with the
 * query applied. Cross-tenant refusals are in the access suite.
 */
import { copyLogRows } from "@switchyard/db/seed";
import { uuidv7 } from "@switchyard/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRoute } from "@/server/action";
import type { HandlerDef } from "@/server/handler";
import type { SessionUser } from "@/server/session";
import { loadRegistered } from "./helpers/registry";
import { makeTenant, sessionOf, setupWebFixture, type Tenant, type WebFixture } from "./helpers/web-fixture";

let f: WebFixture;
let t: Tenant;
const defs = new Map<string, HandlerDef>();

beforeAll(async () => {
  f = await setupWebFixture();
  t = await makeTenant(f.deps, "explorer");
  for (const h of (await loadRegistered()).handlers) defs.set(h.def.name, h.def);
  // 2,500 more calls, so the export spans several of its 1,000-row pages.
  const base = Date.now() - 30 * 60_000;
  await copyLogRows(
    f.deps.sql,
    Array.from({ length: 2500 }, (_, i) => ({
      id: uuidv7(base + i * 100),
      projectId: t.projectId,
      serverName: "bulk",
      toolName: i % 2 ? "odd" : "even",
      status: "success" as const,
      input: { i, note: 'has "quotes", commas\nand a newline' },
      durationMs: i % 100,
      startedAt: new Date(base + i * 100),
    })),
  );
}, 120_000);

afterAll(async () => {
  await f.close();
});

async function get(name: string, user: SessionUser, params: Record<string, string>): Promise<Response> {
  const def = defs.get(name);
  if (!def) throw new Error(`${name} is not registered`);
  const query = new URLSearchParams(params);
  return runRoute(def, user, new Request(`http://console.test/api?${query.toString()}`), { teamId: params.teamId, key: params.key });
}

describe("explorer routes", () => {
  it("list the project's calls for a query, newest first, with a cursor", async () => {
    const res = await get("api.logs.list", sessionOf(t.owner), { teamId: t.teamId, projectId: t.projectId, q: "server:bulk tool:odd", limit: "100" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { toolName: string; startedAt: string }[]; nextCursor: string | null };
    expect(body.items).toHaveLength(100);
    expect(body.items.every((c) => c.toolName === "odd")).toBe(true);
    expect(body.nextCursor).toMatch(/^\d+_/);
  });

  it("answer a query that does not parse with 400, its position and what was expected", async () => {
    const res = await get("api.logs.facets", sessionOf(t.owner), { teamId: t.teamId, q: "status:error color:red" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_input", message: 'Unknown field "color"', details: { position: 13, expected: expect.arrayContaining(["status"]) as unknown } } });
  });

  it("show payloads to developers but not to reporters, who also cannot search them", async () => {
    const dev = await get("api.logs.call", sessionOf(t.members.developer), { teamId: t.teamId, key: t.callKey });
    expect(((await dev.json()) as { call: { input?: unknown } }).call.input).toEqual({ marker: t.callMarker });
    const reporter = await get("api.logs.call", sessionOf(t.members.reporter), { teamId: t.teamId, key: t.callKey });
    expect((await reporter.json()) as { call: object }).not.toHaveProperty("call.input");
    const search = await get("api.logs.list", sessionOf(t.members.reporter), { teamId: t.teamId, q: '"secret"' });
    expect(search.status).toBe(403);
  });

  it("stream a filtered export as CSV with every matching row, quoted where needed", async () => {
    const res = await get("api.logs.export", sessionOf(t.owner), { teamId: t.teamId, projectId: t.projectId, q: "tool:even", format: "csv" });
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="calls-.*\.csv"/);
    const text = await res.text();
    const header = text.slice(0, text.indexOf("\n"));
    expect(header.split(",")).toEqual(["startedAt", "durationMs", "status", "method", "serverName", "toolName", "clientType", "keyName", "sessionId", "errorMessage", "id", "projectId", "input", "output"]);
    const records = text.split(/\n(?=\d{4}-\d\d-\d\dT)/).slice(1);
    expect(records).toHaveLength(1250);
    expect(records.every((r) => r.includes(",even,"))).toBe(true);
    expect(text).toContain('"{""i"":0,""note"":""has \\""quotes\\"", commas\\nand a newline""}"');
  });

  it("stream NDJSON, one call per line, without payloads for a reporter", async () => {
    const res = await get("api.logs.export", sessionOf(t.members.reporter), { teamId: t.teamId, q: "server:bulk", format: "ndjson" });
    const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2500);
    expect(lines.every((l) => l.serverName === "bulk" && !("input" in l))).toBe(true);
  });
});
