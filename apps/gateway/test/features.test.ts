/**
 * Everything MCP offers besides tools, through the gateway, with server-everything as a stdio
 * upstream: prompts, resources and templates, completion, subscriptions, logging, sampling,
 * elicitation and roots, over both transports and both endpoint kinds; pagination and
 * list_changed across several upstreams; and a first tools/list that waits for a new server.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type LoggingMessageNotification,
} from "@modelcontextprotocol/sdk/types.js";
import { schema, sql } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createServerProbe, refreshServerStatus } from "@switchyard/core/status";
import { EVERYTHING_BIN, everythingServer, pidsWithArg, startFixture, waitFor, writeLevelServer, writePagingServer, writeShelfServer, type GatewayFixture } from "@switchyard/gateway/testing";

let fx: GatewayFixture;
let key: string;

beforeAll(async () => {
  fx = await startFixture();
  key = (await fx.newKey()).key;
  await fx.addServer(everythingServer("everything"));
  await fx.addServer(everythingServer("isolated", { isolation: "per_session" }));
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

interface ConnectOptions {
  transport?: "http" | "sse";
  server?: string;
  project?: GatewayFixture["project"];
}

/** A client that declares sampling, elicitation and roots, and answers them as a user would. */
async function connect(opts: ConnectOptions = {}): Promise<Client> {
  const url = new URL(fx.endpointUrl(opts));
  const requestInit = { headers: { authorization: `Bearer ${key}` } };
  const client = new Client({ name: "features-test", version: "1.0.0" }, { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } });
  client.setRequestHandler(CreateMessageRequestSchema, () => ({ model: "test-model", role: "assistant", content: { type: "text", text: "sampled by the test client" } }));
  client.setRequestHandler(ElicitRequestSchema, () => ({ action: "accept", content: { name: "Ada Lovelace" } }));
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: "file:///work/test-root", name: "test root" }] }));
  await client.connect(opts.transport === "sse" ? new SSEClientTransport(url, { requestInit }) : new StreamableHTTPClientTransport(url, { requestInit }));
  return client;
}

const textOf = (result: unknown) => JSON.stringify(result);

describe.each([
  { transport: "http" as const, server: "everything" },
  { transport: "http" as const, server: undefined },
  { transport: "sse" as const, server: "everything" },
  { transport: "sse" as const, server: undefined },
])("over $transport on the $server endpoint (undefined: the project's)", ({ transport, server }) => {
  const name = (n: string) => (server ? n : `everything__${n}`);
  let client: Client;

  beforeAll(async () => {
    client = await connect({ transport, ...(server ? { server } : {}) });
  }, 30_000);

  afterAll(async () => {
    await client?.close();
  });

  it("declares prompts, resources, completions and logging because server-everything offers them", () => {
    const caps = client.getServerCapabilities();
    expect(caps).toMatchObject({ tools: { listChanged: true }, prompts: { listChanged: true }, resources: { subscribe: true }, completions: {}, logging: {} });
  });

  it("lists prompts and gets one with arguments", async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining([name("simple-prompt"), name("args-prompt"), name("completable-prompt")]));
    const got = await client.getPrompt({ name: name("args-prompt"), arguments: { city: "Paris", state: "Île-de-France" } });
    expect(JSON.stringify(got.messages)).toContain("Paris");
  });

  it("lists resources and templates and reads text and binary resources", async () => {
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(expect.arrayContaining(["demo://resource/dynamic/text/{resourceId}", "demo://resource/dynamic/blob/{resourceId}"]));
    const listed = await client.readResource({ uri: resources[0]?.uri ?? "" });
    expect(listed.contents.length).toBeGreaterThan(0);
    const text = await client.readResource({ uri: "demo://resource/dynamic/text/3" });
    expect(text.contents[0]?.uri).toBe("demo://resource/dynamic/text/3");
    expect(text.contents[0] && "text" in text.contents[0]).toBe(true);
    const blob = await client.readResource({ uri: "demo://resource/dynamic/blob/3" });
    expect(blob.contents[0]?.uri).toBe("demo://resource/dynamic/blob/3");
    expect(blob.contents[0] && "blob" in blob.contents[0]).toBe(true);
  });

  it("completes a prompt argument", async () => {
    const { completion } = await client.complete({ ref: { type: "ref/prompt", name: name("completable-prompt") }, argument: { name: "department", value: "Eng" } });
    expect(completion.values).toEqual(["Engineering"]);
  });

  it("relays sampling and elicitation to the calling client and gives the tool its answers", async () => {
    const sampled = await client.callTool({ name: name("trigger-sampling-request"), arguments: { prompt: "Say hi" } });
    expect(textOf(sampled)).toContain("sampled by the test client");
    const elicited = await client.callTool({ name: name("trigger-elicitation-request"), arguments: {} });
    expect(textOf(elicited)).toContain("Ada Lovelace");
  });
});

