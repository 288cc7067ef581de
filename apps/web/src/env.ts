/**
 * The console's configuration, validated by zod. The only module that reads process.env; parsed
 * once (at server start by instrumentation.ts) and a bad value stops the process with its name.
 * `switchyard start` passes every variable below to `next start`; run alone, the production
 * variables are read from the environment as usual.
 */
import { readFileSync } from "node:fs";
import { RUNTIME_SECRET_ENV_NAMES, runtimeEnvShape } from "@switchyard/core/runtime";
import { parseEnvironment, withFileVariants } from "@switchyard/shared";
import { z } from "zod";

/** The shared variables (runtimeEnvShape, resolved by core's resolveRuntimeConfig) and the console's own. */
export const envSchema = z.object({
  ...runtimeEnvShape,
  /** Where the console's server reaches the gateway (try-it, /readyz) when that differs from the public URL. */
  GATEWAY_INTERNAL_URL: z.url().optional(),
  /** `smtp://user:pass@host:587` (or smtps://): verification mails. Unset: links go to the server log and the admin page. */
  SMTP_URL: z.url().refine((u) => /^smtps?:\/\//.test(u), "must be an smtp:// or smtps:// URL").optional(),
  SMTP_FROM: z.string().min(3).default("Switchyard <no-reply@localhost>"),
  /** The console's public URL, for links in mails (default: AUTH_URL, else http://HOST:WEB_PORT). */
  PUBLIC_WEB_URL: z.url().optional(),
  AUTH_URL: z.url().optional(),
});

/** Secrets that may also be given as `NAME_FILE=/path`. */
const SECRET_ENV_NAMES = [...RUNTIME_SECRET_ENV_NAMES, "SMTP_URL"] as const;

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
