/**
 * The variables every process of the product reads the same way (gateway, worker, CLI, console):
 * each app's `env.ts` spreads `runtimeEnvShape` into its own zod schema, adds what only it reads,
 * and is the only module of the app that looks at process.env.
 */
import { envBoolean, trustProxySchema } from "@switchyard/shared";
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65_535);

export const runtimeEnvShape = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url().refine((u) => /^postgres(ql)?:\/\//.test(u), "must be a postgres:// URL").optional(),
  REDIS_URL: z.url().refine((u) => /^rediss?:\/\//.test(u), "must be a redis:// URL").optional(),
  /** Set by `switchyard start` for its children (whose DATABASE_URL points at embedded Postgres), so every process reports the same mode. */
  SWITCHYARD_MODE: z.enum(["zero-setup", "production"]).optional(),
  SWITCHYARD_DATA_DIR: z.string().min(1).default(".data"),
  SWITCHYARD_SECRET_KEY: z.string().min(32).optional(),
  /** Earlier secret keys, comma separated, still accepted for decryption during a rotation. */
  SWITCHYARD_PREVIOUS_SECRET_KEYS: z.string().optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  HOST: z.string().min(1).optional(),
  GATEWAY_PORT: port.default(8080),
  WEB_PORT: port.default(3000),
  /** What IDE clients are told to connect to (default: http://HOST:GATEWAY_PORT). */
  PUBLIC_GATEWAY_URL: z.url().optional(),
  ALLOW_SIGNUP: envBoolean.optional(),
  STDIO_SERVERS: z.enum(["on", "off", "allowlist"]).optional(),
  STDIO_COMMAND_ALLOWLIST: z.string().default(""),
  ALLOW_PRIVATE_UPSTREAMS: envBoolean.optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Which X-Forwarded-For hops to trust for the caller's address (only behind proxies you run). */
  TRUST_PROXY: trustProxySchema.default(0),
};

export type RuntimeEnv = z.infer<z.ZodObject<typeof runtimeEnvShape>>;

/** Shared variables that may also be given as `NAME_FILE=/path` (docs/SECURITY.md); apps add their own. */
export const RUNTIME_SECRET_ENV_NAMES = ["DATABASE_URL", "REDIS_URL", "SWITCHYARD_SECRET_KEY", "SWITCHYARD_PREVIOUS_SECRET_KEYS", "AUTH_SECRET"] as const;
