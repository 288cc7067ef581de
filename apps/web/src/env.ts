/**
 * The console's configuration, validated by zod. The only module that reads process.env; parsed
 * once (at server start by instrumentation.ts) and a bad value stops the process with its name.
 * `switchyard start` passes every variable below to `next start`; run alone, the production
 * variables are read from the environment as usual.
 */
import { envBoolean, parseEnvironment } from "@switchyard/shared";
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
});

export type WebEnv = z.infer<typeof envSchema>;

/** Throws an Error whose message names every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): WebEnv {
  return parseEnvironment(envSchema, source);
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
