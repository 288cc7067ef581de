import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
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

  it("keeps an install directory under /tmp visible read-only, with the paths hidden inside it still hidden", async () => {
    // A checkout cloned into /tmp: its node_modules must stay reachable although /tmp is an empty mount.
    const parent = await mkdtemp("/tmp/sy-clone-");
    await chmod(parent, 0o755);
    const install = join(parent, "switchyard");
    await mkdir(install);
    const secret = join(install, "data");
    await mkdir(secret);
    await writeFile(join(install, "server.txt"), "server code");
    await writeFile(join(secret, "key.txt"), "secret");
    for (const [path, mode] of [[install, 0o755], [secret, 0o755], [join(install, "server.txt"), 0o644], [join(secret, "key.txt"), 0o644]] as const) await chmod(path, mode);
    const scratch = await mkdtemp(join(tmpdir(), "sy-sandbox-"));
    const read = async (shownPaths: string[], file: string) => {
      const { command, args } = await sandboxCommand(options({ hiddenPaths: [secret], shownPaths }), {
        serverId: "s3",
        command: "/bin/cat",
        args: [file],
        cwd: scratch,
        scratchDir: scratch,
        network: false,
      });
      return spawnSync(command, args, { encoding: "utf8" });
    };
    expect((await read([install], join(install, "server.txt"))).stdout).toBe("server code");
    const hidden = await read([install], join(secret, "key.txt"));
    expect(hidden.stdout).toBe("");
    expect(hidden.status).not.toBe(0);
    // Not listed: /tmp hides it, as it hides everything else there.
    expect((await read([], join(install, "server.txt"))).status).not.toBe(0);
  });

  it("gives each server a stable uid of its own, never root's", () => {
    const a = sandboxUid(options(), "server-a");
    expect(sandboxUid(options(), "server-a")).toBe(a);
    expect(sandboxUid(options(), "server-b")).not.toBe(a);
    expect(a).toBeGreaterThanOrEqual(2_000_000_000);
  });
});
