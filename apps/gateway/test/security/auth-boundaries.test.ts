/**
 * Security findings 1b, 4, 7 and 8 (docs/SECURITY.md):
 * - a console token forged with AUTH_SECRET was accepted for any project (no membership check),
 *   and a token kept past a demotion or password change still worked;
 * - failed-auth blocking by address blocked every valid key from that address, and with
 *   TRUST_PROXY the left-most X-Forwarded-For entry was believed (rotate it to bypass the block,
 *   name a victim to block it), and stored in client_sessions.ip;
 * - a 100k-deep argument restarted the project's shared upstream on every request;
 * - /metrics was public.
 */
import { randomBytes } from "node:crypto";
import { CLI_ACTOR } from "@switchyard/core/context";
import { createUser } from "@switchyard/core/services";
import { signConsoleToken } from "@switchyard/core/console-token";
import { insertMember } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingServer, type GatewayFixture, headersFor, initializeMessage, messagesOf, openSession, postJson, startFixture, waitFor } from "@switchyard/gateway/testing";

const METRICS_TOKEN = "metrics-token-0123456789abcdef";
let fx: GatewayFixture;
let mcpUrl: string;

beforeAll(async () => {
  // One proxy in front (this test plays it): the right-most X-Forwarded-For entry is the caller.
  fx = await startFixture({ failedAuthPerMinute: 5 }, { TRUST_PROXY: "1", METRICS_TOKEN });
  await fx.addServer(everythingServer("everything"));
  mcpUrl = fx.endpointUrl({});
}, 60_000);

afterAll(async () => fx?.close());

async function status(res: Response): Promise<number> {
  await res.text();
  return res.status;
}

async function newUser(): Promise<string> {
  const user = await createUser(fx.deps, CLI_ACTOR, { email: `u-${randomBytes(4).toString("hex")}@example.com`, password: "correct horse battery staple" });
  return user.id;
}

describe("security: console tokens", () => {
  const tokenFor = (userId: string, projectId: string, sessionVersion = 1) => signConsoleToken(fx.config.authSecret, { userId, projectId, sessionVersion });

  it("refuses a validly signed token for a project the user is not a member of", async () => {
    const outsider = await newUser();
    expect(await status(await postJson(mcpUrl, initializeMessage(), headersFor(tokenFor(outsider, fx.project.id))))).toBe(401);
    expect(await status(await postJson(mcpUrl, initializeMessage(), headersFor(tokenFor(fx.userId, fx.project.id))))).toBe(200);
  });

  it("refuses a token whose user became a reporter, changed password or was removed since it was signed", async () => {
    const member = await newUser();
    const row = await insertMember(fx.db.db, fx.project.teamId, member, "developer");
    const token = tokenFor(member, fx.project.id);
    expect(await status(await postJson(mcpUrl, initializeMessage(), headersFor(token)))).toBe(200);

    await fx.db.sql`update team_members set role = 'reporter' where id = ${row.id}`;
    expect(await status(await postJson(mcpUrl, initializeMessage(), headersFor(token)))).toBe(401);

    await fx.db.sql`update team_members set role = 'developer' where id = ${row.id}`;
    await fx.db.sql`update users set session_version = session_version + 1 where id = ${member}`;
    expect(await status(await postJson(mcpUrl, initializeMessage(), headersFor(token)))).toBe(401);
    const fresh = tokenFor(member, fx.project.id, 2);
    expect(await status(await postJson(mcpUrl, initializeMessage(), headersFor(fresh)))).toBe(200);
    await fx.db.sql`delete from team_members where id = ${row.id}`;
    expect(await status(await postJson(mcpUrl, initializeMessage(), headersFor(fresh)))).toBe(401);
  });
});

