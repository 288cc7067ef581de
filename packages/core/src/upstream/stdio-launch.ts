/**
 * Plans the spawn of a stdio upstream (docs/SECURITY.md): the instance policy re-checked at
 * connect time, a clean child environment and a working directory confined to the server's scratch
 * directory. Registration already validated all of this; it is checked again here because a row in
 * the database is not proof (an older policy, a hand-edited row, a bug elsewhere).
 */
import { lstat, mkdir, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { DEFAULT_INHERITED_ENV_VARS, type StdioServerParameters } from "@modelcontextprotocol/sdk/client/stdio.js";
import { AppError, FORBIDDEN_ENV_KEYS, type StdioServerConfig } from "@switchyard/shared";
import { matchesAllowlist, type ServerPolicy } from "../servers/server-policy";
import { packageCacheEnv } from "./package-runners";
import { sandboxCommand, type StdioSandboxOptions } from "./stdio-sandbox";

const SERVER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface StdioLaunchOptions {
  policy: ServerPolicy;
  /** Directory holding one scratch directory per server (created 0700 when missing). */
  scratchRoot: string;
  /** PATH handed to the child: the gateway's own. */
  path: string;
  /**
   * Package caches shared by every stdio server (npm, uv, …; created when missing), so that
   * `npx -y` or `uvx` downloads a package once, not into each server's fresh HOME at every start.
   * The sandbox binds it read-write.
   */
  packageCacheDir: string;
  /** The sandbox the child runs in (docs/SECURITY.md); absent means none (library callers, tests). */
  sandbox?: StdioSandboxOptions & { network: boolean };
}

export interface StdioLaunch {
  /** Parameters for the SDK's StdioClientTransport (stderr piped, env masked, cwd resolved). */
  params: StdioServerParameters;
  /** The environment the child really gets. */
  env: Record<string, string>;
  scratchDir: string;
  cwd: string;
}

/** Throws `forbidden` when the instance policy does not accept this command now. */
export function assertStdioAllowed(policy: ServerPolicy, config: Pick<StdioServerConfig, "command" | "args">): void {
  if (policy.stdio === "off") throw new AppError("forbidden", "stdio servers are disabled on this instance (STDIO_SERVERS=off)");
  if (policy.stdio === "allowlist" && !matchesAllowlist(policy.stdioAllowlist, config.command, config.args)) {
    throw new AppError("forbidden", `command "${config.command}" with these arguments is not in STDIO_COMMAND_ALLOWLIST`);
  }
}

export function isForbiddenEnvKey(key: string): boolean {
  return (FORBIDDEN_ENV_KEYS as readonly string[]).includes(key) || key.toUpperCase().startsWith("LD_") || key.toUpperCase().startsWith("DYLD_");
}

export function assertEnvAllowed(serverEnv: Record<string, string>): void {
  const refused = Object.keys(serverEnv).filter(isForbiddenEnvKey);
  if (refused.length > 0) throw new AppError("forbidden", `env ${refused.join(", ")} is not allowed: it changes how programs load code`);
}

/**
 * PATH from the gateway, HOME = the scratch directory, the shared package cache locations, then the
 * server's own env; nothing else.
 */
export function buildChildEnv(serverEnv: Record<string, string>, home: string, path: string, packageCacheDir?: string): Record<string, string> {
  assertEnvAllowed(serverEnv);
  return { PATH: path, HOME: home, ...(packageCacheDir ? packageCacheEnv(packageCacheDir) : {}), ...serverEnv };
}

/**
 * StdioClientTransport spreads `getDefaultEnvironment()` (HOME, LOGNAME, PATH, SHELL, TERM, USER of
 * the gateway) under the env we pass. Node's spawn skips keys whose value is `undefined`, so every
 * inherited key we did not set is masked with `undefined` and the child gets exactly `env`.
 */
function maskInheritedEnv(env: Record<string, string>): Record<string, string> {
  const masked: Record<string, string | undefined> = {};
  for (const key of DEFAULT_INHERITED_ENV_VARS) masked[key] = undefined;
  // The SDK types env as Record<string, string>; the undefined entries are intentional (see above).
  return { ...masked, ...env } as Record<string, string>;
}

async function ensureRealDir(path: string): Promise<void> {
  const info = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw e;
  });
  if (!info) {
    await mkdir(path, { mode: 0o700 });
    return;
  }
  if (info.isSymbolicLink()) throw new AppError("forbidden", "the server's working directory may not pass through a symbolic link");
  if (!info.isDirectory()) throw new AppError("forbidden", "the server's working directory is not a directory");
}

/**
 * Creates (when missing) the server's scratch directory and the working directory inside it, one
 * component at a time so that no symlink planted by an earlier run can lead `mkdir` or the child out.
 */
export async function prepareScratch(scratchRoot: string, serverId: string, cwd: string | undefined): Promise<{ scratchDir: string; cwd: string }> {
  if (!SERVER_ID_PATTERN.test(serverId)) throw new AppError("invalid_input", "server id is not a safe directory name");
  await mkdir(scratchRoot, { recursive: true, mode: 0o700 });
  const root = await realpath(scratchRoot);
  const scratchDir = join(root, serverId);
  await ensureRealDir(scratchDir);
  const target = resolve(scratchDir, cwd ?? ".");
  const rel = relative(scratchDir, target);
  if (isAbsolute(cwd ?? "") || rel.startsWith("..") || isAbsolute(rel)) {
    throw new AppError("forbidden", "cwd must stay inside the server's scratch directory");
  }
  let current = scratchDir;
  for (const part of rel.split(sep).filter(Boolean)) {
    current = join(current, part);
    await ensureRealDir(current);
  }
  const real = await realpath(current);
  if (real !== scratchDir && !real.startsWith(scratchDir + sep)) throw new AppError("forbidden", "cwd must stay inside the server's scratch directory");
  return { scratchDir, cwd: real };
}

export async function planStdioLaunch(serverId: string, config: StdioServerConfig, options: StdioLaunchOptions): Promise<StdioLaunch> {
  assertStdioAllowed(options.policy, config);
  assertEnvAllowed(config.env);
  const { scratchDir, cwd } = await prepareScratch(options.scratchRoot, serverId, config.cwd);
  await mkdir(options.packageCacheDir, { recursive: true, mode: 0o700 });
  const env = buildChildEnv(config.env, scratchDir, options.path, options.packageCacheDir);
  const target = { serverId, command: config.command, args: config.args, cwd, scratchDir, network: options.sandbox?.network ?? true, packageCacheDir: options.packageCacheDir };
  const spawn = options.sandbox ? await sandboxCommand(options.sandbox, target) : { command: config.command, args: config.args, cwd };
  return {
    params: { command: spawn.command, args: spawn.args, env: maskInheritedEnv(env), cwd: spawn.cwd, stderr: "pipe" },
    env,
    scratchDir,
    cwd,
  };
}
