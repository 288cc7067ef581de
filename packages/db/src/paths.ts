import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The committed drizzle-kit migrations at the repository root. Joined from this module's path
 * rather than `new URL(dir, import.meta.url)`, which bundlers (Turbopack, in the console's build)
 * take for an asset reference and cannot resolve for a directory.
 */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../migrations");
