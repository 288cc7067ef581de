import { describe, expect, it } from "vitest";
import { exposedName, MAX_EXPOSED_NAME_LENGTH, parseExposedName, stableNameHash } from "./tool-naming";

describe("exposedName", () => {
  it("joins server, separator and name", () => {
    expect(exposedName("github", "__", "create_issue")).toBe("github__create_issue");
    expect(exposedName("fs", "_x_", "read")).toBe("fs_x_read");
  });

  it("keeps a name of exactly 64 characters as it is", () => {
    const name = "t".repeat(64 - "srv__".length);
    expect(exposedName("srv", "__", name)).toBe(`srv__${name}`);
  });

  it("cuts longer names to 64 characters with a stable 8-character hash suffix", () => {
    const long = `${"very_long_tool_name_".repeat(4)}end`;
    const exposed = exposedName("everything", "__", long);
    expect(exposed).toHaveLength(MAX_EXPOSED_NAME_LENGTH);
    expect(exposed.startsWith("everything__very_long_tool_name_")).toBe(true);
    expect(exposed).toMatch(/_[0-9a-v]{8}$/);
    expect(exposedName("everything", "__", long)).toBe(exposed);
  });

  it("gives names that share a long prefix different hashes", () => {
    const prefix = "x".repeat(70);
    expect(exposedName("s", "__", `${prefix}a`)).not.toBe(exposedName("s", "__", `${prefix}b`));
  });
});

describe("stableNameHash", () => {
  it("is the same value on every run (pinned so every instance agrees)", () => {
    expect(stableNameHash("")).toBe("pfp9pp44");
    expect(stableNameHash("a")).toBe("lthtoj46");
    expect(stableNameHash("github__create_issue")).toBe(stableNameHash("github__create_issue"));
    expect(stableNameHash("a")).not.toBe(stableNameHash("b"));
  });

  it("hashes UTF-8 bytes, not UTF-16 code units", () => {
    expect(stableNameHash("é")).not.toBe(stableNameHash("\u00e9\u0000"));
    expect(stableNameHash("日本")).toMatch(/^[0-9a-v]{8}$/);
  });
});

describe("parseExposedName", () => {
  it("splits at the separator even when the upstream name contains it", () => {
    expect(parseExposedName("github__create__issue", "__")).toEqual({ server: "github", name: "create__issue", hashed: false });
    expect(parseExposedName("my-srv__do_it", "__")).toEqual({ server: "my-srv", name: "do_it", hashed: false });
  });

  it("handles separators that do not start with _", () => {
    expect(parseExposedName("srv-a-_tool", "-_")).toEqual({ server: "srv-a", name: "tool", hashed: false });
  });

  it("round-trips every short name", () => {
    for (const [server, sep, name] of [
      ["a", "__", "b"],
      ["a-b", "_", "c_d"],
      ["x9", "x_y", "z"],
    ] as const) {
      expect(parseExposedName(exposedName(server, sep, name), sep)).toEqual({ server, name, hashed: false });
    }
  });

  it("marks cut names as hashed and gives the kept prefix of the upstream name", () => {
    const long = "n".repeat(80);
    const parsed = parseExposedName(exposedName("srv", "__", long), "__");
    expect(parsed).toEqual({ server: "srv", name: "n".repeat(55 - "srv__".length), hashed: true });
  });

  it("refuses names without the separator", () => {
    expect(parseExposedName("plain", "__")).toBeUndefined();
    expect(parseExposedName("__tool", "__")).toBeUndefined();
    expect(parseExposedName("srv__", "__")).toBeUndefined();
    expect(parseExposedName("srv_tool", "__")).toBeUndefined();
  });
});
