/**
 * The gateway's (and CLI's, and worker's) configuration: parsed once with zod; a bad value stops
 * the process with a message naming the variable. Nothing else reads process.env.
 */
import { envBoolean, parseEnvironment } from "@switchyard/shared";
import { z } from "zod";


const port = z.coerce.number().int().min(1).max(65_535);

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url().refine((u) => /^postgres(ql)?:\/\//.test(u), "must be a postgres:// URL").optional(),
  REDIS_URL: z.url().refine((u) => /^rediss?:\/\//.test(u), "must be a redis:// URL").optional(),
  SWITCHYARD_DATA_DIR: z.string().min(1).default(".data"),
  SWITCHYARD_SECRET_KEY: z.string().min(32).optional(),
  /** Earlier secret keys, comma separated, still accepted for decryption during a rotation. */
  SWITCHYARD_PREVIOUS_SECRET_KEYS: z.string().optional(),
  HOST: z.string().min(1).optional(),
  GATEWAY_PORT: port.default(8080),
  WEB_PORT: port.default(3000),
  PUBLIC_GATEWAY_URL: z.url().optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10).optional(),
  ALLOW_SIGNUP: envBoolean.optional(),
  STDIO_SERVERS: z.enum(["on", "off", "allowlist"]).optional(),
  STDIO_COMMAND_ALLOWLIST: z.string().default(""),
  ALLOW_PRIVATE_UPSTREAMS: envBoolean.optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** The one variable stdio servers inherit from the gateway (SPEC §4 Stdio safety). */
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
  /** Trust X-Forwarded-For for the caller's address (only behind a proxy you run). */
  TRUST_PROXY: envBoolean.default(false),
  /** `switchyard start`: how long the gateway or console may stay silent and unready before start gives up. */
  SWITCHYARD_START_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3_600).default(180),
  /** Set by `switchyard start` for its children, whose DATABASE_URL points at embedded Postgres. */
  SWITCHYARD_MODE: z.enum(["zero-setup", "production"]).optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Parses the given environment; throws an Error whose message names every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  return parseEnvironment(envSchema, source);
}

/** True for the production mode of SPEC §2: an external database was given. */
export function isProductionMode(env: Env): boolean {
  if (env.SWITCHYARD_MODE) return env.SWITCHYARD_MODE === "production";
  return env.DATABASE_URL !== undefined;
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
