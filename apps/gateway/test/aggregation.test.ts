/**
 * The project endpoint aggregates every enabled server's tools as `{server}{sep}{name}` in a
 * deterministic order, answers from the cached catalogue without spawning anything, lists
 * uncached servers live (recording what it found), and hides and refuses disabled or held tools.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { insertDiscoveredServerTools, schema, sql } from "@switchyard/db";
import { exposedName } from "@switchyard/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingServer, FILESYSTEM_BIN, type GatewayFixture, startFixture, waitFor, writeProbeServer } from "@switchyard/gateway/testing";

let fx: GatewayFixture;
let key: string;
let filesDir: string;
const LONG_TOOL = `generate_${"very_detailed_".repeat(5)}report`;

beforeAll(async () => {
  fx = await startFixture();
  key = (await fx.newKey()).key;
  filesDir = await mkdtemp(join(tmpdir(), "sy-files-"));
  await writeFile(join(filesDir, "hello.txt"), "hello from the filesystem server");
  await fx.addServer(everythingServer("everything"));
  await fx.addServer({ name: "files", transport: "stdio", command: process.execPath, args: [FILESYSTEM_BIN, filesDir] });
  await fx.addServer({ name: "probe", transport: "stdio", command: process.execPath, args: [await writeProbeServer(fx.dataDir, [LONG_TOOL])] });
}, 60_000);

afterAll(async () => {
  await fx?.close();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

async function listAll(client: Awaited<ReturnType<GatewayFixture["connect"]>>) {
  return (await client.listTools()).tools.map((t) => t.name);
}

describe("the project endpoint", () => {
  it("lists every server's tools with prefixed names, waiting on the first listing for servers never listed", async () => {
    const client = await fx.connect({ key });
    // Nothing is cached yet: the first answer waits for every server (up to its connect timeout).
    const names = await listAll(client);
    expect(names).toContain("everything__echo");
    expect(names).toContain("files__read_text_file");
    expect(names.some((x) => x.startsWith("probe__"))).toBe(true);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : 1)));
    expect(names.filter((n) => n.startsWith("everything__")).length).toBeGreaterThan(5);
    expect(await listAll(client)).toEqual(names);
  });

  it("cuts names over 64 characters with a stable hash and routes calls made with them", async () => {
    const client = await fx.connect({ key });
    const expected = exposedName("probe", "__", LONG_TOOL);
    expect(expected).toHaveLength(64);
    expect(await listAll(client)).toContain(expected);
    const result = await client.callTool({ name: expected, arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: LONG_TOOL }]);
  });

  it("passes calls through to the right server and returns results unchanged", async () => {
    const client = await fx.connect({ key });
    const echo = await client.callTool({ name: "everything__echo", arguments: { message: "hi" } });
    expect(echo.content).toEqual([{ type: "text", text: "Echo: hi" }]);
    const file = await client.callTool({ name: "files__read_text_file", arguments: { path: join(filesDir, "hello.txt") } });
    expect(JSON.stringify(file.content)).toContain("hello from the filesystem server");
    const structured = await client.callTool({ name: "everything__get-structured-content", arguments: { location: "New York" } });
    expect(structured.structuredContent).toBeDefined();
  });

  it("records what it listed live into server_tools, enabled per the project's policy", async () => {
    const rows = await fx.db.db.select().from(schema.serverTools).where(sql`${schema.serverTools.projectId} = ${fx.project.id}`);
    expect(rows.some((r) => r.name === "echo" && r.enabled && !r.pendingApproval)).toBe(true);
    expect(rows.some((r) => r.name === "read_text_file")).toBe(true);
  });
});

describe("a server without a cached catalogue", () => {
  it("waits on a first tools/list for a slow server never listed, and not for one known to be down", async () => {
    const project = await fx.newProject("Slow");
    const projectKey = (await fx.newKey(project)).key;
    await fx.addServer(everythingServer("quick"), project);
    await fx.addServer({ name: "slow", transport: "stdio", command: process.execPath, args: [await writeProbeServer(fx.dataDir, ["late_tool"], 1_500)] }, project);
    const client = await fx.connect({ key: projectKey, project });
    const first = (await client.listTools()).tools.map((t) => t.name);
    expect(first).toContain("quick__echo");
    expect(first).toContain("slow__late_tool");

    // The status check found this one offline: nobody waits the minute it takes to start.
    const dead = await fx.addServer({ name: "dead", transport: "stdio", command: process.execPath, args: [await writeProbeServer(fx.dataDir, ["never_tool"], 60_000)] }, project);
    await fx.db.db.update(schema.mcpServers).set({ status: "offline" }).where(sql`${schema.mcpServers.id} = ${dead.id}`);
    await fx.gateway.projectChanged(project.id);
    const t0 = performance.now();
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(names).toContain("slow__late_tool");
    expect(names).not.toContain("dead__never_tool");
  });
});

describe("a server's own endpoint", () => {
  it("shows only that server's tools, unprefixed, and calls them", async () => {
    const client = await fx.connect({ key, server: "everything" });
    const names = await listAll(client);
    expect(names).toContain("echo");
    expect(names.every((n) => !n.includes("__"))).toBe(true);
    const echo = await client.callTool({ name: "echo", arguments: { message: "direct" } });
    expect(echo.content).toEqual([{ type: "text", text: "Echo: direct" }]);
    const err = await client.callTool({ name: "files__read_text_file", arguments: {} }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/Unknown tool/);
  });

  it("answers 404 for a server the project does not have", async () => {
    await expect(fx.connect({ key, server: "nope" })).rejects.toThrow(/404|not found/i);
  });
});

describe("the cached catalogue", () => {
  it("answers tools/list in under 50 ms without starting the server", async () => {
    const project = await fx.newProject("Cached");
    const projectKey = (await fx.newKey(project)).key;
    // A server that would fail if it were ever started; its catalogue is already known.
    const server = await fx.addServer({ name: "never-started", transport: "stdio", command: "/bin/false" }, project);
    await insertDiscoveredServerTools(fx.db.db, project.id, server.id, [{ name: "cached_tool", title: null, description: "from cache", inputSchema: { type: "object" }, outputSchema: null, annotations: null }], "enabled", new Date());
    const client = await fx.connect({ key: projectKey, project });
    const processesBefore = fx.gateway.pool.stats().processes;
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const { tools } = await client.listTools();
      timings.push(performance.now() - t0);
      expect(tools.map((t) => t.name)).toEqual(["never-started__cached_tool"]);
    }
    expect(Math.min(...timings)).toBeLessThan(50);
    expect(fx.gateway.pool.stats().processes).toBe(processesBefore);
  });

  it("hides a disabled tool and refuses it with a rejected log row", async () => {
    const client = await fx.connect({ key });
    expect(await listAll(client)).toContain("everything__get-sum");
    await fx.db.db.execute(sql`update server_tools set enabled = false where project_id = ${fx.project.id} and name = 'get-sum'`);
    await fx.gateway.projectChanged(fx.project.id);
    expect(await listAll(client)).not.toContain("everything__get-sum");
    await expect(client.callTool({ name: "everything__get-sum", arguments: { a: 1, b: 2 } })).rejects.toThrow(/disabled/);
    await fx.flushLogs();
    const rows = await fx.db.sql`select status, tool_name, server_name from tool_call_logs where project_id = ${fx.project.id} and exposed_name = 'everything__get-sum'`;
    expect(rows).toEqual([{ status: "rejected", tool_name: "get-sum", server_name: "everything" }]);
  });

  it("holds new tools for approval when the project says so", async () => {
    const project = await fx.newProject("Held");
    await fx.db.db.execute(sql`update projects set new_tool_policy = 'held' where id = ${project.id}`);
    const projectKey = (await fx.newKey(project)).key;
    await fx.addServer(everythingServer("everything"), project);
    const client = await fx.connect({ key: projectKey, project });
    await client.listTools();
    await waitFor(async () => (await fx.db.sql`select count(*)::int as n from server_tools where project_id = ${project.id}`)[0]?.n > 0, 20_000, "catalogue recorded");
    expect((await client.listTools()).tools).toEqual([]);
    await expect(client.callTool({ name: "everything__echo", arguments: { message: "x" } })).rejects.toThrow(/approval/);
    const held = await fx.db.sql`select bool_and(pending_approval) as held, bool_and(enabled) as enabled from server_tools where project_id = ${project.id}`;
    expect(held[0]).toEqual({ held: true, enabled: false });
  });
});
