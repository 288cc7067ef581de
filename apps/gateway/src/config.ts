/**
 * The gateway's configuration: the runtime mode, secrets, queue backend and server policy as
 * core's resolveRuntimeConfig decides them for every process (the README's runtime modes), plus
 * what only the gateway needs: where stdio servers run and the sandbox they run in.
 */
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { ConfigError, resolveRuntimeConfig, type RuntimeConfig } from "@switchyard/core/runtime";
import type { StdioLaunchOptions } from "@switchyard/core/upstream";
import { secretFiles, type Env } from "./env";
import { PRODUCT_ROOT } from "./package-root";

export interface Config extends RuntimeConfig {
  env: Env;
  /** Root of the stdio servers' scratch directories: outside the data dir, so no child's working tree reaches it. */
  scratchDir: string;
  /** Package caches shared by all stdio servers (`npx -y`, `uvx` download once); outside the data dir too. */
  packageCacheDir: string;
  /** Connect limit of a package-runner server's first start on this machine. */
  installTimeoutMs: number;
  /** PATH handed to stdio servers: the gateway's own, and nothing else of its environment. */
  childPath: string;
  /** The sandbox every stdio server runs in (docs/SECURITY.md); undefined when STDIO_SANDBOX=off. */
  sandbox: StdioLaunchOptions["sandbox"];
}

/** The data dir, the scratch root (each server gets only its own dir back) and every secret file are hidden. */
function sandboxOptions(env: Env, dataDir: string, scratchDir: string): StdioLaunchOptions["sandbox"] {
  if (env.STDIO_SANDBOX === "off") return undefined;
  return {
    mode: env.STDIO_SANDBOX,
    network: env.STDIO_SANDBOX_NETWORK,
    hiddenPaths: [dataDir, scratchDir, ...secretFiles(env).map((f) => resolve(f))],
    shownPaths: [PRODUCT_ROOT],
    limits: {
      memoryBytes: env.STDIO_SANDBOX_MEMORY_MB * 1024 * 1024,
      cpuSeconds: env.STDIO_SANDBOX_CPU_SECONDS,
      processes: env.STDIO_SANDBOX_MAX_PROCESSES,
      openFiles: env.STDIO_SANDBOX_MAX_OPEN_FILES,
    },
    uidBase: env.STDIO_SANDBOX_UID_BASE,
    gid: env.STDIO_SANDBOX_GID,
  };
}

/**
 * @param createSecrets zero-setup only: generate missing secrets into the data dir (`start` does;
 *   a lone `switchyard gateway` only reads what `start` created).
 */
export async function resolveConfig(env: Env, { createSecrets = false } = {}): Promise<Config> {
  const runtime = await resolveRuntimeConfig(env, { createSecrets });
  const { dataDir } = runtime;
  const scratchDir = resolve(env.SWITCHYARD_SCRATCH_DIR ?? join(tmpdir(), `switchyard-scratch-${createHash("sha256").update(dataDir).digest("hex").slice(0, 12)}`));
  const packageCacheDir = resolve(env.SWITCHYARD_PACKAGE_CACHE_DIR ?? join(scratchDir, "package-cache"));
  for (const [name, dir] of [["SWITCHYARD_SCRATCH_DIR", scratchDir], ["SWITCHYARD_PACKAGE_CACHE_DIR", packageCacheDir]] as const) {
    const inside = relative(dataDir, dir);
    if (inside === "" || (!inside.startsWith("..") && !inside.startsWith("/"))) {
      throw new ConfigError(`${name} must not be inside SWITCHYARD_DATA_DIR (stdio servers must never reach the data dir)`);
    }
  }
  return {
    ...runtime,
    env,
    scratchDir,
    packageCacheDir,
    installTimeoutMs: env.STDIO_INSTALL_TIMEOUT_SECONDS * 1_000,
    childPath: env.PATH,
    sandbox: sandboxOptions(env, dataDir, scratchDir),
  };
}
