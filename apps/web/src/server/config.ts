/**
 * The console's configuration: the runtime mode, secrets, queue backend and server policy as
 * core's resolveRuntimeConfig decides them for every process (the README's runtime modes), plus
 * what only the console needs. A console started on its own in zero-setup mode finds the running
 * product's database in the data directory's runtime.json.
 */
import { resolve } from "node:path";
import { ConfigError, httpUrl, reachableHost, readRuntimeInfo, resolveRuntimeConfig, type RuntimeConfig } from "@switchyard/core/runtime";
import { loadEnv, type WebEnv } from "@/env";

export interface WebConfig extends RuntimeConfig {
  env: WebEnv;
  databaseUrl: string;
  /** Where this server reaches the gateway itself (try-it, readiness). */
  gatewayInternalUrl: string;
  /** The console's own URL, for links sent by mail or printed to the log. */
  publicWebUrl: string;
}

export async function resolveWebConfig(env: WebEnv): Promise<WebConfig> {
  const databaseUrl = env.DATABASE_URL ?? (await readRuntimeInfo(resolve(env.SWITCHYARD_DATA_DIR)))?.databaseUrl;
  if (!databaseUrl) {
    throw new ConfigError(`DATABASE_URL is not set and nothing is running from ${resolve(env.SWITCHYARD_DATA_DIR)}: start the product with \`npm start\``);
  }
  const runtime = await resolveRuntimeConfig(env);
  return {
    ...runtime,
    env,
    databaseUrl,
    gatewayInternalUrl: (env.GATEWAY_INTERNAL_URL ?? runtime.publicGatewayUrl).replace(/\/$/, ""),
    publicWebUrl: (env.PUBLIC_WEB_URL ?? env.AUTH_URL ?? httpUrl(reachableHost(env.HOST), env.WEB_PORT)).replace(/\/$/, ""),
  };
}

let pending: Promise<WebConfig> | undefined;
/** The console's configuration, resolved once per process. */
export function getConfig(): Promise<WebConfig> {
  pending ??= resolveWebConfig(loadEnv());
  return pending;
}
