/**
 * `switchyard start` — the whole product on one machine: embedded Postgres when DATABASE_URL is
 * unset, migrations, the first admin, then gateway, worker and console as supervised children.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { removeRuntimeInfo, writeRuntimeInfo } from "@switchyard/core";
import { createDb, runMigrations } from "@switchyard/db";
import { resolveConfig, type Config } from "../../config";
import { inheritedEnvironment, loadEnv } from "../../env";
import { onShutdown } from "../../shutdown";
import { startChild, stopChild, waitForHttp, type ChildSpec, type Supervised } from "../children";
import { externalDatabase, startEmbeddedDatabase, type DatabaseLease } from "../database";
import { ensureFirstAdmin, type FirstAdmin } from "../first-admin";
import { action } from "../output";

const CLI_BIN = fileURLToPath(new URL("../../../bin/switchyard.js", import.meta.url));
const WEB_DIR = fileURLToPath(new URL("../../../../web", import.meta.url));

/** The environment every child gets: resolved settings made explicit so each sees the same mode. */
function childEnv(config: Config, databaseUrl: string): Record<string, string> {
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

function banner(config: Config, lease: DatabaseLease, firstAdmin: FirstAdmin | undefined, children: Supervised[]): string {
  const web = children.some((c) => c.name === "web") ? `http://${config.host}:${config.webPort}` : "(not started)";
  const lines = [
    "",
    `  Switchyard is running (${config.mode})`,
    "",
    `  Console    ${web}`,
    `  Gateway    ${config.publicGatewayUrl}   MCP: /projects/<projectId>/mcp  ·  /projects/<projectId>/sse`,
    `  Database   ${lease.embedded ? `embedded Postgres in ${config.dataDir}/postgres` : "DATABASE_URL"}`,
    `  Queue      ${config.redisUrl ? "BullMQ on Redis" : "BullMQ on Postgres"}`,
    `  Data dir   ${config.dataDir}`,
  ];
  if (firstAdmin?.password) {
    lines.push("", `  First start: sign in as ${firstAdmin.email} with password ${firstAdmin.password}`, "  (shown only this once — change it after signing in)");
  } else if (firstAdmin) {
    lines.push("", `  First start: admin ${firstAdmin.email} created from ADMIN_EMAIL / ADMIN_PASSWORD`);
  }
  lines.push("", "  Press Ctrl-C to stop.", "");
  return lines.join("\n");
}

async function start(opts: { console: boolean }): Promise<void> {
  const config = await resolveConfig(loadEnv(), { createSecrets: true });
  const lease: DatabaseLease = config.databaseUrl
    ? externalDatabase(config.databaseUrl)
    : await startEmbeddedDatabase(config);
  const children: Supervised[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(children.map((c) => stopChild(c)));
    await removeRuntimeInfo(config.dataDir);
    await lease.release();
  };
  onShutdown(stopAll, { timeoutMs: 30_000 });
  try {
    await runMigrations(lease.url);
    const handle = createDb(lease.url, { max: 1, applicationName: "switchyard-start" });
    const firstAdmin = await ensureFirstAdmin(handle.db, config).finally(() => handle.close());
    const env = childEnv(config, lease.url);
    const print = (name: string, line: string) => process.stdout.write(`[${name}] ${line}\n`);
    for (const spec of productProcesses(config, env, opts.console)) {
      const child = startChild(spec, print);
      children.push(child);
      void child.exited.then((code) => {
        if (stopping) return;
        process.stderr.write(`${child.name} exited unexpectedly (code ${code}); stopping everything\n`);
        process.kill(process.pid, "SIGTERM");
      });
    }
    for (const child of children) {
      const url = child.name === "gateway" ? `http://${config.host}:${config.gatewayPort}/healthz` : child.name === "web" ? `http://${config.host}:${config.webPort}/` : undefined;
      if (url) await waitForHttp(url, 60_000, () => child.process.exitCode === null);
    }
    await writeRuntimeInfo(config.dataDir, {
      pid: process.pid,
      databaseUrl: lease.url,
      embeddedPostgres: lease.embedded,
      gatewayUrl: config.publicGatewayUrl,
      ...(children.some((c) => c.name === "web") ? { webUrl: `http://${config.host}:${config.webPort}` } : {}),
      startedAt: new Date().toISOString(),
    });
    process.stdout.write(banner(config, lease, firstAdmin, children));
  } catch (e) {
    await stopAll();
    throw e;
  }
}

export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description("start the whole product (embedded Postgres unless DATABASE_URL is set)")
    .option("--no-console", "do not start the web console")
    .action(action(start));
}
