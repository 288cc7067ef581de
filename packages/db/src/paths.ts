import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The nearest directory at or above `from` that holds `relPath`. Code here runs from its sources,
 * from the gateway's bundle (apps/gateway/dist) and from the console's build: a fixed `../../..`
 * holds for one of them only.
 */
export function findUp(relPath: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, relPath))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The committed drizzle-kit migrations at the repository root. Found from this module's path
 * rather than `new URL(dir, import.meta.url)`, which bundlers (Turbopack, in the console's build)
 * take for an asset reference and cannot resolve for a directory.
 */
const HERE = dirname(fileURLToPath(import.meta.url));
export const MIGRATIONS_DIR = join(findUp("migrations/meta/_journal.json", HERE) ?? join(HERE, "../../.."), "migrations");
