/**
 * The namespace sandbox stdio servers run in (docs/SECURITY.md, "Stdio servers"): bubblewrap gives
 * the child its own PID namespace and /proc (the gateway's process, memory and environment are
 * out of sight), a read-only view of the file system with the data dir, the scratch root, secret
 * files and /tmp hidden under empty tmpfs mounts, the server's own scratch directory as its only
 * writable place, optionally no network, and resource limits (prlimit). When the gateway runs as
 * root the child also drops to a uid of its own (one per server) with no capabilities.
 */
import { createHash } from "node:crypto";
import { access, chmod, chown, mkdir, stat } from "node:fs/promises";
import { constants } from "node:fs";
import { AppError } from "@switchyard/shared";

export type StdioSandboxMode = "bwrap" | "off";

export interface StdioSandboxLimits {
  /** Address-space limit (RLIMIT_AS) in bytes. */
  memoryBytes: number;
  /** CPU seconds (RLIMIT_CPU) before the kernel stops the child. */
  cpuSeconds: number;
  /** Processes and threads of the server's uid (RLIMIT_NPROC; per server only when running as root). */
  processes: number;
  /** Open file descriptors (RLIMIT_NOFILE). */
  openFiles: number;
}

export interface StdioSandboxOptions {
  /** `off` runs the child as the gateway's user in its namespaces: only for trusted commands. */
  mode: StdioSandboxMode;
  /** Paths the child must not see (data dir, scratch root, secret files): each gets an empty tmpfs. */
  hiddenPaths: readonly string[];
  /**
   * Install directories (the product's own) that stay visible, read-only, when they lie under /tmp
   * or /var/tmp, which the sandbox replaces with empty mounts: a checkout cloned into /tmp runs
   * servers from its own node_modules. Anywhere else they are visible through the read-only root
   * already; hidden paths inside them stay hidden.
   */
  shownPaths?: readonly string[];
  limits: StdioSandboxLimits;
  /** First uid of the per-server range, and the gid all sandboxed servers share (root gateways only). */
  uidBase: number;
  gid: number;
  /** The bubblewrap binary (default /usr/bin/bwrap). */
  bwrapPath?: string;
}

/** Replaced by empty mounts in the sandbox. */
const TMP_ROOTS = ["/tmp/", "/var/tmp/"];

export const DEFAULT_SANDBOX_LIMITS: StdioSandboxLimits = {
  memoryBytes: 4 * 1024 * 1024 * 1024,
  cpuSeconds: 6 * 60 * 60,
  processes: 512,
  openFiles: 4_096,
};

export interface SandboxTarget {
  serverId: string;
  command: string;
  args: readonly string[];
  cwd: string;
  scratchDir: string;
  /** False cuts the child off every network (own empty network namespace). */
  network: boolean;
  /** Shared package cache (npm/uv), bound read-write when given. */
  packageCacheDir?: string;
}

export interface SandboxedCommand {
  command: string;
  args: string[];
  /** Where the launcher itself is started; the child's own cwd is set inside the sandbox. */
  cwd: string;
}

const UID_RANGE = 1 << 16;
const SETPRIV = "/usr/bin/setpriv";
const PRLIMIT = "/usr/bin/prlimit";

function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The uid a server's child runs as when the gateway is root: stable per server, never the gateway's. */
export function sandboxUid(options: Pick<StdioSandboxOptions, "uidBase">, serverId: string): number {
  const hash = createHash("sha256").update(serverId).digest().readUInt32BE(0);
  return options.uidBase + (hash % UID_RANGE);
}

async function assertExecutable(path: string, hint: string): Promise<void> {
  await access(path, constants.X_OK).catch(() => {
    throw new AppError("unavailable", `${path} is missing: ${hint}`);
  });
}

/**
 * Prepares the sandbox (the scratch directory and shared package cache made writable by the
 * sandbox identity) and returns the launcher command line: bwrap → (setpriv when root) → prlimit →
 * the server's command. Throws `unavailable` when the sandbox tools are missing: it never falls
 * back to running unsandboxed.
 */
export async function sandboxCommand(options: StdioSandboxOptions, target: SandboxTarget): Promise<SandboxedCommand> {
  if (options.mode === "off") return { command: target.command, args: [...target.args], cwd: target.cwd };
  const bwrapPath = options.bwrapPath ?? "/usr/bin/bwrap";
  await assertExecutable(bwrapPath, "install bubblewrap (apt-get install bubblewrap) or set STDIO_SANDBOX=off for trusted commands only");
  await assertExecutable(PRLIMIT, "install util-linux");
  const root = runsAsRoot();
  const uid = sandboxUid(options, target.serverId);
  if (target.packageCacheDir) await mkdir(target.packageCacheDir, { recursive: true, mode: 0o770 });
  if (root) {
    await assertExecutable(SETPRIV, "install util-linux");
    for (const dir of new Set([target.scratchDir, target.cwd])) await chown(dir, uid, options.gid);
    if (target.packageCacheDir) {
      // Group-writable with setgid, so every server (each its own uid, one shared gid) can add to it.
      await chown(target.packageCacheDir, 0, options.gid);
      await chmod(target.packageCacheDir, 0o2770);
    }
  }

  const bwrap = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp", "--perms", "1777", "--tmpfs", "/var/tmp"];
  for (const path of options.shownPaths ?? []) {
    const tmp = TMP_ROOTS.find((mount) => path.startsWith(mount));
    if (!tmp || !(await stat(path).catch(() => undefined))) continue;
    // The directories between the empty mount and the path: bwrap would make them 0700, closed to the server's uid.
    const parts = path.split("/").filter(Boolean);
    for (let i = tmp.split("/").filter(Boolean).length + 1; i < parts.length; i++) bwrap.push("--perms", "0755", "--dir", `/${parts.slice(0, i).join("/")}`);
    bwrap.push("--ro-bind", path, path);
  }
  for (const path of options.hiddenPaths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) bwrap.push("--tmpfs", path);
    else if (info) bwrap.push("--ro-bind", "/dev/null", path);
  }
  bwrap.push("--bind", target.scratchDir, target.scratchDir);
  if (target.packageCacheDir) bwrap.push("--bind", target.packageCacheDir, target.packageCacheDir);
  bwrap.push("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try");
  if (!target.network) bwrap.push("--unshare-net");
  bwrap.push("--die-with-parent", "--new-session", "--chdir", target.cwd);

  const inner: string[] = [];
  if (root) {
    bwrap.push("--cap-add", "CAP_SETUID,CAP_SETGID");
    inner.push(SETPRIV, `--reuid=${uid}`, `--regid=${options.gid}`, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--");
  }
  // The shared cache is written by many uids of one group: files must stay group-writable.
  if (target.packageCacheDir) inner.push("/bin/sh", "-c", 'umask 0002 && exec "$@"', "sh");
  const { limits } = options;
  inner.push(PRLIMIT, `--as=${limits.memoryBytes}`, `--cpu=${limits.cpuSeconds}`, `--nproc=${limits.processes}`, `--nofile=${limits.openFiles}`, "--");
  inner.push(target.command, ...target.args);
  return { command: bwrapPath, args: [...bwrap, "--", ...inner], cwd: "/" };
}
