import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { CLI_ACTOR } from "@switchyard/core/context";
import { getProjectByIdOrThrow, importServers } from "@switchyard/core/services";
import { loadCliConfig, withServiceDeps } from "../../context";
import { action, printResult } from "../../output";

export function registerImportServers(command: Command): void {
  command
    .requiredOption("--project <id>", "project id")
    .requiredOption("--file <path>", "the mcp.json / claude_desktop_config.json file")
    .option("--json", "print the created servers as JSON")
    .action(
      action(async (opts: { project: string; file: string; json?: boolean }) => {
        const text = await readFile(opts.file, "utf8").catch((e: NodeJS.ErrnoException) => {
          throw new Error(`cannot read ${opts.file}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
        });
        const config = await loadCliConfig();
        const { servers, entries } = await withServiceDeps(config, async (deps) => {
          const project = await getProjectByIdOrThrow(deps, opts.project);
          return importServers(deps, CLI_ACTOR, project, text);
        });
        const renamed = entries.filter((e) => e.name !== e.originalName);
        const lines = servers.map((s) => `  ${s.name} (${s.transport}, id ${s.id})`);
        for (const e of renamed) lines.push(`  note: "${e.originalName}" was renamed to "${e.name}" (server names use [a-z0-9-])`);
        printResult(
          opts,
          {
            servers: servers.map((s) => ({
              id: s.id,
              name: s.name,
              originalName: entries.find((e) => e.name === s.name)?.originalName ?? s.name,
              transport: s.transport,
              enabled: s.enabled,
            })),
          },
          `imported ${servers.length} server(s):\n${lines.join("\n")}`,
        );
      }),
    );
}
