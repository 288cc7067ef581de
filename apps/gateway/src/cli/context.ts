import type { DbHandle } from "@switchyard/db";
import type { ServiceDeps } from "@switchyard/core";
import { resolveConfig, type Config } from "../config";
import { loadEnv } from "../env";

export async function loadCliConfig(): Promise<Config> {
  return resolveConfig(loadEnv(), { createSecrets: true });
}

export function serviceDeps(config: Config, handle: DbHandle): ServiceDeps {
  return { db: handle.db, keyring: config.keyring, policy: config.policy };
}

/** Collects a repeatable option (`--arg a --arg b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses repeated `K=V` options into a record; `K=` gives an empty value. */
export function parsePairs(pairs: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    if (i <= 0) throw new Error(`--${what} expects KEY=VALUE, got "${pair}"`);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}
