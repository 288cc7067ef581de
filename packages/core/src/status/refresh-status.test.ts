/** refreshServerStatus against real MCP servers over stdio: server-everything and small SDK fixtures. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { and, eq, getServer, getServerFeatures, listServerEvents, listServerTools, schema } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverything } from "../testing/everything-server";
import type { ServerProbe } from "./probe-result";
import { createServerProbe } from "./probe-server";
import { refreshServerStatus, type RefreshOptions } from "./refresh-status";
import { EVERYTHING_BIN, FIXTURE_ARGS, createWorld, type World } from "../testing/world";

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});

const FAST: RefreshOptions = { connectTimeoutMs: 8_000, callTimeoutMs: 5_000, slowMs: 4_000 };

function refresh(scope: Parameters<typeof refreshServerStatus>[1], options: RefreshOptions = {}) {
  return refreshServerStatus({ db: w.tdb.db, probe: w.probe }, scope, { ...FAST, ...options });
}

async function serverRow(projectId: string, serverId: string) {
  const row = await getServer(w.tdb.db, projectId, serverId);
  if (!row) throw new Error("server vanished");
  return row;
}

const tool = (name: string, description = `${name} does things`, inputSchema: Record<string, unknown> = { type: "object", properties: {} }) => ({
  name,
  description,
  inputSchema,
});

describe("refreshServerStatus", () => {
  it("records status, latency, server info and the catalogue of server-everything", async () => {
    const project = await w.makeProject();
    const server = await w.addStdio(project, "everything", [EVERYTHING_BIN, "stdio"]);
    const summary = await refresh({ kind: "server", projectId: project.id, serverId: server.id });
    expect(summary).toMatchObject({ total: 1, done: 1, online: 1, offline: 0 });
    const row = await serverRow(project.id, server.id);
    expect(row.status).toBe("online");
    expect(row.statusError).toBeNull();
    expect(row.statusLatencyMs).toBeGreaterThan(0);
    expect(row.serverInfo?.name).toBeTruthy();
    expect(row.serverInfo?.capabilities).toHaveProperty("tools");
    const tools = await listServerTools(w.tdb.db, project.id, server.id);
    expect(tools.length).toBe(row.toolsCount);
    expect(tools.map((t) => t.name)).toContain("echo");
    expect(tools.every((t) => t.enabled && !t.pendingApproval && t.goneAt === null)).toBe(true);
    const events = await listServerEvents(w.tdb.db, project.id, server.id);
    expect(events.items.map((e) => e.message)).toEqual(["Status unknown → online"]);
    // Prompts, resources and templates in server-everything's own pages.
    const features = await getServerFeatures(w.tdb.db, project.id, server.id);
    expect(features?.prompts.flat().map((p) => p.name)).toContain("simple-prompt");
    expect(features?.resources.flat().some((r) => String(r.uri).startsWith("demo://resource/static/document/"))).toBe(true);
    expect(features?.resourceTemplates.flat().map((t) => t.uriTemplate)).toContain("demo://resource/dynamic/text/{resourceId}");
  });

  it("marks a server that cannot start offline, with its error", async () => {
    const project = await w.makeProject();
    const dead = await w.addStdio(project, "dead", [...FIXTURE_ARGS, "--exit"]);
    const summary = await refresh({ kind: "project", projectId: project.id });
    expect(summary).toMatchObject({ done: 1, offline: 1 });
    expect(summary.errors[0]?.serverId).toBe(dead.id);
    const row = await serverRow(project.id, dead.id);
    expect(row.status).toBe("offline");
    expect(row.statusError).toMatch(/could not connect|closed|exit/i);
    expect(row.statusError).toContain("exiting on purpose");
    expect(row.statusCheckedAt).not.toBeNull();
    const [event] = (await listServerEvents(w.tdb.db, project.id, dead.id)).items;
    expect(event).toMatchObject({ category: "status_check", level: "error" });
  });

  it("marks a server that does not initialize within the connect timeout offline", async () => {
    const project = await w.makeProject();
    const hung = await w.addStdio(project, "hung", [...FIXTURE_ARGS, "--delay-initialize", "20000"]);
    const started = Date.now();
    await refresh({ kind: "server", projectId: project.id, serverId: hung.id }, { connectTimeoutMs: 1_500 });
    expect(Date.now() - started).toBeLessThan(6_000);
    const row = await serverRow(project.id, hung.id);
    expect(row.status).toBe("offline");
    expect(row.statusError).toMatch(/timed out after 1500 ms/);
  });

  it("marks a server whose tools/list fails as error, and records each status change", async () => {
    const project = await w.makeProject();
    const modeFile = join(w.scratchRoot, `mode-${project.id}`);
    await writeFile(modeFile, "normal");
    const server = await w.addStdio(project, "flaky", [...FIXTURE_ARGS, "--mode-file", modeFile]);
    await refresh({ kind: "server", projectId: project.id, serverId: server.id });
    expect((await serverRow(project.id, server.id)).status).toBe("online");
    await writeFile(modeFile, "fail-list");
    await refresh({ kind: "server", projectId: project.id, serverId: server.id });
    const broken = await serverRow(project.id, server.id);
    expect(broken.status).toBe("error");
    expect(broken.statusError).toContain("tools/list is broken");
    // The catalogue of a server that could not list is left as it was.
    expect((await listServerTools(w.tdb.db, project.id, server.id)).map((t) => [t.name, t.goneAt])).toEqual([["ping", null]]);
    await writeFile(modeFile, "exit");
    await refresh({ kind: "server", projectId: project.id, serverId: server.id });
    await writeFile(modeFile, "normal");
    await refresh({ kind: "server", projectId: project.id, serverId: server.id });
    await refresh({ kind: "server", projectId: project.id, serverId: server.id });
    const events = await listServerEvents(w.tdb.db, project.id, server.id, { category: "status_check" });
    expect(events.items.map((e) => `${String(e.details?.from)}>${String(e.details?.to)}`).reverse()).toEqual([
      "unknown>online",
      "online>error",
      "error>offline",
      "offline>online",
    ]);
  });

  it("does not let a slow server delay the others", async () => {
    const project = await w.makeProject();
    // A fixture takes 1-4 s to start on a busy 2-core machine (four start at once here): the
    // threshold sits well above that and the slow server's delay well above the threshold.
    const slow = await w.addStdio(project, "a-slow", [...FIXTURE_ARGS, "--delay-initialize", "9000"]);
    const fast = await Promise.all(["b-fast", "c-fast", "d-fast"].map((name) => w.addStdio(project, name, [...FIXTURE_ARGS])));
    const started = Date.now();
    const summary = await refresh({ kind: "project", projectId: project.id }, { concurrency: 4, connectTimeoutMs: 15_000, slowMs: 6_000 });
    const total = Date.now() - started;
    expect(summary).toMatchObject({ done: 4, online: 3, degraded: 1 });
    const slowRow = await serverRow(project.id, slow.id);
    expect(slowRow.status).toBe("degraded");
    expect(slowRow.statusError).toMatch(/^slow: answered in \d+ ms/);
    // The fast servers were recorded long before the slow one answered, and the run lasted about as long as the slow server alone.
    const slowAt = slowRow.statusCheckedAt?.getTime() ?? 0;
    for (const s of fast) {
      const row = await serverRow(project.id, s.id);
      expect(row.status).toBe("online");
      expect(row.statusCheckedAt?.getTime()).toBeLessThan(slowAt - 1_500);
    }
    expect(total).toBeLessThan(9_000 + 6_000);
  });

  it("keeps tool switches across refreshes, marks vanished tools gone and restores them when they return", async () => {
    const project = await w.makeProject();
    const file = await w.writeTools(`switches-${project.id}`, [tool("alpha"), tool("beta"), tool("gamma")]);
    const server = await w.addStdio(project, "catalogue", [...FIXTURE_ARGS, "--tools-file", file]);
    const scope = { kind: "server", projectId: project.id, serverId: server.id } as const;
    await refresh(scope);
    await w.tdb.db
      .update(schema.serverTools)
      .set({ enabled: false })
      .where(and(eq(schema.serverTools.serverId, server.id), eq(schema.serverTools.name, "beta")));

    await w.writeTools(`switches-${project.id}`, [tool("alpha", "alpha now does other things"), tool("beta", "beta does things", { type: "object", properties: { q: { type: "string" } } })]);
    await refresh(scope);
    const byName = async () => new Map((await listServerTools(w.tdb.db, project.id, server.id)).map((t) => [t.name, t]));
    let tools = await byName();
    expect(tools.get("alpha")).toMatchObject({ enabled: true, description: "alpha now does other things", goneAt: null });
    expect(tools.get("beta")).toMatchObject({ enabled: false, goneAt: null, inputSchema: { type: "object", properties: { q: { type: "string" } } } });
    expect(tools.get("gamma")?.goneAt).toBeInstanceOf(Date);
    expect((await serverRow(project.id, server.id)).toolsCount).toBe(2);
    const changes = (await listServerEvents(w.tdb.db, project.id, server.id, { category: "tool_changed" })).items.map((e) => e.message).sort();
    expect(changes).toEqual(["Tool alpha changed its description", "Tool beta changed its input schema", "Tools no longer listed: gamma"]);

    await w.writeTools(`switches-${project.id}`, [tool("alpha", "alpha now does other things"), tool("beta", "beta does things", { properties: { q: { type: "string" } }, type: "object" }), tool("gamma")]);
    await refresh(scope);
    tools = await byName();
    expect(tools.get("gamma")).toMatchObject({ goneAt: null, enabled: true });
    expect(tools.get("beta")?.enabled).toBe(false);
    const latest = (await listServerEvents(w.tdb.db, project.id, server.id, { category: "tool_changed", limit: 1 })).items[0];
    // Key order differs from the stored jsonb; that is not a schema change.
    expect(latest?.message).toBe("Tools added: gamma");
  });

  it("announces a changed catalogue once per change, after it is recorded, and not when nothing changed", async () => {
    const project = await w.makeProject();
    const file = await w.writeTools(`announce-${project.id}`, [tool("alpha")]);
    const server = await w.addStdio(project, "announced", [...FIXTURE_ARGS, "--tools-file", file]);
    const scope = { kind: "server", projectId: project.id, serverId: server.id } as const;
    const announced: string[][] = [];
    const catalogueChanged = async (projectId: string, serverId: string) => {
      // Announced after the commit: whoever hears it reads the new catalogue.
      const names = (await listServerTools(w.tdb.db, projectId, serverId)).filter((t) => t.goneAt === null).map((t) => t.name);
      announced.push(names);
    };
    const run = () => refreshServerStatus({ db: w.tdb.db, probe: w.probe, catalogueChanged }, scope, FAST);
    await run();
    await run();
    expect(announced).toEqual([["alpha"]]);
    await w.writeTools(`announce-${project.id}`, [tool("alpha"), tool("beta")]);
    await run();
    expect(announced).toEqual([["alpha"], ["alpha", "beta"]]);
  });

  it("records a server's prompts and announces them when they change, not when they stay the same", async () => {
    const project = await w.makeProject();
    const tools = await w.writeTools(`prompt-tools-${project.id}`, [tool("alpha")]);
    const prompts = await w.writeTools(`prompts-${project.id}`, [{ name: "greet", description: "says hello" }]);
    const server = await w.addStdio(project, "prompting", [...FIXTURE_ARGS, "--tools-file", tools, "--prompts-file", prompts]);
    const scope = { kind: "server", projectId: project.id, serverId: server.id } as const;
    const announced: string[][] = [];
    const catalogueChanged = async (projectId: string, serverId: string) => {
      announced.push(((await getServerFeatures(w.tdb.db, projectId, serverId))?.prompts ?? []).flat().map((p) => String(p.name)));
    };
    const run = () => refreshServerStatus({ db: w.tdb.db, probe: w.probe, catalogueChanged }, scope, FAST);
    await run();
    expect(announced).toEqual([["greet"]]);
    await run();
    expect(announced).toEqual([["greet"]]);
    await w.writeTools(`prompts-${project.id}`, [{ name: "greet", description: "says hello" }, { name: "part", description: "says goodbye" }]);
    await run();
    expect(announced).toEqual([["greet"], ["greet", "part"]]);
    expect((await getServerFeatures(w.tdb.db, project.id, server.id))?.resources).toEqual([]);
    // Out of the "all" scope of the test below, which starts every other test's server at once.
    await w.tdb.db.update(schema.mcpServers).set({ enabled: false }).where(eq(schema.mcpServers.id, server.id));
  });

  it("holds new tools for approval when the project says so", async () => {
    const project = await w.makeProject({ newToolPolicy: "held" });
    const file = await w.writeTools(`held-${project.id}`, [tool("one")]);
    const server = await w.addStdio(project, "held", [...FIXTURE_ARGS, "--tools-file", file]);
    await refresh({ kind: "server", projectId: project.id, serverId: server.id });
    const [one] = await listServerTools(w.tdb.db, project.id, server.id);
    expect(one).toMatchObject({ name: "one", enabled: false, pendingApproval: true });
  });

  it("refreshes every enabled server of every project and skips disabled ones", async () => {
    const p1 = await w.makeProject();
    const p2 = await w.makeProject();
    const a = await w.addStdio(p1, "one", [...FIXTURE_ARGS]);
    const b = await w.addStdio(p2, "two", [...FIXTURE_ARGS]);
    const off = await w.addStdio(p2, "off", [...FIXTURE_ARGS], { enabled: false });
    // Servers of the other tests' projects are in scope too, so eight fixtures start at once: the
    // connect timeout leaves a loaded machine time to start them, and still bounds the hung one.
    const summary = await refresh({ kind: "all" }, { concurrency: 8, connectTimeoutMs: 6_000 });
    expect(summary.done).toBeGreaterThanOrEqual(2);
    expect((await serverRow(p1.id, a.id)).status).toBe("online");
    expect((await serverRow(p2.id, b.id)).status).toBe("online");
    expect((await serverRow(p2.id, off.id)).status).toBe("unknown");
  });

  it("drops a result probed against a configuration that changed meanwhile", async () => {
    const project = await w.makeProject();
    const server = await w.addStdio(project, "moving", [...FIXTURE_ARGS, "--delay-initialize", "800"]);
    const run = refresh({ kind: "server", projectId: project.id, serverId: server.id });
    await new Promise((r) => setTimeout(r, 200));
    await w.tdb.db.update(schema.mcpServers).set({ timeoutMs: 20_000 }).where(eq(schema.mcpServers.id, server.id));
    const summary = await run;
    expect(summary).toMatchObject({ done: 1, online: 0 });
    expect((await serverRow(project.id, server.id)).status).toBe("unknown");
  });

  it("bounds stdio and remote probes in separate pools that run side by side", async () => {
    const project = await w.makeProject();
    for (let i = 0; i < 6; i++) await w.addStdio(project, `local-${i}`, [...FIXTURE_ARGS]);
    for (let i = 0; i < 6; i++) await w.addRemote(project, `remote-${i}`, `https://mcp${i}.example.test/mcp`);
    const inFlight = { stdio: 0, remote: 0 };
    const peak = { stdio: 0, remote: 0, both: 0 };
    // A stand-in probe that only measures how many probes of each kind overlap.
    const probe: ServerProbe = async (server) => {
      const kind = server.transport === "stdio" ? "stdio" : "remote";
      inFlight[kind] += 1;
      peak[kind] = Math.max(peak[kind], inFlight[kind]);
      peak.both = Math.max(peak.both, inFlight.stdio + inFlight.remote);
      await new Promise((r) => setTimeout(r, 150));
      inFlight[kind] -= 1;
      return { ok: true, serverInfo: { name: server.name, version: "1", capabilities: {} }, tools: [], complete: true, latencyMs: 150 };
    };
    const summary = await refreshServerStatus({ db: w.tdb.db, probe }, { kind: "project", projectId: project.id }, { concurrency: 2, remoteConcurrency: 3 });
    expect(summary).toMatchObject({ total: 12, done: 12, online: 12 });
    expect(peak).toEqual({ stdio: 2, remote: 3, both: 5 });
  });

  it("probes a remote server over Streamable HTTP and applies the upstream safety rules", async () => {
    const everything = await startEverything("streamableHttp");
    try {
      const project = await w.makeProject();
      const remote = await w.addRemote(project, "remote", `http://127.0.0.1:${everything.port}/mcp`);
      const local = await w.addStdio(project, "local", [...FIXTURE_ARGS]);
      await refresh({ kind: "project", projectId: project.id });
      expect((await serverRow(project.id, remote.id)).status).toBe("online");
      expect((await serverRow(project.id, local.id)).status).toBe("online");

      // Production rules: no private upstreams, no stdio. The probe goes through connectUpstream, which refuses both.
      const strict = createServerProbe({ keyring: w.keyring, policy: { stdio: "off", stdioAllowlist: [], allowPrivateUpstreams: false }, scratchRoot: w.scratchRoot, selfUrls: [] });
      await refreshServerStatus({ db: w.tdb.db, probe: strict }, { kind: "project", projectId: project.id }, FAST);
      const refusedRemote = await serverRow(project.id, remote.id);
      expect(refusedRemote.status).toBe("offline");
      expect(refusedRemote.statusError).toMatch(/private|loopback/i);
      const refusedLocal = await serverRow(project.id, local.id);
      expect(refusedLocal.status).toBe("offline");
      expect(refusedLocal.statusError).toMatch(/stdio servers are disabled/);
    } finally {
      await everything.stop();
    }
  });
});
