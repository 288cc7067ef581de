/**
 * `switchyard admin …`: each subcommand's module (and what it needs: the database, the queues) is
 * imported only when that subcommand runs.
 */
import type { Command } from "commander";

interface AdminCommand {
  name: string;
  description: string;
  register: () => Promise<(command: Command) => void>;
}

const SUBCOMMANDS: AdminCommand[] = [
  { name: "create-user", description: "create a user account", register: async () => (await import("./create-user")).registerCreateUser },
  { name: "create-team", description: "create a team with an owner", register: async () => (await import("./create-team")).registerCreateTeam },
  { name: "create-project", description: "create a project in a team", register: async () => (await import("./create-project")).registerCreateProject },
  { name: "add-server", description: "register an MCP server in a project (stdio command or SSE / Streamable HTTP URL)", register: async () => (await import("./add-server")).registerAddServer },
  { name: "import-servers", description: "import servers from a Claude Desktop / Cursor mcpServers JSON file (all or nothing)", register: async () => (await import("./import-servers")).registerImportServers },
  { name: "create-api-key", description: "create a project API key (printed once)", register: async () => (await import("./create-api-key")).registerCreateApiKey },
  { name: "reset-password", description: "set a user's password (generated and printed unless given) and end their sessions", register: async () => (await import("./reset-password")).registerResetPassword },
];

export async function registerAdminCommands(admin: Command): Promise<void> {
  for (const c of SUBCOMMANDS) {
    const command = admin.command(c.name).description(c.description);
    if (c.name === process.argv[3]) (await c.register())(command);
  }
}
