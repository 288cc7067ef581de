import type { Command } from "commander";
import { CLI_ACTOR } from "@switchyard/core/context";
import { createUser } from "@switchyard/core/services";
import { withDatabase } from "../../database";
import { loadCliConfig, readStdin } from "../../context";
import { action, printResult } from "../../output";

export function registerCreateUser(command: Command): void {
  command
    .requiredOption("--email <email>", "email address (sign-in name)")
    .option("--password <password>", "password (prefer --password-stdin: arguments are visible to other local users)")
    .option("--password-stdin", "read the password from standard input")
    .option("--name <name>", "display name (default: the email's local part)")
    .option("--admin", "make the user an instance admin", false)
    .option("--json", "print the created record as JSON")
    .action(
      action(async (opts: { email: string; password?: string; passwordStdin?: boolean; name?: string; admin: boolean; json?: boolean }) => {
        if (opts.password && opts.passwordStdin) throw new Error("give either --password or --password-stdin, not both");
        const password = opts.passwordStdin ? await readStdin() : opts.password;
        if (!password) throw new Error("a password is required: --password-stdin or --password");
        const config = await loadCliConfig();
        const user = await withDatabase(config, (h) =>
          createUser({ db: h.db }, CLI_ACTOR, { email: opts.email, password, isAdmin: opts.admin, ...(opts.name ? { name: opts.name } : {}) }),
        );
        printResult(opts, { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, createdAt: user.createdAt }, `created user ${user.email} (${user.id})${user.isAdmin ? " — instance admin" : ""}`);
      }),
    );
}