describe("per-session relays and notifications", () => {
  it("returns the client's roots to a per-session upstream", async () => {
    const client = await connect({ server: "isolated" });
    const result = await client.callTool({ name: "get-roots-list", arguments: {} });
    expect(textOf(result)).toContain("file:///work/test-root");
    await client.close();
  });

  it("sends log lines of a call to the calling session only, at its level", async () => {
    const caller = await connect({ server: "everything" });
    const other = await connect({ server: "everything" });
    const heard = { caller: [] as LoggingMessageNotification["params"][], other: [] as LoggingMessageNotification["params"][] };
    caller.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void heard.caller.push(n.params));
    other.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void heard.other.push(n.params));
    await caller.setLoggingLevel("debug");
    await other.setLoggingLevel("emergency");
    await caller.callTool({ name: "toggle-simulated-logging", arguments: {} });
    try {
      await waitFor(() => heard.caller.length > 0, 10_000, "a log line for the caller");
      expect(heard.other.filter((p) => p.level !== "emergency")).toEqual([]);
    } finally {
      await caller.callTool({ name: "toggle-simulated-logging", arguments: {} });
      await caller.close();
      await other.close();
    }
  });

  it("delivers resource updates to the sessions that subscribed, and stops after unsubscribe", async () => {
    const subscriber = await connect({});
    const bystander = await connect({});
    const updates = { subscriber: [] as string[], bystander: [] as string[] };
    subscriber.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.subscriber.push(n.params.uri));
    bystander.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.bystander.push(n.params.uri));
    const uri = "demo://resource/dynamic/text/7";
    await subscriber.subscribeResource({ uri });
    await subscriber.callTool({ name: "everything__toggle-subscriber-updates", arguments: {} });
    try {
      await waitFor(() => updates.subscriber.includes(uri), 10_000, "a resource update");
      expect(updates.bystander).toEqual([]);
      await subscriber.unsubscribeResource({ uri });
    } finally {
      await subscriber.callTool({ name: "everything__toggle-subscriber-updates", arguments: {} });
      await subscriber.close();
      await bystander.close();
    }
  });

  it("logs prompts/get, resources/read and completion/complete with their method and identifier, and relays on the call that caused them", async () => {
    await fx.flushLogs();
    const rows = await fx.db.db
      .select({ method: schema.toolCallLogs.method, toolName: schema.toolCallLogs.toolName, status: schema.toolCallLogs.status })
      .from(schema.toolCallLogs)
      .where(sql`${schema.toolCallLogs.projectId} = ${fx.project.id} and ${schema.toolCallLogs.method} <> 'tools/call'`);
    expect(rows).toEqual(
      expect.arrayContaining([
        { method: "prompts/get", toolName: "args-prompt", status: "success" },
        { method: "resources/read", toolName: "demo://resource/dynamic/blob/3", status: "success" },
        { method: "completion/complete", toolName: "completable-prompt", status: "success" },
      ]),
    );
    const relayed = await fx.db.db
      .select({ relayCount: schema.toolCallLogs.relayCount, relayMs: schema.toolCallLogs.relayMs })
      .from(schema.toolCallLogs)
      .where(sql`${schema.toolCallLogs.projectId} = ${fx.project.id} and ${schema.toolCallLogs.toolName} = 'trigger-sampling-request'`);
    expect(relayed.length).toBeGreaterThan(0);
    expect(relayed.every((r) => r.relayCount === 1 && r.relayMs >= 0)).toBe(true);
  });
});

