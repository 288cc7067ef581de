/**
 * The gateway's (and CLI's, and worker's) configuration: parsed once with zod; a bad value stops
 * the process with a message naming the variable. Nothing else reads process.env.
 */
import { readFileSync } from "node:fs";
import { RUNTIME_SECRET_ENV_NAMES, runtimeEnvShape } from "@switchyard/core/runtime";
import { envBoolean, parseEnvironment, withFileVariants } from "@switchyard/shared";
import { z } from "zod";

/** Secrets that may also be given as `NAME_FILE=/path` (docs/SECURITY.md). */
export const SECRET_ENV_NAMES = [...RUNTIME_SECRET_ENV_NAMES, "ADMIN_PASSWORD", "METRICS_TOKEN"] as const;

const count = (max: number) => z.coerce.number().int().min(1).max(max);

/** The shared variables (runtimeEnvShape, resolved by core's resolveRuntimeConfig) and the gateway's own. */
export const envSchema = z.object({
  ...runtimeEnvShape,
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10).optional(),
  /** The one variable stdio servers inherit from the gateway (docs/SECURITY.md). */
  PATH: z.string().min(1).default("/usr/local/bin:/usr/bin:/bin"),
  /** Where stdio servers get their per-server HOME and working directory; never inside the data dir. */
  SWITCHYARD_SCRATCH_DIR: z.string().min(1).optional(),
  /** npm / uv / … caches shared by all stdio servers (default: `package-cache` in the scratch dir); never inside the data dir. */
  SWITCHYARD_PACKAGE_CACHE_DIR: z.string().min(1).optional(),
  /** Connect limit of a package-runner server's first start on this machine (`npx -y`, `uvx`, `docker run`), which downloads first. */
  STDIO_INSTALL_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(3_600).default(300),
  /** Largest JSON-RPC request body accepted, in bytes (413 beyond). */
  GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
  /** Idle client sessions are ended after this many seconds without a request or open stream. */
  SESSION_IDLE_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(1_800),
  /** Calls per minute for API keys without a limit of their own. */
  DEFAULT_KEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1_200),
  /** `/metrics` answers only with `Authorization: Bearer METRICS_TOKEN` (401 otherwise, and always without it). */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** `bwrap` (default): stdio servers run in a bubblewrap sandbox; `off`: as the gateway's user (trusted commands only). */
  STDIO_SANDBOX: z.enum(["bwrap", "off"]).default("bwrap"),
  /** Whether sandboxed stdio servers may use the network (npx needs it to fetch packages). */
  STDIO_SANDBOX_NETWORK: envBoolean.default(true),
  STDIO_SANDBOX_MEMORY_MB: count(1_048_576).default(4_096),
  STDIO_SANDBOX_CPU_SECONDS: count(31_536_000).default(21_600),
  STDIO_SANDBOX_MAX_PROCESSES: count(1_000_000).default(512),
  STDIO_SANDBOX_MAX_OPEN_FILES: count(1_048_576).default(4_096),
  /** Root gateways: each stdio server runs as uid BASE + (hash of its id mod 65536), group GID. */
  STDIO_SANDBOX_UID_BASE: count(4_000_000_000).default(2_000_000_000),
  STDIO_SANDBOX_GID: count(4_000_000_000).default(1_999_999_999),
  /** JSON-RPC messages allowed in one POST batch, on both transports. */
  GATEWAY_MAX_BATCH: count(10_000).default(100),
  /** A request body must arrive within this many seconds (slow senders are cut off with 408). */
  GATEWAY_BODY_TIMEOUT_SECONDS: count(3_600).default(30),
  /** SIGTERM: how long calls in flight may take to finish before the gateway stops anyway (docs/DEPLOY.md). */
  GATEWAY_DRAIN_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(3_600).default(10),
  /** Open client sessions per API key (or console user) and per project, on each gateway instance. */
  MAX_SESSIONS_PER_KEY: count(1_000_000).default(100),
  MAX_SESSIONS_PER_PROJECT: count(1_000_000).default(1_000),
  /** Tool calls running at once per API key (or console user) and per project, on each gateway instance. */
  MAX_CONCURRENT_CALLS_PER_KEY: count(1_000_000).default(64),
  MAX_CONCURRENT_CALLS_PER_PROJECT: count(1_000_000).default(256),
  /** `switchyard start`: how long the gateway or console may stay silent and unready before start gives up. */
  SWITCHYARD_START_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3_600).default(180),
  ...secretFileVariables(),
});

function secretFileVariables() {
  type Files = { [K in (typeof SECRET_ENV_NAMES)[number] as `${K}_FILE`]: z.ZodOptional<z.ZodString> };
  return Object.fromEntries(SECRET_ENV_NAMES.map((name) => [`${name}_FILE`, z.string().min(1).optional()])) as Files;
}

export type Env = z.infer<typeof envSchema>;

/** Parses the given environment (`*_FILE` secrets read); throws an Error whose message names every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const resolved = withFileVariants(source, SECRET_ENV_NAMES, (path) => readFileSync(path, "utf8"));
  return parseEnvironment(envSchema, resolved.source);
}

/** The secret files named by `*_FILE` variables: stdio sandboxes hide them. */
export function secretFiles(env: Env): string[] {
  return SECRET_ENV_NAMES.map((name) => env[`${name}_FILE`]).filter((p): p is string => p !== undefined);
}

let cached: Env | undefined;
export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The process environment as plain strings, for `switchyard start` to hand on to its own children. */
export function inheritedEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}
