/**
 * The `switchyard` CLI. Each top-level command's module (and with it the gateway, the worker or the
 * database code) is imported only when that command runs, so `switchyard --help` stays instant.
 */
import { Command } from "commander";
import { PRODUCT_VERSION } from "../package-root";
import { describeError } from "./output";

interface TopCommand {
  name: string;
  description: string;
  /** Loads the command's module and adds its options, subcommands and action to `command`. */
  register: () => Promise<(command: Command) => void | Promise<void>>;
}

const COMMANDS: TopCommand[] = [
  { name: "start", description: "start the whole product (embedded Postgres unless DATABASE_URL is set)", register: async () => (await import("./commands/start")).registerStartCommand },
  { name: "gateway", description: "run the MCP gateway alone (production: DATABASE_URL, SWITCHYARD_SECRET_KEY and AUTH_SECRET required)", register: async () => (await import("./commands/gateway")).registerGatewayCommand },
  { name: "worker", description: "run the background worker alone: status refresh and log retention (BullMQ on REDIS_URL, else on the database)", register: async () => (await import("./commands/worker")).registerWorkerCommand },
  { name: "migrate", description: "apply database migrations (and create log partitions ahead)", register: async () => (await import("./commands/migrate")).registerMigrateCommand },
  { name: "admin", description: "administer users, teams, projects, servers and keys", register: async () => (await import("./commands/admin")).registerAdminCommands },
];

// A reader that goes away (a piped logger ended by the same Ctrl-C) must not crash a command with
// EPIPE halfway through its shutdown: output is best effort, stopping cleanly is not.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);

const program = new Command()
  .name("switchyard")
  .description("Switchyard — a multi-tenant gateway for the Model Context Protocol")
  .version(PRODUCT_VERSION)
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode);
  });

// Help, version or an unknown command: commander needs the names and descriptions only.
for (const c of COMMANDS) {
  const command = program.command(c.name).description(c.description);
  if (c.name === process.argv[2]) await (await c.register())(command);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`error: ${describeError(e)}\n`);
  process.exitCode = 1;
}
