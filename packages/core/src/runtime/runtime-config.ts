/**
 * What the shared variables mean, decided once for every process (the README's runtime modes):
 * zero-setup (no DATABASE_URL, or `SWITCHYARD_MODE=zero-setup` from `switchyard start`: embedded
 * Postgres, secrets generated into the data dir, stdio on, signup and private upstreams open,
 * loopback bind) or production (an external database: secrets from the environment, everything
 * closed unless opened). Queues run on Redis when REDIS_URL is set, on Postgres otherwise.
 */
import { resolve, join } from "node:path";
import { Keyring } from "../secrets";
import { parseAllowlist, type ServerPolicy } from "../servers/server-policy";
import { DATA_DIR_SECRET_FILES, ensureDataDirSecrets, readDataDirSecrets } from "./data-dir";
import type { RuntimeEnv } from "./runtime-env";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export type RuntimeMode = "zero-setup" | "production";

export interface RuntimeConfig {
  mode: RuntimeMode;
  dataDir: string;
  /** Set in production; in zero-setup filled in by `start` once embedded Postgres runs. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  queueBackend: "redis" | "postgres";
  host: string;
  gatewayPort: number;
  webPort: number;
  /** What IDE clients are told to connect to, without a trailing slash. */
  publicGatewayUrl: string;
  secretKey: string;
  authSecret: string;
  /** Zero-setup: the data-dir files the generated secrets live in, handed to children by path, not value. */
  generatedSecretFiles: { secretKey?: string; authSecret?: string };
  keyring: Keyring;
  policy: ServerPolicy;
  allowSignup: boolean;
}

/** Production unless `switchyard start` says otherwise or no external database was given. */
export function runtimeMode(env: Pick<RuntimeEnv, "SWITCHYARD_MODE" | "DATABASE_URL">): RuntimeMode {
  if (env.SWITCHYARD_MODE) return env.SWITCHYARD_MODE;
  return env.DATABASE_URL !== undefined ? "production" : "zero-setup";
}

/** `host`, or loopback when it is a wildcard bind: the address a URL can name. */
export function reachableHost(host: string | undefined): string {
  return !host || host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
}

/** `http://host:port` with IPv6 hosts bracketed. */
export function httpUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * @param createSecrets zero-setup only: generate missing secrets into the data dir (`start` does;
 *   every other process only reads what `start` created).
 */
export async function resolveRuntimeConfig(env: RuntimeEnv, { createSecrets = false } = {}): Promise<RuntimeConfig> {
  const mode = runtimeMode(env);
  const production = mode === "production";
  const dataDir = resolve(env.SWITCHYARD_DATA_DIR);
  let secretKey = env.SWITCHYARD_SECRET_KEY;
  let authSecret = env.AUTH_SECRET;
  const generatedSecretFiles: RuntimeConfig["generatedSecretFiles"] = {};
  if (production) {
    const missing = [!secretKey && "SWITCHYARD_SECRET_KEY", !authSecret && "AUTH_SECRET"].filter(Boolean);
    if (missing.length) throw new ConfigError(`${missing.join(" and ")} must be set when DATABASE_URL is set (production mode)`);
  } else if (!secretKey || !authSecret) {
    const stored = createSecrets ? await ensureDataDirSecrets(dataDir) : await readDataDirSecrets(dataDir);
    if (!secretKey && stored.secretKey) generatedSecretFiles.secretKey = join(dataDir, DATA_DIR_SECRET_FILES.secretKey);
    if (!authSecret && stored.authSecret) generatedSecretFiles.authSecret = join(dataDir, DATA_DIR_SECRET_FILES.authSecret);
    secretKey ??= stored.secretKey;
    authSecret ??= stored.authSecret;
  }
  if (!secretKey || !authSecret) throw new ConfigError(`no secrets in ${dataDir}: run \`switchyard start\` once, or set SWITCHYARD_SECRET_KEY and AUTH_SECRET`);
  let keyring: Keyring;
  try {
    keyring = Keyring.fromStrings(secretKey, env.SWITCHYARD_PREVIOUS_SECRET_KEYS?.split(",").filter(Boolean) ?? []);
  } catch (e) {
    throw new ConfigError(`SWITCHYARD_SECRET_KEY: ${(e as Error).message}`);
  }
  const stdio = env.STDIO_SERVERS ?? (production ? "off" : "on");
  const stdioAllowlist = parseAllowlist(env.STDIO_COMMAND_ALLOWLIST);
  if (stdio === "allowlist" && stdioAllowlist.length === 0) throw new ConfigError("STDIO_COMMAND_ALLOWLIST must list commands when STDIO_SERVERS=allowlist");
  const host = env.HOST ?? "127.0.0.1";
  return {
    mode,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    queueBackend: env.REDIS_URL ? "redis" : "postgres",
    host,
    gatewayPort: env.GATEWAY_PORT,
    webPort: env.WEB_PORT,
    publicGatewayUrl: (env.PUBLIC_GATEWAY_URL ?? httpUrl(reachableHost(host), env.GATEWAY_PORT)).replace(/\/$/, ""),
    secretKey,
    authSecret,
    generatedSecretFiles,
    keyring,
    policy: { stdio, stdioAllowlist, allowPrivateUpstreams: env.ALLOW_PRIVATE_UPSTREAMS ?? !production },
    allowSignup: env.ALLOW_SIGNUP ?? !production,
  };
}
