/**
 * Resolves the validated env into what the console needs, following the README's runtime modes: production when
 * DATABASE_URL is set (secrets must come from the environment), zero-setup otherwise (the
 * database URL from the running product's runtime.json, secrets from the data directory).
 */
import { resolve } from "node:path";
import { Keyring } from "@switchyard/core/secrets";
import { parseAllowlist, type ServerPolicy } from "@switchyard/core/servers";
import { readDataDirSecrets, readRuntimeInfo } from "@switchyard/core/runtime";
import { loadEnv, type WebEnv } from "@/env";

export interface WebConfig {
  mode: "zero-setup" | "production";
  env: WebEnv;
  databaseUrl: string;
  authSecret: string;
  keyring: Keyring;
  policy: ServerPolicy;
  allowSignup: boolean;
  /** What IDE clients are told to connect to. */
  publicGatewayUrl: string;
  /** Where this server reaches the gateway itself (try-it, readiness). */
  gatewayInternalUrl: string;
  /** The console's own URL, for links sent by mail or printed to the log. */
  publicWebUrl: string;
  queueBackend: "redis" | "postgres";
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function gatewayUrl(env: WebEnv): string {
  if (env.PUBLIC_GATEWAY_URL) return env.PUBLIC_GATEWAY_URL.replace(/\/$/, "");
  const host = !env.HOST || env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${env.GATEWAY_PORT}`;
}

export async function resolveWebConfig(env: WebEnv): Promise<WebConfig> {
  const production = env.DATABASE_URL !== undefined;
  const dataDir = resolve(env.SWITCHYARD_DATA_DIR);
  let databaseUrl = env.DATABASE_URL;
  let secretKey = env.SWITCHYARD_SECRET_KEY;
  let authSecret = env.AUTH_SECRET;
  if (production) {
    const missing = [!secretKey && "SWITCHYARD_SECRET_KEY", !authSecret && "AUTH_SECRET"].filter(Boolean);
    if (missing.length) throw new ConfigError(`${missing.join(" and ")} must be set when DATABASE_URL is set (production mode)`);
  } else {
    const runtime = await readRuntimeInfo(dataDir);
    databaseUrl = runtime?.databaseUrl;
    if (!databaseUrl) throw new ConfigError(`DATABASE_URL is not set and nothing is running from ${dataDir}: start the product with \`npm start\``);
    const stored = await readDataDirSecrets(dataDir);
    secretKey ??= stored.secretKey;
    authSecret ??= stored.authSecret;
  }
  if (!databaseUrl || !secretKey || !authSecret) throw new ConfigError(`SWITCHYARD_SECRET_KEY and AUTH_SECRET are required (none found in ${dataDir})`);
  let keyring: Keyring;
  try {
    keyring = Keyring.fromStrings(secretKey, env.SWITCHYARD_PREVIOUS_SECRET_KEYS?.split(",").filter(Boolean) ?? []);
  } catch (e) {
    throw new ConfigError(`SWITCHYARD_SECRET_KEY: ${(e as Error).message}`);
  }
  const stdio = env.STDIO_SERVERS ?? (production ? "off" : "on");
  const publicGatewayUrl = gatewayUrl(env);
  return {
    mode: env.SWITCHYARD_MODE ?? (production ? "production" : "zero-setup"),
    env,
    databaseUrl,
    authSecret,
    keyring,
    policy: {
      stdio,
      stdioAllowlist: parseAllowlist(env.STDIO_COMMAND_ALLOWLIST),
      allowPrivateUpstreams: env.ALLOW_PRIVATE_UPSTREAMS ?? !production,
    },
    allowSignup: env.ALLOW_SIGNUP ?? !production,
    publicGatewayUrl,
    gatewayInternalUrl: (env.GATEWAY_INTERNAL_URL ?? publicGatewayUrl).replace(/\/$/, ""),
    publicWebUrl: (env.PUBLIC_WEB_URL ?? env.AUTH_URL ?? `http://${!env.HOST || env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST}:${env.WEB_PORT}`).replace(/\/$/, ""),
    queueBackend: env.REDIS_URL ? "redis" : "postgres",
  };
}

let pending: Promise<WebConfig> | undefined;
/** The console's configuration, resolved once per process. */
export function getConfig(): Promise<WebConfig> {
  pending ??= resolveWebConfig(loadEnv());
  return pending;
}
