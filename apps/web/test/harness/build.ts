/** Builds the console once when its sources changed since the last `next build` (tests run the built app). */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const WEB_DIR = join(import.meta.dirname, "..", "..");
const REPO = join(WEB_DIR, "..", "..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  const buildId = join(WEB_DIR, ".next", "BUILD_ID");
  const sources = [join(WEB_DIR, "src"), join(REPO, "packages", "shared", "src"), join(REPO, "packages", "db", "src"), join(REPO, "packages", "core", "src")];
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const changed = Math.max(...sources.map(newestMtime), statSync(join(WEB_DIR, "next.config.ts")).mtimeMs);
  if (built > changed) return;
  execFileSync(process.execPath, [join(REPO, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: WEB_DIR, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
}
