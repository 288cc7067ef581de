import { Command } from "commander";
import { registerAdminCommands } from "./commands/admin";
import { registerGatewayCommand } from "./commands/gateway";
import { registerMigrateCommand } from "./commands/migrate";
import { registerStartCommand } from "./commands/start";
import { registerWorkerCommand } from "./commands/worker";
import { describeError } from "./output";

const program = new Command()
  .name("switchyard")
  .description("Switchyard — a multi-tenant gateway for the Model Context Protocol")
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode);
  });

registerStartCommand(program);
registerGatewayCommand(program);
registerWorkerCommand(program);
registerMigrateCommand(program);
registerAdminCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`error: ${describeError(e)}\n`);
  process.exitCode = 1;
}
