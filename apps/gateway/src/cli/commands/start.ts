/**
 * `switchyard start` — the whole product on one machine: embedded Postgres when DATABASE_URL is
 * unset, migrations, the first admin, then gateway, worker and console as supervised children.
 * Each step says what it does; a failure stops everything started so far and ends in one sentence.
 */
import type { Command } from "commander";
import { removeRuntimeInfo, writeRuntimeInfo } from "@switchyard/core/runtime";
import { createDb, runMigrations } from "@switchyard/db";
import { resolveConfig, type Config } from "../../config";
import { loadEnv } from "../../env";
import { onShutdown } from "../../shutdown";
import { startChild, stopChild, waitForHttp, type Supervised } from "../children";
import { externalDatabase, startEmbeddedDatabase, type DatabaseLease } from "../database";
import { ensureFirstAdmin } from "../first-admin";
import { action } from "../output";
import { choosePorts } from "../ports";
import { banner } from "../start/banner";
import { childEnv, productProcesses } from "../start/processes";

const say = (line: string) => process.stdout.write(`${line}\n`);

function readinessUrl(config: Config, child: Supervised): string | undefined {
  if (child.name === "gateway") return `http://${config.host}:${config.gatewayPort}/healthz`;
  if (child.name === "web") return `http://${config.host}:${config.webPort}/login`;
  return undefined;
}

async function waitUntilReady(config: Config, children: Supervised[]): Promise<void> {
  const silenceLimitMs = config.env.SWITCHYARD_START_TIMEOUT_SECONDS * 1_000;
  for (const child of children) {
    const url = readinessUrl(config, child);
    if (!url) continue;
    await waitForHttp(child, url, { silenceLimitMs, onProgress: (ms) => say(`waiting for the ${child.name} to answer (${Math.round(ms / 1000)} s)…`) });
  }
}

async function start(opts: { console: boolean }): Promise<void> {
  const { config, notes } = await choosePorts(await resolveConfig(loadEnv(), { createSecrets: true }), opts.console);
  notes.forEach((n) => say(`note: ${n}`));
  if (!config.databaseUrl) say(`starting embedded Postgres in ${config.dataDir}/postgres…`);
  const lease: DatabaseLease = config.databaseUrl ? externalDatabase(config.databaseUrl) : await startEmbeddedDatabase(config);
  const children: Supervised[] = [];
  let stopping = false;
  let ready = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(children.map((c) => stopChild(c)));
    await removeRuntimeInfo(config.dataDir);
    await lease.release();
  };
  onShutdown(stopAll, { timeoutMs: 30_000 });
  try {
    say("applying database migrations…");
    await runMigrations(lease.url);
    const handle = createDb(lease.url, { max: 1, applicationName: "switchyard-start" });
    const firstAdmin = await ensureFirstAdmin(handle.db, config).finally(() => handle.close());
    if (firstAdmin?.created && firstAdmin.file) say(`created the first admin ${firstAdmin.email}; its password is in ${firstAdmin.file}`);
    const env = childEnv(config, lease.url);
    for (const spec of productProcesses(config, env, opts.console)) {
      const child = startChild(spec, (name, line) => say(`[${name}] ${line}`));
      children.push(child);
      void child.exited.then((code) => {
        // While starting, the readiness wait notices the exit and fails the start itself.
        if (stopping || !ready) return;
        process.stderr.write(`error: the ${child.name} exited unexpectedly (code ${code}); stopping everything\n`);
        process.kill(process.pid, "SIGTERM");
      });
    }
    say(`starting ${children.map((c) => c.name).join(", ")}…`);
    await waitUntilReady(config, children);
    const dead = children.find((c) => c.process.exitCode !== null || c.process.signalCode !== null);
    if (dead) throw new Error(`the ${dead.name} exited while starting (its output is above)`);
    ready = true;
    await writeRuntimeInfo(config.dataDir, {
      pid: process.pid,
      databaseUrl: lease.url,
      embeddedPostgres: lease.embedded,
      gatewayUrl: config.publicGatewayUrl,
      ...(children.some((c) => c.name === "web") ? { webUrl: `http://${config.host}:${config.webPort}` } : {}),
      startedAt: new Date().toISOString(),
    });
    say(banner(config, lease, firstAdmin, children, notes));
  } catch (e) {
    await stopAll();
    throw e;
  }
}

export function registerStartCommand(command: Command): void {
  command.option("--no-console", "do not start the web console").action(action(start));
}
