import type { Command } from "commander";
import { CLI_ACTOR } from "@switchyard/core/context";
import { createApiKey, getProjectByIdOrThrow } from "@switchyard/core/services";
import { withDatabase } from "../../database";
import { loadCliConfig } from "../../context";
import { action, printResult } from "../../output";

export function registerCreateApiKey(command: Command): void {
  command
    .requiredOption("--project <id>", "project id")
    .requiredOption("--name <name>", "key name")
    .option("--expires-at <date>", "ISO date after which the key stops working")
    .option("--rate-limit <perMinute>", "calls per minute allowed for this key", (v) => Number(v))
    .option("--json", "print the created record (with `key`) as JSON")
    .action(
      action(async (opts: { project: string; name: string; expiresAt?: string; rateLimit?: number; json?: boolean }) => {
        const config = await loadCliConfig();
        const { apiKey, key } = await withDatabase(config, async (h) => {
          const project = await getProjectByIdOrThrow({ db: h.db }, opts.project);
          return createApiKey({ db: h.db }, CLI_ACTOR, project, {
            name: opts.name,
            ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}),
            ...(opts.rateLimit !== undefined ? { rateLimitPerMinute: opts.rateLimit } : {}),
          });
        });
        printResult(
          opts,
          { ...apiKey, key },
          `created API key ${apiKey.name} (${apiKey.id})\n\n  ${key}\n\nThis is the only time the key is shown; store it now.`,
        );
      }),
    );
}
