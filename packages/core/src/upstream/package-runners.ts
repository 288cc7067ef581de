/**
 * Stdio servers the way users write them: `npx -y pkg`, `uvx pkg`, `docker run image`. Their first
 * start downloads the package (or image), which takes far longer than the connect timeout on a slow
 * machine. Such a command gets a first-start "installing" phase with a generous timeout of its own;
 * once it has come up on this machine (a marker beside the shared package cache), normal timeouts
 * apply. The package caches are shared across servers, so one download serves every server.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";

const RUNNERS: Record<string, (args: readonly string[]) => boolean> = {
  npx: () => true,
  bunx: () => true,
  uvx: () => true,
  pipx: (args) => args[0] === "run",
  uv: (args) => args[0] === "tool" && args[1] === "run",
  pnpm: (args) => args[0] === "dlx",
  yarn: (args) => args[0] === "dlx",
  docker: (args) => args[0] === "run",
  podman: (args) => args[0] === "run",
};

/** True when the command downloads what it runs on first use. */
export function isPackageRunner(command: string, args: readonly string[]): boolean {
  return RUNNERS[basename(command)]?.(args) ?? false;
}

/**
 * The package managers' cache locations, all under `packageCacheDir` (never under the per-server
 * HOME, where each server would download everything again). Set before the server's own env, so a
 * server may still point them elsewhere.
 */
export function packageCacheEnv(packageCacheDir: string): Record<string, string> {
  return {
    npm_config_cache: join(packageCacheDir, "npm"),
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    UV_CACHE_DIR: join(packageCacheDir, "uv"),
    UV_TOOL_DIR: join(packageCacheDir, "uv-tools"),
    UV_PYTHON_INSTALL_DIR: join(packageCacheDir, "uv-python"),
    PIPX_HOME: join(packageCacheDir, "pipx"),
    BUN_INSTALL_CACHE_DIR: join(packageCacheDir, "bun"),
  };
}

function markerPath(packageCacheDir: string, command: string, args: readonly string[]): string {
  const key = createHash("sha256").update(JSON.stringify([basename(command), ...args])).digest("hex").slice(0, 32);
  return join(packageCacheDir, ".switchyard-installed", key);
}

/** True while this package-runner command has never come up on this machine: its start installs. */
export function needsInstall(packageCacheDir: string, command: string, args: readonly string[]): boolean {
  return isPackageRunner(command, args) && !existsSync(markerPath(packageCacheDir, command, args));
}

/** Records that the command came up once: later starts get the normal connect timeout. */
export async function markInstalled(packageCacheDir: string, command: string, args: readonly string[]): Promise<void> {
  if (!isPackageRunner(command, args)) return;
  const file = markerPath(packageCacheDir, command, args);
  await mkdir(join(file, ".."), { recursive: true, mode: 0o700 });
  await writeFile(file, `${new Date().toISOString()}\n`);
}
