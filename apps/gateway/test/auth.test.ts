/**
 * Authentication on every MCP request: one identical 401 for every bad credential, per-IP
 * blocking of failed attempts, sessions bound to the key that opened them, revocation closing
 * sessions, per-key rate limits, and console try-it tokens logged under the user.
 */
import { CLI_ACTOR } from "@switchyard/core/context";
import { revokeApiKey } from "@switchyard/core/services";
import { signConsoleToken } from "@switchyard/core/console-token";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingServer, type GatewayFixture, headersFor, initializeMessage, messagesOf, openSession, postJson, startFixture, textStream, waitFor } from "@switchyard/gateway/testing";

let fx: GatewayFixture;
let key: string;
let mcpUrl: string;
let ipCounter = 0;
/** Every test speaks from its own address, so per-IP blocking in one cannot spill into another. */
const nextIp = () => `10.1.0.${++ipCounter}`;

beforeAll(async () => {
  fx = await startFixture({ trustProxy: 1, failedAuthPerMinute: 5, keyFreshMs: 300 });
  key = (await fx.newKey()).key;
  await fx.addServer(everythingServer("everything"));
  mcpUrl = fx.endpointUrl({});
}, 60_000);

afterAll(async () => fx?.close());

async function expectUnauthorized(res: Response): Promise<string> {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  const body = await res.text();
  expect(JSON.parse(body)).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32000 } });
  return body;
}

describe("bad credentials", () => {
  it("answers the same 401 for a missing, malformed, unknown, revoked, expired or another project's key", async () => {
    const other = await fx.newProject("Other");
    const otherKey = (await fx.newKey(other)).key;
    const revoked = await fx.newKey();
    await revokeApiKey(fx.deps, CLI_ACTOR, fx.project, revoked.id);
    const expired = await fx.newKey(fx.project, { expiresAt: new Date(Date.now() + 1_000) });
    const ip = nextIp();
    const ok = await postJson(mcpUrl, initializeMessage(), headersFor(expired.key, { "x-forwarded-for": ip }));
    expect(ok.status).toBe(200);
    await ok.text();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const unknownKey = `sy_${randomBytes(32).toString("base64url")}`;
    const bodies: string[] = [];
    for (const credential of [undefined, "not-a-key", unknownKey, revoked.key, expired.key, otherKey]) {
      const res = await postJson(mcpUrl, initializeMessage(), headersFor(credential, { "x-forwarded-for": nextIp() }));
      bodies.push(await expectUnauthorized(res));
    }
    expect(new Set(bodies).size).toBe(1);
    const basic = await postJson(mcpUrl, initializeMessage(), { ...headersFor(undefined), authorization: `Basic ${Buffer.from("a:b").toString("base64")}` });
    expect(await expectUnauthorized(basic)).toBe(bodies[0]);
  });

  it("refuses a project id that is not a UUID as it refuses a bad key", async () => {
    const res = await postJson(`${fx.url}/projects/not-a-uuid/mcp`, initializeMessage(), headersFor(key, { "x-forwarded-for": nextIp() }));
    await expectUnauthorized(res);
  });

  it("blocks an address's repeated failures with Retry-After, but never a valid key from the same address", async () => {
    const ip = nextIp();
    for (let i = 0; i < 5; i++) await expectUnauthorized(await postJson(mcpUrl, initializeMessage(), headersFor("wrong", { "x-forwarded-for": ip })));
    const blocked = await postJson(mcpUrl, initializeMessage(), headersFor("wrong", { "x-forwarded-for": ip }));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(/failed authentication/);
    const valid = await postJson(mcpUrl, initializeMessage(), headersFor(key, { "x-forwarded-for": ip }));
    expect(valid.status).toBe(200);
    await valid.text();
  });
});

describe("session binding", () => {
  it("answers 404 when a session is used with another key of the same project", async () => {
    const ip = nextIp();
    const sessionId = await openSession(mcpUrl, key, { "x-forwarded-for": ip });
    const second = (await fx.newKey()).key;
    const list = { jsonrpc: "2.0", id: 2, method: "tools/list" };
    const stolen = await postJson(mcpUrl, list, headersFor(second, { "mcp-session-id": sessionId, "x-forwarded-for": ip }));
    expect(stolen.status).toBe(404);
    expect(await stolen.json()).toEqual({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null });
    const own = await postJson(mcpUrl, list, headersFor(key, { "mcp-session-id": sessionId, "x-forwarded-for": ip }));
    expect(own.status).toBe(200);
    expect((await messagesOf(own))[0]).toHaveProperty("result.tools");
  });

  it("answers 404 when a project session is used on a server's endpoint", async () => {
    const sessionId = await openSession(mcpUrl, key);
    const res = await postJson(fx.endpointUrl({ server: "everything" }), { jsonrpc: "2.0", id: 2, method: "tools/list" }, headersFor(key, { "mcp-session-id": sessionId }));
    expect(res.status).toBe(404);
  });
});

