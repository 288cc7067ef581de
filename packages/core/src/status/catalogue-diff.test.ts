import type { ServerTool } from "@switchyard/db";
import { describe, expect, it } from "vitest";
import { classifyProbe } from "./probe-result";
import { diffCatalogue } from "./catalogue-diff";

const at = new Date("2026-01-01T00:00:00Z");
function stored(name: string, over: Partial<ServerTool> = {}): ServerTool {
  return {
    id: `id-${name}`,
    projectId: "p",
    serverId: "s",
    name,
    title: null,
    description: `${name} tool`,
    inputSchema: { type: "object" },
    outputSchema: null,
    annotations: null,
    enabled: true,
    pendingApproval: false,
    firstSeenAt: at,
    lastSeenAt: at,
    goneAt: null,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}
const listed = (name: string, over: Partial<ServerTool> = {}) => {
  const { title, description, inputSchema, outputSchema, annotations } = stored(name, over);
  return { name, title, description, inputSchema, outputSchema, annotations };
};

describe("diffCatalogue", () => {
  it("marks nothing gone when the list is partial", () => {
    const diff = diffCatalogue([stored("a"), stored("b")], [listed("a")], false, "enabled");
    expect(diff.gone).toEqual([]);
    expect(diff.updates.map((u) => u.id)).toEqual(["id-a"]);
  });

  it("marks tools missing from a complete list gone, once", () => {
    const diff = diffCatalogue([stored("a"), stored("b"), stored("c", { goneAt: at })], [listed("a")], true, "enabled");
    expect(diff.gone.map((t) => t.name)).toEqual(["b"]);
  });

  it("inserts new tools per the project's policy and keeps the first of a duplicated name", () => {
    const diff = diffCatalogue([], [listed("x"), listed("x", { description: "second" })], true, "held");
    expect(diff.inserts).toEqual([expect.objectContaining({ name: "x", description: "x tool", enabled: false, pendingApproval: true })]);
  });

  it("sees schema changes but not key order", () => {
    const before = stored("a", { inputSchema: { type: "object", properties: { q: { type: "string" } } } });
    const same = diffCatalogue([before], [listed("a", { inputSchema: { properties: { q: { type: "string" } }, type: "object" } })], true, "enabled");
    expect(same.updates[0]?.changed).toEqual([]);
    const changed = diffCatalogue([before], [listed("a", { inputSchema: { type: "object", properties: { q: { type: "number" } } } })], true, "enabled");
    expect(changed.updates[0]?.changed).toEqual(["inputSchema"]);
  });

  it("flags a returning tool as reappeared without touching its switch", () => {
    const diff = diffCatalogue([stored("a", { goneAt: at, enabled: false })], [listed("a")], true, "enabled");
    expect(diff.updates[0]).toMatchObject({ reappeared: true });
    expect(diff.updates[0]?.definition).not.toHaveProperty("enabled");
  });
});

describe("classifyProbe", () => {
  const info = { name: "s", version: "1", capabilities: {} };
  it("maps probe outcomes onto statuses", () => {
    expect(classifyProbe({ ok: true, serverInfo: info, tools: [], complete: true, latencyMs: 10 }, 100)).toEqual({ status: "online", error: null });
    expect(classifyProbe({ ok: true, serverInfo: info, tools: [], complete: true, latencyMs: 101 }, 100).status).toBe("degraded");
    expect(classifyProbe({ ok: true, serverInfo: info, tools: [], complete: false, listError: "page 2", latencyMs: 1 }, 100)).toEqual({ status: "degraded", error: "partial tool list: page 2" });
    expect(classifyProbe({ ok: false, stage: "connect", error: "refused", latencyMs: 1 }, 100)).toEqual({ status: "offline", error: "refused" });
    expect(classifyProbe({ ok: false, stage: "list", error: "bad", latencyMs: 1 }, 100)).toEqual({ status: "error", error: "bad" });
  });
});
