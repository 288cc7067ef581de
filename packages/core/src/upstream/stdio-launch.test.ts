import { mkdir, mkdtemp, readdir, rm, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StdioServerConfig } from "@switchyard/shared";
import type { ServerPolicy } from "../servers/server-policy";
import { packageCacheEnv } from "./package-runners";
import { buildChildEnv, planStdioLaunch, prepareScratch } from "./stdio-launch";

const ON: ServerPolicy = { stdio: "on", stdioAllowlist: [], allowPrivateUpstreams: false };

function stdioConfig(over: Partial<StdioServerConfig> = {}): StdioServerConfig {
  return { name: "s", transport: "stdio", command: "node", args: ["server.js"], env: {}, timeoutMs: 5_000, enabled: true, isolation: "shared", ...over };
}

let root: string;
let outside: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sy-scratch-"));
  outside = await mkdtemp(join(tmpdir(), "sy-outside-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe("child environment", () => {
  it("holds only PATH, HOME and the server's own env", () => {
    expect(buildChildEnv({ API_TOKEN: "t" }, "/scratch/s1", "/usr/bin")).toEqual({ PATH: "/usr/bin", HOME: "/scratch/s1", API_TOKEN: "t" });
  });

  it.each(["PATH", "HOME", "NODE_OPTIONS", "LD_PRELOAD", "LD_LIBRARY_PATH", "ld_audit", "PYTHONPATH", "BASH_ENV", "DYLD_INSERT_LIBRARIES", "NODE_PATH"])(
    "refuses the env key %s",
    (key) => {
      expect(() => buildChildEnv({ [key]: "x" }, "/scratch/s1", "/usr/bin")).toThrow(/not allowed/);
    },
  );

  it("masks every variable the SDK would inherit so the spawn env is exactly ours", async () => {
    const launch = await planStdioLaunch("env-mask", stdioConfig({ env: { FOO: "bar" } }), { policy: ON, scratchRoot: root, path: "/usr/bin", packageCacheDir: join(root, "package-cache") });
    const spawnEnv = Object.fromEntries(Object.entries(launch.params.env ?? {}).filter(([, v]) => v !== undefined));
    expect(spawnEnv).toEqual({ PATH: "/usr/bin", HOME: launch.scratchDir, ...packageCacheEnv(join(root, "package-cache")), FOO: "bar" });
    // The masking entries must be present (undefined) so the SDK's defaults are overridden.
    expect(Object.keys(launch.params.env ?? {})).toEqual(expect.arrayContaining(["USER", "SHELL", "LOGNAME", "TERM"]));
    expect(launch.params.stderr).toBe("pipe");
  });

  it("points every package manager's cache at the shared package cache, outside the server's HOME, unless the server sets its own", async () => {
    const cacheDir = join(root, "package-cache");
    const launch = await planStdioLaunch("cache", stdioConfig({ env: { UV_CACHE_DIR: "/srv/uv" } }), { policy: ON, scratchRoot: root, path: "/usr/bin", packageCacheDir: cacheDir });
    expect(launch.env.npm_config_cache).toBe(join(cacheDir, "npm"));
    expect(launch.env.npm_config_cache?.startsWith(launch.scratchDir)).toBe(false);
    expect(launch.env.UV_CACHE_DIR).toBe("/srv/uv");
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
  });

  it("refuses a forbidden env key before creating anything on disk", async () => {
    const scratchRoot = join(root, "untouched");
    await expect(planStdioLaunch("s1", stdioConfig({ env: { LD_PRELOAD: "/tmp/evil.so" } }), { policy: ON, scratchRoot, path: "/usr/bin", packageCacheDir: join(root, "package-cache") })).rejects.toThrow(
      /LD_PRELOAD is not allowed/,
    );
    await expect(stat(scratchRoot)).rejects.toThrow(/ENOENT/);
  });
});

describe("stdio policy at connect time", () => {
  it("refuses every stdio server when STDIO_SERVERS=off", async () => {
    await expect(planStdioLaunch("s1", stdioConfig(), { policy: { ...ON, stdio: "off" }, scratchRoot: root, path: "/usr/bin", packageCacheDir: join(root, "package-cache") })).rejects.toThrow(/STDIO_SERVERS=off/);
  });

  it("refuses a command outside the allowlist and accepts one inside it", async () => {
    const policy: ServerPolicy = { ...ON, stdio: "allowlist", stdioAllowlist: [{ command: "node", args: ["server.js"] }] };
    await expect(planStdioLaunch("s1", stdioConfig({ args: ["other.js"] }), { policy, scratchRoot: root, path: "/usr/bin", packageCacheDir: join(root, "package-cache") })).rejects.toThrow(/STDIO_COMMAND_ALLOWLIST/);
    await expect(planStdioLaunch("s1", stdioConfig({ command: "python3" }), { policy, scratchRoot: root, path: "/usr/bin", packageCacheDir: join(root, "package-cache") })).rejects.toThrow(/STDIO_COMMAND_ALLOWLIST/);
    const ok = await planStdioLaunch("s1", stdioConfig(), { policy, scratchRoot: root, path: "/usr/bin", packageCacheDir: join(root, "package-cache") });
    expect(ok.params.command).toBe("node");
  });
});

describe("working directory", () => {
  it("creates the scratch directory (0700) and a nested cwd inside it", async () => {
    const { scratchDir, cwd } = await prepareScratch(root, "nested", "a/b");
    expect(cwd).toBe(join(scratchDir, "a", "b"));
    expect((await stat(scratchDir)).mode & 0o777).toBe(0o700);
  });

  it.each(["../other", "a/../../other", "/etc", "../../../etc"])("refuses cwd %s", async (cwd) => {
    await expect(prepareScratch(root, "escape", cwd)).rejects.toThrow(/scratch directory/);
  });

  it("refuses a cwd that passes through a symlink leading out, and creates nothing outside", async () => {
    const { scratchDir } = await prepareScratch(root, "linked", undefined);
    await symlink(outside, join(scratchDir, "link"));
    await expect(prepareScratch(root, "linked", "link")).rejects.toThrow(/symbolic link/);
    await expect(prepareScratch(root, "linked", "link/sub")).rejects.toThrow(/symbolic link/);
    expect(await readdir(outside)).toEqual([]);
  });

  it("refuses a server scratch directory that is itself a symlink", async () => {
    await symlink(outside, join(root, "hijacked"));
    await expect(prepareScratch(root, "hijacked", undefined)).rejects.toThrow(/symbolic link/);
  });

  it("refuses server ids that are not plain directory names", async () => {
    await mkdir(join(root, "x"), { recursive: true });
    await expect(prepareScratch(root, "../x", undefined)).rejects.toThrow(/safe directory name/);
  });
});
