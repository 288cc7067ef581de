/**
 * `switchyard start` in zero-setup mode, as a user runs it: embedded Postgres in the data dir,
 * migrations, the first admin printed once, the gateway answering, runtime.json for other
 * terminals, a clean stop on SIGTERM, and a second start reusing the data.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@switchyard/db";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { baseEnv, CLI_BIN, parseJson, runCli } from "@switchyard/gateway/testing";

interface Started {
  child: ChildProcess;
  output: () => string;
}

function startProduct(env: Record<string, string>): Promise<Started> {
  // A process group of its own, like a terminal's foreground job, so a test can press Ctrl-C.
  const child = spawn(process.execPath, [CLI_BIN, "start", "--no-console"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start did not come up in 60 s:\n${out}`)), 60_000);
    const check = setInterval(() => {
      if (out.includes("Press Ctrl-C to stop.")) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    }, 100);
    child.once("exit", (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`start exited with ${code}:\n${out}`));
    });
  });
}

/** Ctrl-C in a terminal: SIGINT to every process of the foreground group at once. */
async function pressCtrlC(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once("exit", (code) => resolve(code)));
  process.kill(-(started.child.pid ?? 0), "SIGINT");
  return exited;
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once("exit", (code) => resolve(code)));
  started.child.kill("SIGTERM");
  return exited;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("switchyard start (zero-setup)", () => {
  let dir: string;
  const running: Started[] = [];

  afterAll(async () => {
    for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) await stop(s);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("starts embedded Postgres and the gateway, serves other terminals, stops cleanly and restarts on the same data", async () => {
    dir = await mkdtemp(join(tmpdir(), "switchyard-start-"));
    await chmod(dir, 0o755);
    const dataDir = join(dir, "data");
    const port = await freePort();
    const env = baseEnv({ SWITCHYARD_DATA_DIR: dataDir, GATEWAY_PORT: String(port) });

    const first = await startProduct(env);
    running.push(first);
    const banner = first.output();
    expect(banner).toContain(`http://127.0.0.1:${port}`);
    expect(banner).toContain("embedded Postgres");
    const login = /Sign in as +(\S+)\n +Password +(\S+)/.exec(banner);
    expect(login?.[1]).toBe("admin@switchyard.local");
    // The generated password is kept in a private file until the admin signs in.
    const adminFile = join(dataDir, "first-admin.txt");
    expect(statSync(adminFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(adminFile, "utf8")).toContain(`password: ${login?.[2]}`);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(ready.status).toBe("ready");
    expect(ready.checks.database?.ok).toBe(true);

    // Secrets and runtime.json are private to the user.
    for (const f of ["secret-key", "auth-secret", "runtime.json"]) expect(readFileSync(join(dataDir, f)).length).toBeGreaterThan(10);
    const runtime = JSON.parse(readFileSync(join(dataDir, "runtime.json"), "utf8")) as { databaseUrl: string; pid: number };
    expect(runtime.pid).toBe(first.child.pid);

    // The worker runs beside the gateway and refreshes server status once at start.
    const sql = postgres(runtime.databaseUrl, { max: 1, onnotice: () => undefined });
    try {
      const deadline = Date.now() + 30_000;
      let runs = 0;
      while (runs === 0 && Date.now() < deadline) {
        const [row] = await sql<{ n: number }[]>`select count(*)::int as n from worker_runs where job_name = 'refresh-server-status'`;
        runs = row?.n ?? 0;
        if (runs === 0) await new Promise((r) => setTimeout(r, 250));
      }
      expect(runs).toBeGreaterThan(0);
    } finally {
      await sql.end();
    }

    // Another terminal: the CLI finds the running database through runtime.json.
    const user = parseJson(await runCli(["admin", "create-user", "--email", "dev@example.com", "--password", "a long password", "--json"], env));
    expect(user.email).toBe("dev@example.com");

    const pgPid = Number(readFileSync(join(dataDir, "postgres", "cluster", "postmaster.pid"), "utf8").split("\n")[0]);
    expect(alive(pgPid)).toBe(true);
    expect(await pressCtrlC(first)).toBe(0);
    expect(alive(pgPid)).toBe(false);
    // Postgres outlived the gateway and worker: nothing crashed on the way down.
    expect(first.output()).not.toMatch(/exited unexpectedly|Unhandled 'error' event|terminating connection/);
    expect(existsSync(join(dataDir, "runtime.json"))).toBe(false);

    const second = await startProduct(env);
    running.push(second);
    // Not signed in yet: the credentials are shown again.
    expect(second.output()).toContain(`Password    ${login?.[2]}`);
    const team = parseJson(await runCli(["admin", "create-team", "--name", "Second Run", "--owner", "dev@example.com", "--json"], env));
    expect(team.slug).toBe("second-run");
    // The admin signs in (as the console records it); later starts no longer show nor keep the password.
    const secondRuntime = JSON.parse(readFileSync(join(dataDir, "runtime.json"), "utf8")) as { databaseUrl: string };
    const db = postgres(secondRuntime.databaseUrl, { max: 1, onnotice: () => undefined });
    await db`update users set last_login_at = now() where email = 'admin@switchyard.local'`;
    await db.end();

    // Killed hard: the gateway child notices and exits; the next start takes over the stale cluster.
    const gatewayUp = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(gatewayUp.status).toBe(200);
    const killed = new Promise((resolve) => second.child.once("exit", resolve));
    second.child.kill("SIGKILL");
    await killed;
    const deadline = Date.now() + 15_000;
    let gatewayGone = false;
    while (!gatewayGone && Date.now() < deadline) {
      gatewayGone = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => false, () => true);
      if (!gatewayGone) await new Promise((r) => setTimeout(r, 200));
    }
    expect(gatewayGone).toBe(true);
    const third = await startProduct(env);
    running.push(third);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(third.output()).not.toContain("Password");
    expect(existsSync(adminFile)).toBe(false);
    expect(await stop(third)).toBe(0);
  }, 180_000);
});
