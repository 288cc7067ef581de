/**
 * The real product for end-to-end tests: the built console under `next start`, and (when asked)
 * the gateway and worker through the `switchyard` CLI, all on free loopback ports against one
 * database. Everything started here is stopped by `stop()`.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSecretKey } from "@switchyard/core/secrets";
import { freePort } from "@switchyard/db";
import { ensureBuilt, WEB_DIR } from "./build";
import { startProcess, waitForHttp, type RunningProcess } from "./processes";

const REPO = join(WEB_DIR, "..", "..");
const CLI = join(REPO, "apps", "gateway", "bin", "switchyard.js");
const NEXT = join(REPO, "node_modules", "next", "dist", "bin", "next");

export interface StackOptions {
  databaseUrl: string;
  gateway?: boolean;
  worker?: boolean;
  /** Extra or overriding variables for every process. */
  env?: Record<string, string>;
  /** Prefix of the log files in test-results/. */
  name: string;
}

export interface Stack {
  consoleUrl: string;
  gatewayUrl: string;
  authSecret: string;
  secretKey: string;
  dataDir: string;
  processes: RunningProcess[];
  stop: () => Promise<void>;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  ensureBuilt();
  const [webPort, gatewayPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(join(tmpdir(), "sy-web-e2e-"));
  const authSecret = randomBytes(32).toString("base64url");
  const secretKey = generateSecretKey();
  const consoleUrl = `http://127.0.0.1:${webPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dataDir,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    SWITCHYARD_MODE: "zero-setup",
    SWITCHYARD_DATA_DIR: dataDir,
    DATABASE_URL: opts.databaseUrl,
    SWITCHYARD_SECRET_KEY: secretKey,
    AUTH_SECRET: authSecret,
    AUTH_URL: consoleUrl,
    HOST: "127.0.0.1",
    GATEWAY_PORT: String(gatewayPort),
    WEB_PORT: String(webPort),
    PUBLIC_GATEWAY_URL: gatewayUrl,
    ALLOW_SIGNUP: "true",
    STDIO_SERVERS: "on",
    ALLOW_PRIVATE_UPSTREAMS: "true",
    LOG_LEVEL: "info",
    ...opts.env,
  };
  const processes: RunningProcess[] = [];
  const stop = async () => {
    for (const p of processes.reverse()) await p.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (opts.gateway) {
      const gw = startProcess(`${opts.name}-gateway`, process.execPath, [CLI, "gateway"], { env, cwd: REPO });
      processes.push(gw);
      await waitForHttp(`${gatewayUrl}/healthz`, gw);
    }
    if (opts.worker) processes.push(startProcess(`${opts.name}-worker`, process.execPath, [CLI, "worker"], { env, cwd: REPO }));
    const web = startProcess(`${opts.name}-web`, process.execPath, [NEXT, "start", "--port", String(webPort), "--hostname", "127.0.0.1"], { env, cwd: WEB_DIR });
    processes.push(web);
    await waitForHttp(`${consoleUrl}/login`, web);
  } catch (e) {
    await stop();
    throw e;
  }
  return { consoleUrl, gatewayUrl, authSecret, secretKey, dataDir, processes, stop };
}

/** Signs in through next-auth's credentials endpoint; returns the Cookie header of the session. */
export async function loginHttp(consoleUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${consoleUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const res = await fetch(`${consoleUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: consoleUrl }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
  if (!session) throw new Error(`sign-in of ${email} failed (HTTP ${res.status})`);
  return [...jar, session.split(";")[0]].join("; ");
}
