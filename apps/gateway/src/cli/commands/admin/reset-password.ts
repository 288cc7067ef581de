import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { CLI_ACTOR } from "@switchyard/core/context";
import { resetUserPassword } from "@switchyard/core/services";
import { withDatabase } from "../../database";
import { loadCliConfig, readStdin } from "../../context";
import { action, printResult } from "../../output";

interface ResetPasswordOptions {
  email: string;
  password?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

export function registerResetPassword(command: Command): void {
  command
    .requiredOption("--email <email>", "the user's email address")
    .option("--password <password>", "the new password (prefer --password-stdin: arguments are visible to other local users)")
    .option("--password-stdin", "read the new password from standard input")
    .option("--json", "print the result as JSON")
    .action(
      action(async (opts: ResetPasswordOptions) => {
        if (opts.password && opts.passwordStdin) throw new Error("give either --password or --password-stdin, not both");
        const given = opts.passwordStdin ? await readStdin() : opts.password;
        const password = given ?? randomBytes(12).toString("base64url");
        const config = await loadCliConfig();
        const user = await withDatabase(config, (h) => resetUserPassword({ db: h.db }, CLI_ACTOR, opts.email, password));
        const shown = given === undefined ? { password } : {};
        printResult(opts, { id: user.id, email: user.email, ...shown }, `password of ${user.email} reset${given === undefined ? `; new password: ${password}` : ""}`);
      }),
    );
}
