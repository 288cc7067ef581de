/**
 * The console's configuration, validated by zod. The only module that reads process.env; parsed
 * once (at server start by instrumentation.ts) and a bad value stops the process with its name.
 * `switchyard start` passes every variable below to `next start`; run alone, the production
 * variables are read from the environment as usual.
 */
import { readFileSync } from "node:fs";
import { envBoolean, parseEnvironment, trustProxySchema, withFileVariants } from "@switchyard/shared";
import { z } from "zod";


export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .url()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), "must be a postgres:// URL")
    .optional(),
  REDIS_URL: z
    .url()
    .refine((u) => /^rediss?:\/\//.test(u), "must be a redis:// URL")
    .optional(),
  /** Set by `switchyard start` so every child reports the same mode (it always passes DATABASE_URL). */
  SWITCHYARD_MODE: z.enum(["zero-setup", "production"]).optional(),
  SWITCHYARD_DATA_DIR: z.string().min(1).default(".data"),
  SWITCHYARD_SECRET_KEY: z.string().min(32).optional(),
  SWITCHYARD_PREVIOUS_SECRET_KEYS: z.string().optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  HOST: z.string().min(1).optional(),
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65_535).default(8080),
  PUBLIC_GATEWAY_URL: z.url().optional(),
  /** Where the console's server reaches the gateway (try-it, /readyz) when that differs from the public URL. */
  GATEWAY_INTERNAL_URL: z.url().optional(),
  ALLOW_SIGNUP: envBoolean.optional(),
  STDIO_SERVERS: z.enum(["on", "off", "allowlist"]).optional(),
  STDIO_COMMAND_ALLOWLIST: z.string().default(""),
  ALLOW_PRIVATE_UPSTREAMS: envBoolean.optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Which X-Forwarded-For hops to believe for the sign-in throttle (as the gateway's TRUST_PROXY). */
  TRUST_PROXY: trustProxySchema.default(0),
  /** `smtp://user:pass@host:587` (or smtps://): verification mails. Unset: links go to the server log and the admin page. */
  SMTP_URL: z.url().refine((u) => /^smtps?:\/\//.test(u), "must be an smtp:// or smtps:// URL").optional(),
  SMTP_FROM: z.string().min(3).default("Switchyard <no-reply@localhost>"),
  /** The console's public URL, for links in mails (default: AUTH_URL, else http://HOST:WEB_PORT). */
  PUBLIC_WEB_URL: z.url().optional(),
  AUTH_URL: z.url().optional(),
  WEB_PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
});

/** Secrets that may also be given as `NAME_FILE=/path`. */
const SECRET_ENV_NAMES = ["DATABASE_URL", "REDIS_URL", "SWITCHYARD_SECRET_KEY", "SWITCHYARD_PREVIOUS_SECRET_KEYS", "AUTH_SECRET", "SMTP_URL"] as const;

export type WebEnv = z.infer<typeof envSchema>;

/** Throws an Error whose message names every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): WebEnv {
  return parseEnvironment(envSchema, withFileVariants(source, SECRET_ENV_NAMES, (path) => readFileSync(path, "utf8")).source);
}

let cached: WebEnv | undefined;
export function loadEnv(): WebEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Next's own process facts (not configuration): which runtime and build phase this is. */
export function nextProcess(): { runtime: string | undefined; building: boolean } {
  return { runtime: process.env.NEXT_RUNTIME, building: process.env.NEXT_PHASE === "phase-production-build" };
}
