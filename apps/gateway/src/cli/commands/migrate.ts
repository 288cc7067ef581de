import type { Command } from "commander";
import { runMigrations } from "@switchyard/db";
import { acquireDatabase } from "../database";
import { loadCliConfig } from "../context";
import { action, printResult } from "../output";

export function registerMigrateCommand(command: Command): void {
  command
    .option("--json", "print the result as JSON")
    .action(
      action(async (opts: { json?: boolean }) => {
        const config = await loadCliConfig();
        const lease = await acquireDatabase(config);
        try {
          await runMigrations(lease.url);
        } finally {
          await lease.release();
        }
        printResult(opts, { migrated: true }, "database is up to date");
      }),
    );
}
