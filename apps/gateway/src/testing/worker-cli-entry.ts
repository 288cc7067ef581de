/** `switchyard worker` on its own, for the CLI test (the real entry registers every command). */
import { Command } from "commander";
import { registerWorkerCommand } from "../cli/commands/worker";

const program = new Command().name("switchyard").exitOverride((err) => process.exit(err.exitCode));
registerWorkerCommand(program.command("worker"));
await program.parseAsync(process.argv);