describe("an upstream restarted mid-session", () => {
  it("hears the session's log level again when it starts anew after being killed", async () => {
    const marker = `--sy-level-${randomUUID()}`;
    await fx.addServer({ name: "leveled", transport: "stdio", command: process.execPath, args: [await writeLevelServer(fx.dataDir), marker] });
    await fx.gateway.projectChanged(fx.project.id);
    const client = await connect({ server: "leveled" });
    const level = async () => textOf((await client.callTool({ name: "current-level", arguments: {} })).content);
    expect(await level()).toContain("unset");
    await client.setLoggingLevel("warning");
    expect(await level()).toContain("warning");
    const [pid] = await waitFor(() => (pidsWithArg(marker).length === 1 ? pidsWithArg(marker) : undefined), 5_000, "the upstream running");
    if (pid === undefined) throw new Error("no pid");
    process.kill(pid, "SIGKILL");
    await waitFor(() => pidsWithArg(marker).length === 0, 5_000, "the upstream gone");
    // The next call starts it again; the level is set before the call reaches it.
    const again = await waitFor(async () => (await client.callTool({ name: "current-level", arguments: {} }).catch(() => undefined)) ?? false, 10_000, "a call after the restart");
    expect(textOf(again.content)).toContain("warning");
    expect(pidsWithArg(marker)).toHaveLength(1);
    await client.close();
  });

  it("hears the session's resource subscriptions again when it starts anew after being killed, so updates go on", async () => {
    const marker = `--sy-subs-${randomUUID()}`;
    await fx.addServer(everythingServer("subs", { args: [EVERYTHING_BIN, "stdio", marker] }));
    await fx.gateway.projectChanged(fx.project.id);
    const client = await connect({ server: "subs" });
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    const uri = "demo://resource/dynamic/text/3";
    await client.subscribeResource({ uri });
    const [pid] = await waitFor(() => (pidsWithArg(marker).length === 1 ? pidsWithArg(marker) : undefined), 5_000, "the upstream running");
    if (pid === undefined) throw new Error("no pid");
    process.kill(pid, "SIGKILL");
    await waitFor(() => pidsWithArg(marker).length === 0, 5_000, "the upstream gone");
    // The call starts it again: it hears resources/subscribe first, then sends updates of that URI only.
    await waitFor(async () => (await client.callTool({ name: "toggle-subscriber-updates", arguments: {} }).catch(() => undefined)) ?? false, 10_000, "a call after the restart");
    try {
      await waitFor(() => updates.includes(uri), 12_000, "a resource update after the restart");
      expect(new Set(updates)).toEqual(new Set([uri]));
    } finally {
      await client.callTool({ name: "toggle-subscriber-updates", arguments: {} }).catch(() => undefined);
      await client.close();
    }
  });
});