describe("revocation", () => {
  it("closes the key's open sessions and streams when the gateway is told", async () => {
    const k = await fx.newKey();
    const stream = await fetch(fx.endpointUrl({ transport: "sse" }), { headers: { authorization: `Bearer ${k.key}`, accept: "text/event-stream" } });
    expect(stream.status).toBe(200);
    const reader = textStream(stream);
    const first = await reader.next();
    expect(first).toMatch(/^event: endpoint\ndata: \/projects\/[0-9a-f-]+\/messages\?sessionId=/);
    const httpSession = await openSession(mcpUrl, k.key);
    // The hook first: with the database revoked first, the cache's own re-check may win the race.
    expect(await fx.gateway.revokeKey(k.hash)).toBe(2);
    await revokeApiKey(fx.deps, CLI_ACTOR, fx.project, k.id);
    // Notices already on their way (list_changed from other tests' servers) may come first; then the stream ends.
    const deadline = Date.now() + 3_000;
    let end: unknown;
    do end = await Promise.race([reader.next(), new Promise((resolve) => setTimeout(() => resolve("still open"), Math.max(0, deadline - Date.now())))]);
    while (typeof end === "string" && end !== "still open" && /notifications\/tools\/list_changed/.test(end));
    expect(end).toBeUndefined();
    const reuse = await postJson(mcpUrl, { jsonrpc: "2.0", id: 2, method: "tools/list" }, headersFor(k.key, { "mcp-session-id": httpSession, "x-forwarded-for": nextIp() }));
    await expectUnauthorized(reuse);
  });

  it("closes idle sessions of a key revoked elsewhere once the cache re-checks it", async () => {
    const k = await fx.newKey();
    const client = await fx.connect({ key: k.key });
    await client.listTools();
    const before = fx.gateway.sessions.size;
    await revokeApiKey(fx.deps, CLI_ACTOR, fx.project, k.id);
    await waitFor(() => fx.gateway.sessions.size < before, 5_000, "session ended");
    // The end is recorded by whichever path ended it (the feed's notice or the cache's re-check), a few turns later.
    const rows = await waitFor(async () => {
      await fx.flushLogs();
      const found = await fx.db.sql`select end_reason, ended_at is not null as ended from client_sessions where api_key_id = ${k.id}`;
      return found[0]?.ended ? found : undefined;
    }, 5_000, "session end recorded");
    expect(rows).toEqual([{ end_reason: "key_revoked", ended: true }]);
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After past a key's limit and counts refusals instead of logging each", async () => {
    const k = await fx.newKey(fx.project, { rateLimitPerMinute: 4 });
    const ip = nextIp();
    const sessionId = await openSession(mcpUrl, k.key, { "x-forwarded-for": ip });
    const call = { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "everything__echo", arguments: { message: "x" } } };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await postJson(mcpUrl, { ...call, id: 10 + i }, headersFor(k.key, { "mcp-session-id": sessionId, "x-forwarded-for": ip }));
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
      await res.text();
    }
    // initialize and initialized took two of the four.
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    await fx.flushLogs();
    const counted = await fx.db.sql`select sum(count)::int as n from rate_limited_calls where api_key_id = ${k.id}`;
    expect(counted[0]?.n).toBe(3);
    const logged = await fx.db.sql`select count(*)::int as n from tool_call_logs where api_key_id = ${k.id}`;
    expect(logged[0]?.n).toBe(2);
  });
});

describe("console try-it tokens", () => {
  it("are accepted for their project and the calls are logged under the user", async () => {
    const token = signConsoleToken(fx.config.authSecret, { userId: fx.userId, projectId: fx.project.id, sessionVersion: 1 });
    const client = await fx.connect({ key: token });
    const res = await client.callTool({ name: "everything__echo", arguments: { message: "try-it" } });
    expect(res.content).toEqual([{ type: "text", text: "Echo: try-it" }]);
    await fx.flushLogs();
    const rows = await fx.db.sql`select user_id, api_key_id, status from tool_call_logs where project_id = ${fx.project.id} and user_id is not null`;
    expect(rows).toEqual([{ user_id: fx.userId, api_key_id: null, status: "success" }]);
  });

  it("are refused for another project", async () => {
    const other = await fx.newProject("Elsewhere");
    const token = signConsoleToken(fx.config.authSecret, { userId: fx.userId, projectId: other.id, sessionVersion: 1 });
    await expectUnauthorized(await postJson(mcpUrl, initializeMessage(), headersFor(token, { "x-forwarded-for": nextIp() })));
  });
});
