import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPackageRunner, markInstalled, needsInstall } from "./package-runners";

let cacheDir: string;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), "sy-package-cache-"));
});

afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe("package-runner commands", () => {
  it("recognises the commands that download what they run, wherever they are installed", () => {
    expect(isPackageRunner("npx", ["-y", "@modelcontextprotocol/server-everything"])).toBe(true);
    expect(isPackageRunner("/usr/local/bin/uvx", ["mcp-server-fetch"])).toBe(true);
    expect(isPackageRunner("docker", ["run", "-i", "--rm", "mcp/fetch"])).toBe(true);
    expect(isPackageRunner("pnpm", ["dlx", "some-server"])).toBe(true);
  });

  it("leaves plain commands and non-running subcommands alone", () => {
    expect(isPackageRunner("node", ["server.js"])).toBe(false);
    expect(isPackageRunner("docker", ["ps"])).toBe(false);
    expect(isPackageRunner("uv", ["run", "server.py"])).toBe(false);
  });

  it("installs on the first start only: once a command came up on this machine it gets the normal timeout", async () => {
    const args = ["-y", "demo-server@1.0.0"];
    expect(needsInstall(cacheDir, "npx", args)).toBe(true);
    await markInstalled(cacheDir, "npx", args);
    expect(needsInstall(cacheDir, "npx", args)).toBe(false);
    // Another package (or version) is another download.
    expect(needsInstall(cacheDir, "npx", ["-y", "demo-server@2.0.0"])).toBe(true);
    expect(needsInstall(cacheDir, "node", ["server.js"])).toBe(false);
  });
});
