/**
 * Resolves the validated env into the runtime configuration of the README's runtime modes: zero-setup (no
 * DATABASE_URL: embedded Postgres, generated secrets, stdio on, loopback bind) or production.
 */
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { DATA_DIR_SECRET_FILES, readDataDirSecrets, ensureDataDirSecrets } from "@switchyard/core/runtime";
import { Keyring } from "@switchyard/core/secrets";
import { parseAllowlist, type ServerPolicy } from "@switchyard/core/servers";
import type { StdioLaunchOptions } from "@switchyard/core/upstream";
import { isProductionMode, secretFiles, type Env } from "./env";

export interface Config {
  mode: "zero-setup" | "production";
  env: Env;
  dataDir: string;
  /** Root of the stdio servers' scratch directories: outside the data dir, so no child's working tree reaches it. */
  scratchDir: string;
  /** Package caches shared by all stdio servers (`npx -y`, `uvx` download once); outside the data dir too. */
  packageCacheDir: string;
  /** Connect limit of a package-runner server's first start on this machine. */
  installTimeoutMs: number;
  /** PATH handed to stdio servers: the gateway's own, and nothing else of its environment. */
  childPath: string;
  /** Set in production; in zero-setup filled in by `start` once embedded Postgres runs. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  host: string;
  gatewayPort: number;
  webPort: number;
  publicGatewayUrl: string;
  secretKey: string;
  authSecret: string;
  /** Zero-setup: the data-dir files the generated secrets live in, handed to children by path, not value. */
  generatedSecretFiles: { secretKey?: string; authSecret?: string };
  keyring: Keyring;
  policy: ServerPolicy;
  /** The sandbox every stdio server runs in (docs/SECURITY.md); undefined when STDIO_SANDBOX=off. */
  sandbox: StdioLaunchOptions["sandbox"];
  allowSignup: boolean;
}

/** The data dir, the scratch root (each server gets only its own dir back) and every secret file are hidden. */
function sandboxOptions(env: Env, dataDir: string, scratchDir: string): StdioLaunchOptions["sandbox"] {
  if (env.STDIO_SANDBOX === "off") return undefined;
  return {
    mode: env.STDIO_SANDBOX,
    network: env.STDIO_SANDBOX_NETWORK,
    hiddenPaths: [dataDir, scratchDir, ...secretFiles(env).map((f) => resolve(f))],
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

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * @param createSecrets zero-setup only: generate missing secrets into the data dir (`start` does;
 *   a lone `switchyard gateway` only reads what `start` created).
 */
export async function resolveConfig(env: Env, { createSecrets = false } = {}): Promise<Config> {
  const production = isProductionMode(env);
  const dataDir = resolve(env.SWITCHYARD_DATA_DIR);
  let secretKey = env.SWITCHYARD_SECRET_KEY;
  let authSecret = env.AUTH_SECRET;
  const generatedSecretFiles: Config["generatedSecretFiles"] = {};
  if (production) {
    const missing = [!secretKey && "SWITCHYARD_SECRET_KEY", !authSecret && "AUTH_SECRET"].filter(Boolean);
    if (missing.length) throw new ConfigError(`${missing.join(" and ")} must be set when DATABASE_URL is set (production mode)`);
  } else if (!secretKey || !authSecret) {
    const stored = createSecrets ? await ensureDataDirSecrets(dataDir) : await readDataDirSecrets(dataDir);
    if (!secretKey && stored.secretKey) generatedSecretFiles.secretKey = join(dataDir, DATA_DIR_SECRET_FILES.secretKey);
    if (!authSecret && stored.authSecret) generatedSecretFiles.authSecret = join(dataDir, DATA_DIR_SECRET_FILES.authSecret);
    secretKey ??= stored.secretKey;
    authSecret ??= stored.authSecret;
    if (!secretKey || !authSecret) throw new ConfigError(`no secrets in ${dataDir}: run \`switchyard start\` once, or set SWITCHYARD_SECRET_KEY and AUTH_SECRET`);
  }
  if (!secretKey || !authSecret) throw new ConfigError("SWITCHYARD_SECRET_KEY and AUTH_SECRET are required");
  let keyring: Keyring;
  try {
    keyring = Keyring.fromStrings(secretKey, env.SWITCHYARD_PREVIOUS_SECRET_KEYS?.split(",").filter(Boolean) ?? []);
  } catch (e) {
    throw new ConfigError(`SWITCHYARD_SECRET_KEY: ${(e as Error).message}`);
  }
  const scratchDir = resolve(env.SWITCHYARD_SCRATCH_DIR ?? join(tmpdir(), `switchyard-scratch-${createHash("sha256").update(dataDir).digest("hex").slice(0, 12)}`));
  const packageCacheDir = resolve(env.SWITCHYARD_PACKAGE_CACHE_DIR ?? join(scratchDir, "package-cache"));
  for (const [name, dir] of [["SWITCHYARD_SCRATCH_DIR", scratchDir], ["SWITCHYARD_PACKAGE_CACHE_DIR", packageCacheDir]] as const) {
    const inside = relative(dataDir, dir);
    if (inside === "" || (!inside.startsWith("..") && !inside.startsWith("/"))) {
      throw new ConfigError(`${name} must not be inside SWITCHYARD_DATA_DIR (stdio servers must never reach the data dir)`);
    }
  }
  const host = env.HOST ?? "127.0.0.1";
  const stdio = env.STDIO_SERVERS ?? (production ? "off" : "on");
  const allowlist = parseAllowlist(env.STDIO_COMMAND_ALLOWLIST);
  if (stdio === "allowlist" && allowlist.length === 0) throw new ConfigError("STDIO_COMMAND_ALLOWLIST must list commands when STDIO_SERVERS=allowlist");
  const publicHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return {
    mode: production ? "production" : "zero-setup",
    env,
    dataDir,
    scratchDir,
    packageCacheDir,
    installTimeoutMs: env.STDIO_INSTALL_TIMEOUT_SECONDS * 1_000,
    childPath: env.PATH,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    host,
    gatewayPort: env.GATEWAY_PORT,
    webPort: env.WEB_PORT,
    publicGatewayUrl: (env.PUBLIC_GATEWAY_URL ?? `http://${publicHost.includes(":") ? `[${publicHost}]` : publicHost}:${env.GATEWAY_PORT}`).replace(/\/$/, ""),
    secretKey,
    authSecret,
    generatedSecretFiles,
    keyring,
    policy: { stdio, stdioAllowlist: allowlist, allowPrivateUpstreams: env.ALLOW_PRIVATE_UPSTREAMS ?? !production },
    sandbox: sandboxOptions(env, dataDir, scratchDir),
    allowSignup: env.ALLOW_SIGNUP ?? !production,
  };
}
