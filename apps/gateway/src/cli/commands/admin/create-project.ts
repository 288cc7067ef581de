import type { Command } from "commander";
import { CLI_ACTOR } from "@switchyard/core/context";
import { createProject } from "@switchyard/core/services";
import { getTeamBySlug } from "@switchyard/db";
import { AppError } from "@switchyard/shared";
import { withDatabase } from "../../database";
import { loadCliConfig } from "../../context";
import { action, printResult } from "../../output";

export function registerCreateProject(command: Command): void {
  command
    .requiredOption("--team <slug>", "the team's slug")
    .requiredOption("--name <name>", "project name")
    .option("--slug <slug>", "URL slug (default: derived from the name)")
    .option("--description <text>", "description", "")
    .option("--json", "print the created record as JSON")
    .action(
      action(async (opts: { team: string; name: string; slug?: string; description: string; json?: boolean }) => {
        const config = await loadCliConfig();
        const project = await withDatabase(config, async (h) => {
          const team = await getTeamBySlug(h.db, opts.team);
          if (!team) throw new AppError("not_found", `no team with slug "${opts.team}"`);
          return createProject({ db: h.db }, CLI_ACTOR, team.id, { name: opts.name, description: opts.description, ...(opts.slug ? { slug: opts.slug } : {}) });
        });
        printResult(
          opts,
          { id: project.id, teamId: project.teamId, name: project.name, slug: project.slug, createdAt: project.createdAt },
          `created project ${project.name} (id ${project.id})`,
        );
      }),
    );
}