describe("security: client address and failed-auth throttling", () => {
  const bad = `sy_${"A".repeat(43)}`;

  it("neither lets a rotated X-Forwarded-For bypass the block nor lets it block a chosen victim", async () => {
    const attacker = "10.20.0.1";
    for (let i = 0; i < 5; i++) {
      // The attacker writes a fresh left-most entry each time; the proxy appends the real address.
      const res = await postJson(mcpUrl, initializeMessage(), headersFor(bad, { "x-forwarded-for": `198.51.100.${i}, ${attacker}` }));
      expect(await status(res)).toBe(401);
    }
    const blocked = await postJson(mcpUrl, initializeMessage(), headersFor(bad, { "x-forwarded-for": `198.51.100.99, ${attacker}` }));
    expect(await status(blocked)).toBe(429);

    // The attacker named 10.20.0.2 in every request: that address is not blocked.
    const victim = "10.20.0.2";
    for (let i = 0; i < 5; i++) await status(await postJson(mcpUrl, initializeMessage(), headersFor(bad, { "x-forwarded-for": `${victim}, ${attacker}` })));
    expect(await status(await postJson(mcpUrl, initializeMessage(), headersFor(bad, { "x-forwarded-for": victim })))).toBe(401);
  });

  it("never blocks a valid key because of others' failures from the same address, and records the real address", async () => {
    const shared = "10.30.0.1";
    for (let i = 0; i < 8; i++) await status(await postJson(mcpUrl, initializeMessage(), headersFor(bad, { "x-forwarded-for": shared })));
    const { key } = await fx.newKey();
    const res = await postJson(mcpUrl, initializeMessage(), headersFor(key, { "x-forwarded-for": `203.0.113.7, ${shared}` }));
    expect(res.status).toBe(200);
    const sessionId = res.headers.get("mcp-session-id");
    await res.text();
    await fx.flushLogs();
    const rows = await waitFor(async () => {
      const found = await fx.db.sql<{ ip: string }[]>`select ip from client_sessions where id = ${sessionId}`;
      return found.length ? found : undefined;
    });
    expect(rows[0]?.ip).toBe(shared);
  });
});

describe("security: caller errors never restart the upstream", () => {
  it("answers a 100,000-level-deep argument with an error and leaves the shared upstream running", async () => {
    const { key } = await fx.newKey();
    const lister = await fx.connect({ key });
    await waitFor(async () => (await lister.listTools()).tools.some((t) => t.name === "everything__echo"), 30_000, "everything listed");
    const session = await openSession(mcpUrl, key);
    const call = (id: number, args: string) =>
      postJson(mcpUrl, `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"everything__echo","arguments":${args}}}`, headersFor(key, { "mcp-session-id": session }));
    const [ok] = await messagesOf(await call(1, '{"message":"before"}'));
    expect(ok).toMatchObject({ result: { content: [{ text: "Echo: before" }] } });
    const pidBefore = fx.gateway.pool.stats().processes;
    // Events are written fire-and-forget: wait for the first start's row before counting.
    const started = await waitFor(async () => {
      const rows = await fx.db.sql<{ n: number }[]>`select count(*)::int as n from server_events where category in ('startup', 'restart')`;
      return (rows[0]?.n ?? 0) > 0 ? rows : undefined;
    }, 10_000, "startup event");

    const deep = `{"message":"x","nested":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    for (let i = 0; i < 3; i++) {
      const [answer] = await messagesOf(await call(10 + i, deep));
      expect(answer).toMatchObject({ error: { code: -32602 } });
    }
    const [after] = await messagesOf(await call(20, '{"message":"after"}'));
    expect(after).toMatchObject({ result: { content: [{ text: "Echo: after" }] } });
    expect(fx.gateway.pool.stats().processes).toBe(pidBefore);
    const startedAfter = await fx.db.sql<{ n: number }[]>`select count(*)::int as n from server_events where category in ('startup', 'restart')`;
    expect(startedAfter[0]?.n).toBe(started[0]?.n);
  }, 60_000);
});

describe("security: metrics", () => {
  it("answers /metrics 401 without the token and with a wrong one, 200 with METRICS_TOKEN", async () => {
    expect(await status(await fetch(`${fx.url}/metrics`))).toBe(401);
    expect(await status(await fetch(`${fx.url}/metrics`, { headers: { authorization: "Bearer wrong-token-0123456789abcdef" } }))).toBe(401);
    const res = await fetch(`${fx.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("switchyard_");
  });
});
