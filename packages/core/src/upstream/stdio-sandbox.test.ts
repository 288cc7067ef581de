import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_LIMITS, sandboxCommand, sandboxUid, type StdioSandboxOptions } from "./stdio-sandbox";

const options = (over: Partial<StdioSandboxOptions> = {}): StdioSandboxOptions => ({
  mode: "bwrap",
  hiddenPaths: [],
  limits: DEFAULT_SANDBOX_LIMITS,
  uidBase: 2_000_000_000,
  gid: 1_999_999_999,
  ...over,
});

describe("sandboxCommand", () => {
  it("refuses to start a server when bubblewrap is missing instead of running it unsandboxed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sy-sandbox-"));
    const target = { serverId: "s1", command: "node", args: [], cwd: dir, scratchDir: dir, network: true };
    await expect(sandboxCommand(options({ bwrapPath: "/nonexistent/bwrap" }), target)).rejects.toThrow(/bubblewrap/);
  });

  it("hides existing paths, binds only the server's own scratch dir, and cuts the network when asked", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sy-sandbox-"));
    const hidden = await mkdtemp(join(tmpdir(), "sy-hidden-"));
    const { command, args } = await sandboxCommand(options({ hiddenPaths: [hidden, join(hidden, "missing")] }), {
      serverId: "s2",
      command: "node",
      args: ["server.js"],
      cwd: dir,
      scratchDir: dir,
      network: false,
    });
    expect(command).toBe("/usr/bin/bwrap");
    const line = args.join(" ");
    expect(line).toContain(`--tmpfs ${hidden}`);
    expect(line).not.toContain("missing");
    expect(line).toContain(`--bind ${dir} ${dir}`);
    expect(args).toContain("--unshare-pid");
    expect(args).toContain("--unshare-net");
    expect(args.slice(-2)).toEqual(["node", "server.js"]);
  });

  it("gives each server a stable uid of its own, never root's", () => {
    const a = sandboxUid(options(), "server-a");
    expect(sandboxUid(options(), "server-a")).toBe(a);
    expect(sandboxUid(options(), "server-b")).not.toBe(a);
    expect(a).toBeGreaterThanOrEqual(2_000_000_000);
  });
});
