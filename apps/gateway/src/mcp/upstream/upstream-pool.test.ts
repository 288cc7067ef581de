/** The pool against real upstreams: server-everything over stdio and Streamable HTTP, plus the SDK-built probe server. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetPromptResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { everything, FakeRegistry, freePort, isAlive, probeServer, waitFor, poolFailure, TestPools } from "@switchyard/gateway/testing";
import { startEverything, type RunningEverything } from "@switchyard/core/testing";

const P = "project-1";
let dir: string;
let registry: FakeRegistry;
let pools: TestPools;

function call(serverId: string, sessionId = "s1") {
  return { projectId: P, serverId, sessionId };
}

function text(result: { content: { type: string; text?: unknown }[] }): string {
  const first = result.content[0];
  return typeof first?.text === "string" ? first.text : "";
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sy-pool-"));
  registry = new FakeRegistry();
  pools = new TestPools(registry, join(dir, "scratch"), ["http://127.0.0.1:8080"]);
  registry.set(P, "shared", everything());
  registry.set(P, "per-session", everything({ isolation: "per_session" }));
  registry.set(P, "concurrent", everything());
  registry.set(P, "probe", await probeServer(dir));
  registry.set(P, "disabled", everything({ enabled: false }));
  registry.set("other-project", "foreign", everything());
});

afterEach(async () => {
  await pools.closeAll();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("sharing and isolation", () => {
  it("reuses one shared process across calls and downstream sessions", async () => {
    const pool = pools.make();
    const a = await pool.callTool(call("shared", "s1"), { name: "echo", arguments: { message: "one" } });
    const b = await pool.callTool(call("shared", "s2"), { name: "echo", arguments: { message: "two" } });
    expect([text(a), text(b)]).toEqual(["Echo: one", "Echo: two"]);
    expect(pool.stats()).toEqual({ upstreams: 1, processes: 1, openCircuits: 0 });
    expect(registry.pidsOf("shared")).toHaveLength(1);
  });

  it("gives each downstream session its own process for per_session servers, and releaseSession ends only that one", async () => {
    const pool = pools.make();
    await pool.callTool(call("per-session", "A"), { name: "echo", arguments: { message: "a" } });
    await pool.callTool(call("per-session", "B"), { name: "echo", arguments: { message: "b" } });
    await pool.callTool(call("per-session", "A"), { name: "echo", arguments: { message: "a again" } });
    const [pidA, pidB] = registry.pidsOf("per-session");
    expect(pidA).toBeDefined();
    expect(pidB).toBeDefined();
    expect(pidA).not.toBe(pidB);
    expect(pool.stats().processes).toBe(2);

    await pool.releaseSession("A");
    expect(isAlive(pidA ?? 0)).toBe(false);
    expect(isAlive(pidB ?? 0)).toBe(true);
    expect(pool.stats().processes).toBe(1);
    expect(registry.eventsOf("per-session", "exit").map((e) => [e.message, e.details?.sessionId])).toEqual([["stopped: client session ended", "A"]]);
  });

  it("starts one process for concurrent first calls", async () => {
    const pool = pools.make();
    const results = await Promise.all(
      ["1", "2", "3", "4", "5"].map((n) => pool.callTool(call("concurrent", `s${n}`), { name: "echo", arguments: { message: n } })),
    );
    expect(results.map(text)).toEqual(["Echo: 1", "Echo: 2", "Echo: 3", "Echo: 4", "Echo: 5"]);
    expect(registry.eventsOf("concurrent", "startup")).toHaveLength(1);
    expect(pool.stats().processes).toBe(1);
  });

  it("refuses a disabled server and another project's server without starting anything", async () => {
    const pool = pools.make();
    expect((await poolFailure(pool.callTool(call("disabled"), { name: "echo", arguments: { message: "x" } }))).kind).toBe("unavailable");
    expect((await poolFailure(pool.callTool(call("foreign"), { name: "echo", arguments: { message: "x" } }))).message).toMatch(/not found/);
    expect(pool.stats().processes).toBe(0);
    expect(registry.eventsOf("disabled")).toEqual([]);
    expect(registry.eventsOf("foreign")).toEqual([]);
  });
});

describe("passthrough", () => {
  it("delivers upstream progress to the caller's onProgress", async () => {
    const pool = pools.make();
    const updates: { progress: number; total?: number }[] = [];
    const result = await pool.callTool(
      { ...call("shared"), onProgress: (p) => updates.push(p) },
      { name: "trigger-long-running-operation", arguments: { duration: 0.4, steps: 4 }, _meta: { progressToken: "caller-token-7" } },
    );
    expect(text(result)).toMatch(/Long running operation completed/);
    expect(updates).toEqual([1, 2, 3, 4].map((progress) => ({ progress, total: 4 })));
  });

  it("never sends the caller's progress token upstream, and keeps the rest of _meta", async () => {
    const pool = pools.make();
    const plain = await pool.callTool(call("probe"), { name: "echo-meta", _meta: { progressToken: "caller-token-7", traceId: "t-1" } });
    expect(JSON.parse(text(plain))).toEqual({ traceId: "t-1" });
    const withProgress = await pool.callTool({ ...call("probe"), onProgress: () => undefined }, { name: "echo-meta", _meta: { progressToken: "caller-token-7" } });
    const meta = JSON.parse(text(withProgress)) as { progressToken?: unknown };
    expect(meta.progressToken).not.toBe("caller-token-7");
    expect(meta.progressToken).toEqual(expect.any(Number));
  });

  it("passes results through unchanged, extra fields included", async () => {
    const pool = pools.make();
    const result = await pool.callTool(call("probe"), { name: "wait", arguments: { ms: 1 } });
    expect(result).toEqual({ content: [{ type: "text", text: "waited" }], extra: "kept", structuredContent: { waited: true } });
  });

  it("passes other requests through and the upstream's own JSON-RPC errors as kind protocol", async () => {
    const pool = pools.make();
    const prompt = await pool.request(call("shared"), { method: "prompts/get", params: { name: "simple-prompt" } }, GetPromptResultSchema);
    expect(prompt.messages[0]?.content).toMatchObject({ type: "text", text: "This is a simple prompt without arguments." });
    const e = await poolFailure(pool.request(call("shared"), { method: "prompts/get", params: { name: "no-such-prompt" } }, GetPromptResultSchema));
    expect(e.kind).toBe("protocol");
    expect(e.code).toBe(-32602);
    expect(e.message).toMatch(/no-such-prompt/);
  });

  it("lists tools live", async () => {
    const pool = pools.make();
    const names = (await pool.listTools(call("shared"))).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["echo", "get-sum", "trigger-long-running-operation"]));
  });

  it("tells listeners when an upstream's tool list changes, until they unsubscribe", async () => {
    const pool = pools.make();
    const heard: string[] = [];
    const off = pool.onListChanged((projectId, serverId, kind) => heard.push(`${projectId}/${serverId}/${kind}`));
    await pool.callTool(call("probe"), { name: "change-tools" });
    await waitFor(() => heard.length === 1);
    expect(heard).toEqual([`${P}/probe/tools`]);
    off();
    await pool.callTool(call("probe"), { name: "change-tools" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toHaveLength(1);
  });

  it("forwards notifications to a running upstream and starts none for them", async () => {
    const pool = pools.make({ capabilities: { roots: { listChanged: true } } });
    await pool.notify(call("probe"), { method: "notifications/roots/list_changed" });
    expect(pool.stats().processes).toBe(0);
    await pool.callTool(call("probe"), { name: "wait", arguments: { ms: 1 } });
    await pool.notify(call("probe"), { method: "notifications/roots/list_changed" });
    await waitFor(() => registry.eventsOf("probe", "stderr").some((e) => e.message === "roots changed"));
  });
});

describe("lifecycle", () => {
  it("records startup and child stderr as server events, never on the gateway's own output", async () => {
    const writes: string[] = [];
    const keep = (chunk: unknown) => (writes.push(String(chunk)), true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(keep);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(keep);
    try {
      const pool = pools.make();
      registry.set(P, "chatty", everything());
      await pool.callTool(call("chatty"), { name: "echo", arguments: { message: "x" } });
      await waitFor(() => registry.eventsOf("chatty", "stderr").length > 0);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
    expect(registry.eventsOf("chatty", "stderr")[0]).toMatchObject({ level: "info", message: "Starting default (STDIO) server..." });
    expect(registry.eventsOf("chatty", "startup")[0]?.message).toMatch(/^started \(pid \d+\)$/);
    expect(writes.join("")).not.toContain("Starting default");
  });

  it("reaps an idle upstream and starts it again on the next call", async () => {
    const pool = pools.make({ idleTimeoutMs: 300 });
    registry.set(P, "idle", everything());
    await pool.callTool(call("idle"), { name: "echo", arguments: { message: "x" } });
    const [first] = registry.pidsOf("idle");
    // The exit is recorded once the connection has closed, a few turns after the process is gone.
    await waitFor(() => !isAlive(first ?? 0) && registry.eventsOf("idle", "exit").length > 0);
    expect(registry.eventsOf("idle", "exit").map((e) => e.message)).toEqual(["stopped after being idle"]);
    expect(pool.stats().processes).toBe(0);
    await pool.callTool(call("idle"), { name: "echo", arguments: { message: "y" } });
    expect(registry.pidsOf("idle")).toHaveLength(2);
  });

  it("lets a running call finish on invalidate, then starts the new configuration", async () => {
    const pool = pools.make();
    registry.set(P, "changing", everything({ env: { GENERATION: "1" } }));
    const running = pool.callTool(call("changing"), { name: "trigger-long-running-operation", arguments: { duration: 0.6, steps: 2 } });
    await waitFor(() => registry.pidsOf("changing").length === 1);
    registry.set(P, "changing", everything({ env: { GENERATION: "2" } }));
    await pool.invalidate("changing");
    expect(text(await running)).toMatch(/completed/);
    const env = JSON.parse(text(await pool.callTool(call("changing"), { name: "get-env" }))) as Record<string, string>;
    expect(env.GENERATION).toBe("2");
    const [oldPid, newPid] = registry.pidsOf("changing");
    expect(newPid).not.toBe(oldPid);
    expect(isAlive(oldPid ?? 0)).toBe(false);
    expect(registry.eventsOf("changing", "exit").map((e) => e.message)).toEqual(["stopped: configuration changed"]);
  });
});

describe("Streamable HTTP upstreams", () => {
  let port = 0;
  let server: RunningEverything | undefined;

  beforeAll(async () => {
    port = await freePort();
    server = await startEverything("streamableHttp", port);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("rebuilds the upstream client once when the upstream forgot its session (404)", async () => {
    const pool = pools.make({ policy: { stdio: "on", stdioAllowlist: [], allowPrivateUpstreams: true } });
    registry.set(P, "remote", { name: "remote", transport: "streamable_http", url: `http://127.0.0.1:${port}/mcp`, headers: {}, timeoutMs: 10_000, enabled: true, isolation: "shared" });
    expect(text(await pool.callTool(call("remote"), { name: "echo", arguments: { message: "before" } }))).toBe("Echo: before");
    // A restarted upstream knows none of the old sessions.
    await server?.stop();
    server = await startEverything("streamableHttp", port);
    expect(text(await pool.callTool(call("remote"), { name: "echo", arguments: { message: "after" } }))).toBe("Echo: after");
    expect(registry.eventsOf("remote", "startup")).toHaveLength(2);
    expect(registry.eventsOf("remote", "exit").map((e) => e.message)).toEqual(["stopped: upstream forgot the session, reconnecting"]);
  });

  it("refuses a private upstream URL when private upstreams are off", async () => {
    const pool = pools.make();
    registry.set(P, "private", { name: "private", transport: "streamable_http", url: `http://127.0.0.1:${port}/mcp`, headers: {}, timeoutMs: 10_000, enabled: true, isolation: "shared" });
    const e = await poolFailure(pool.callTool(call("private"), { name: "echo", arguments: { message: "x" } }));
    expect(e.kind).toBe("unavailable");
    expect(e.message).toMatch(/ALLOW_PRIVATE_UPSTREAMS/);
  });
});
