import { describe, expect, it } from "vitest";
import { parseMcpServersJson } from "./mcp-servers-json";
import { normalizeServerName } from "./names";

describe("normalizeServerName", () => {
  it("turns any label into [a-z0-9][a-z0-9-]*", () => {
    expect(normalizeServerName("My_GitHub Server")).toBe("my-github-server");
    expect(normalizeServerName("  --Weird__Name!!  ")).toBe("weird-name");
    expect(normalizeServerName("Café")).toBe("cafe");
    expect(normalizeServerName("___")).toBe("");
    expect(normalizeServerName("a".repeat(80))).toHaveLength(48);
  });
});

describe("parseMcpServersJson", () => {
  it("reads Claude Desktop stdio entries", () => {
    const [entry] = parseMcpServersJson(JSON.stringify({ mcpServers: { filesystem: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"], env: { A: "1" } } } }));
    expect(entry?.errors).toEqual([]);
    expect(entry?.config).toMatchObject({ name: "filesystem", transport: "stdio", command: "npx", env: { A: "1" } });
  });

  it("reads Cursor, Cline, Windsurf and VS Code remote entries and picks the transport", () => {
    const entries = parseMcpServersJson(
      JSON.stringify({
        mcpServers: {
          cursor: { url: "https://a.example.com/mcp", headers: { Authorization: "Bearer x" } },
          cline: { type: "streamableHttp", url: "https://b.example.com/api" },
          legacy: { url: "https://c.example.com/sse" },
          windsurf: { serverUrl: "https://d.example.com/mcp" },
          explicitSse: { type: "sse", url: "https://e.example.com/events" },
        },
      }),
    );
    expect(entries.map((e) => [e.name, e.config?.transport])).toEqual([
      ["cursor", "streamable_http"],
      ["cline", "streamable_http"],
      ["legacy", "sse"],
      ["windsurf", "streamable_http"],
      ["explicitsse", "sse"],
    ]);
    const vscode = parseMcpServersJson(JSON.stringify({ servers: { gh: { type: "http", url: "https://g.example.com/mcp" } } }));
    expect(vscode[0]?.config?.transport).toBe("streamable_http");
  });

  it("reports per-entry problems instead of throwing", () => {
    const entries = parseMcpServersJson(
      JSON.stringify({ mcpServers: { empty: {}, both: { command: "x", url: "https://x.example.com" }, "a_b": { command: "x" }, "a-b": { command: "y" }, evil: { command: "node", env: { NODE_OPTIONS: "--require /tmp/x.js" } } } }),
    );
    const errors = Object.fromEntries(entries.map((e) => [e.originalName, e.errors.join("; ")]));
    expect(errors.empty).toContain("needs a command");
    expect(errors.both).toContain("not both");
    expect(errors["a-b"]).toContain("another entry already uses");
    expect(errors.evil).toContain("NODE_OPTIONS is not allowed");
    expect(entries.find((e) => e.originalName === "a_b")?.config?.name).toBe("a-b");
  });

  it("throws a readable error for malformed documents", () => {
    expect(() => parseMcpServersJson("{ nope")).toThrow("not valid JSON");
    expect(() => parseMcpServersJson("[]")).toThrow("expected a JSON object");
    expect(() => parseMcpServersJson('{"other": {}}')).toThrow('"mcpServers"');
  });
});
