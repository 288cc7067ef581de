/** The children `switchyard start` supervises: gateway, worker and (when built) the console. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../../config";
import { inheritedEnvironment } from "../../env";
import { GATEWAY_ROOT } from "../../package-root";
import type { ChildSpec } from "../children";

const CLI_BIN = join(GATEWAY_ROOT, "bin/switchyard.js");
const WEB_DIR = join(GATEWAY_ROOT, "../web");

/** The environment every child gets: resolved settings made explicit so each sees the same mode. */
export function childEnv(config: Config, databaseUrl: string): Record<string, string> {
  return {
    ...inheritedEnvironment(),
    SWITCHYARD_MODE: config.mode,
    DATABASE_URL: databaseUrl,
    SWITCHYARD_DATA_DIR: config.dataDir,
    ...secretVariables(config),
    HOST: config.host,
    GATEWAY_PORT: String(config.gatewayPort),
    WEB_PORT: String(config.webPort),
    PUBLIC_GATEWAY_URL: config.publicGatewayUrl,
    STDIO_SERVERS: config.policy.stdio,
    ALLOW_PRIVATE_UPSTREAMS: String(config.policy.allowPrivateUpstreams),
    ALLOW_SIGNUP: String(config.allowSignup),
    ...(config.redisUrl ? { REDIS_URL: config.redisUrl } : {}),
  };
}

/** Generated secrets go to the children as file paths, so their values sit in no process environment. */
function secretVariables(config: Config): Record<string, string> {
  const files = config.generatedSecretFiles;
  return {
    ...(files.secretKey ? { SWITCHYARD_SECRET_KEY_FILE: files.secretKey } : { SWITCHYARD_SECRET_KEY: config.secretKey }),
    ...(files.authSecret ? { AUTH_SECRET_FILE: files.authSecret } : { AUTH_SECRET: config.authSecret }),
  };
}

export function productProcesses(config: Config, env: Record<string, string>, withConsole: boolean): ChildSpec[] {
  const specs: ChildSpec[] = [
    { name: "gateway", command: process.execPath, args: [CLI_BIN, "gateway"], env },
    { name: "worker", command: process.execPath, args: [CLI_BIN, "worker"], env },
  ];
  if (withConsole && existsSync(`${WEB_DIR}/package.json`)) {
    if (!existsSync(`${WEB_DIR}/.next/BUILD_ID`)) throw new Error("the console is not built: run `npm run build` (npm start does this)");
    specs.push({
      name: "web",
      command: process.execPath,
      args: [fileURLToPath(import.meta.resolve("next/dist/bin/next")), "start", "--port", String(config.webPort), "--hostname", config.host],
      env: { ...env, NODE_ENV: "production", AUTH_TRUST_HOST: "true", AUTH_URL: `http://${config.host}:${config.webPort}` },
      cwd: WEB_DIR,
    });
  }
  return specs;
}
