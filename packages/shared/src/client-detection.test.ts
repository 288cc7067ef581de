import { describe, expect, it } from "vitest";
import { detectClientType } from "./client-detection";

describe("detectClientType", () => {
  it.each([
    ["cursor-vscode", "cursor"],
    ["Visual Studio Code", "vscode"],
    ["Visual Studio Code - Insiders", "vscode"],
    ["Cline", "cline"],
    ["claude-code", "claude_code"],
    ["windsurf-client", "windsurf"],
    ["inspector-cli", "inspector"],
    ["mcp-inspector", "inspector"],
  ] as const)("recognises clientInfo.name %s as %s", (name, type) => {
    expect(detectClientType(name, "node")).toBe(type);
  });

  it("prefers clientInfo over the User-Agent", () => {
    expect(detectClientType("Cline", "Visual Studio Code/1.99.0")).toBe("cline");
  });

  it.each([
    ["Visual Studio Code/1.99.3", "vscode"],
    ["claude-code/1.0.61 (cli)", "claude_code"],
    ["Cursor/0.50.1", "cursor"],
  ] as const)("falls back to the User-Agent %s", (ua, type) => {
    expect(detectClientType("my-own-client", ua)).toBe(type);
    expect(detectClientType(undefined, ua)).toBe(type);
  });

  it("answers other when nothing is known", () => {
    expect(detectClientType("example-client", "node")).toBe("other");
    expect(detectClientType(null, null)).toBe("other");
    expect(detectClientType("", undefined)).toBe("other");
  });
});
