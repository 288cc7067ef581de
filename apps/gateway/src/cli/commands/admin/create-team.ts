import type { Command } from "commander";
import { CLI_ACTOR } from "@switchyard/core/context";
import { createTeam } from "@switchyard/core/services";
import { withDatabase } from "../../database";
import { loadCliConfig } from "../../context";
import { action, printResult } from "../../output";

export function registerCreateTeam(command: Command): void {
  command
    .requiredOption("--name <name>", "team name")
    .requiredOption("--owner <email>", "email (or id) of the user who owns the team")
    .option("--slug <slug>", "URL slug (default: derived from the name)")
    .option("--json", "print the created record as JSON")
    .action(
      action(async (opts: { name: string; owner: string; slug?: string; json?: boolean }) => {
        const config = await loadCliConfig();
        const team = await withDatabase(config, (h) => createTeam({ db: h.db }, CLI_ACTOR, { name: opts.name, owner: opts.owner, ...(opts.slug ? { slug: opts.slug } : {}) }));
        printResult(opts, { id: team.id, name: team.name, slug: team.slug, createdAt: team.createdAt }, `created team ${team.name} (slug ${team.slug}, id ${team.id})`);
      }),
    );
}
