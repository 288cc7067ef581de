import { fileURLToPath } from "node:url";

/** The committed drizzle-kit migrations at the repository root. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../migrations", import.meta.url));
