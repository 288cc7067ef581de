import { changePublishingHooks, combineHooks } from "@switchyard/core/changes";
import { createJobQueues } from "@switchyard/core/queues";
import type { ServiceDeps } from "@switchyard/core/context";
import type { DbHandle } from "@switchyard/db";
import { resolveConfig, type Config } from "../config";
import { loadEnv } from "../env";
import { withDatabase } from "./database";

export async function loadCliConfig(): Promise<Config> {
  return resolveConfig(loadEnv(), { createSecrets: true });
}

/**
 * Runs `fn` with the services' dependencies, including the job queues so that a server added or
 * changed from the CLI is refreshed right away, exactly as from the console.
 */
export async function withServiceDeps<T>(config: Config, fn: (deps: ServiceDeps, handle: DbHandle) => Promise<T>): Promise<T> {
  return withDatabase(config, async (handle, url) => {
    const queues = createJobQueues({ databaseUrl: url, redisUrl: config.redisUrl });
    try {
      const hooks = combineHooks(queues.hooks, changePublishingHooks(handle.sql));
      return await fn({ db: handle.db, keyring: config.keyring, policy: config.policy, hooks }, handle);
    } finally {
      await queues.close();
    }
  });
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

/** Standard input as one string without its final newline (`--password-stdin`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}