describe("the prompt and resource catalogue", () => {
  it("lists what the worker's refresh recorded without starting the server, and tells only the affected sessions when a refresh finds it changed", async () => {
    const project = await fx.newProject("Catalogue");
    const projectKey = (await fx.newKey(project)).key;
    const listFile = join(fx.dataDir, "shelf.json");
    await writeFile(listFile, JSON.stringify(["first"]));
    const marker = `--sy-shelf-${randomUUID()}`;
    await fx.addServer({ name: "shelf", transport: "stdio", command: process.execPath, args: [await writeShelfServer(fx.dataDir, listFile), marker] }, project);
    await fx.addServer({ name: "other", transport: "stdio", command: process.execPath, args: [await writePagingServer(fx.dataDir, "other", 1)] }, project);
    const probe = createServerProbe({ keyring: fx.config.keyring, policy: fx.config.policy, scratchRoot: fx.dataDir, selfUrls: [fx.url], sandbox: fx.config.sandbox });
    const refresh = async () => {
      await refreshServerStatus(
        { db: fx.db.db, probe, catalogueChanged: (projectId) => fx.gateway.projectChanged(projectId) },
        { kind: "project", projectId: project.id },
        { connectTimeoutMs: 10_000, callTimeoutMs: 10_000 },
      );
      await waitFor(() => pidsWithArg(marker).length === 0, 5_000, "the refresh's own shelf process gone");
    };
    await refresh();
    await fx.gateway.projectChanged(project.id);
    const open = async (server?: string) => {
      const url = new URL(fx.endpointUrl({ project, ...(server ? { server } : {}) }));
      const client = new Client({ name: "catalogue-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${projectKey}` } } }));
      const heard = { prompts: 0, resources: 0 };
      client.setNotificationHandler(PromptListChangedNotificationSchema, () => void heard.prompts++);
      client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void heard.resources++);
      return { client, heard };
    };
    const aggregate = await open();
    const bystander = await open("other");
    expect((await aggregate.client.listPrompts()).prompts.map((p) => p.name)).toContain("shelf__first");
    expect((await aggregate.client.listResources()).resources.map((r) => r.uri)).toContain("shelf://first");
    // Served from the catalogue: the gateway started no shelf server for it.
    expect(pidsWithArg(marker)).toEqual([]);

    await writeFile(listFile, JSON.stringify(["first", "second"]));
    await refresh();
    await waitFor(() => aggregate.heard.prompts > 0 && aggregate.heard.resources > 0, 5_000, "prompts and resources list_changed after the refresh");
    expect((await aggregate.client.listPrompts()).prompts.map((p) => p.name)).toEqual(expect.arrayContaining(["shelf__first", "shelf__second"]));
    expect((await aggregate.client.listResources()).resources.map((r) => r.uri)).toContain("shelf://second");
    expect(pidsWithArg(marker)).toEqual([]);
    // The session on the other server's endpoint shows nothing of the shelf: it is not told.
    expect(bystander.heard).toEqual({ prompts: 0, resources: 0 });
    // Routed by the catalogue's names, the upstream starts for the request itself.
    expect(JSON.stringify((await aggregate.client.getPrompt({ name: "shelf__second" })).messages)).toContain("shelf: second");
    await aggregate.client.close();
    await bystander.client.close();
  });
});

describe("several upstreams", () => {
  let project: GatewayFixture["project"];

  beforeAll(async () => {
    project = await fx.newProject("Paging");
    for (const n of ["alpha", "beta", "gamma"]) {
      await fx.addServer({ name: n, transport: "stdio", command: process.execPath, args: [await writePagingServer(fx.dataDir, n, 5)] }, project);
    }
    key = (await fx.newKey(project)).key;
  }, 30_000);

  it("pages prompts and resources across three upstreams with one signed cursor", async () => {
    const client = await connect({ project });
    const prompts: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listPrompts(cursor ? { cursor } : {});
      prompts.push(...page.prompts.map((p) => p.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(pages).toBeGreaterThan(3);
    expect(prompts).toHaveLength(15);
    expect(new Set(prompts).size).toBe(15);
    expect(prompts).toContain("gamma__gamma-prompt-4");
    const got = await client.getPrompt({ name: "beta__beta-prompt-2" });
    expect(JSON.stringify(got.messages)).toContain("from beta: beta-prompt-2");

    const uris: string[] = [];
    cursor = undefined;
    do {
      const page = await client.listResources(cursor ? { cursor } : {});
      uris.push(...page.resources.map((r) => r.uri));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(uris).size).toBe(15);
    expect((await client.readResource({ uri: "page://gamma/items/9" })).contents[0]).toMatchObject({ text: "read by gamma" });

    const first = await client.listPrompts();
    const tampered = `${first.nextCursor?.slice(0, -2) ?? ""}xx`;
    await expect(client.listPrompts({ cursor: tampered })).rejects.toThrow(/invalid cursor/);
    await client.close();
  });

  it("tells sessions when an upstream's prompts or resources change", async () => {
    const client = await connect({ project });
    let prompts = 0;
    let resources = 0;
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => void prompts++);
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void resources++);
    await client.callTool({ name: "alpha__announce", arguments: {} });
    await waitFor(() => prompts > 0 && resources > 0, 5_000, "prompts and resources list_changed");
    await client.close();
  });

  it("answers the first tools/list after a server is added with its tools", async () => {
    const client = await connect({ project });
    let prompts = 0;
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => void prompts++);
    await fx.addServer(everythingServer("late"), project);
    await fx.gateway.projectChanged(project.id);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("late__echo");
    // Servers were added: prompts and resources may have changed too.
    await waitFor(() => prompts > 0, 5_000, "prompts list_changed");
    await client.close();
  });
});
