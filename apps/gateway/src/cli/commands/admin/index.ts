import type { Command } from "commander";
import { registerAddServer } from "./add-server";
import { registerCreateApiKey } from "./create-api-key";
import { registerCreateProject } from "./create-project";
import { registerCreateTeam } from "./create-team";
import { registerCreateUser } from "./create-user";
import { registerImportServers } from "./import-servers";
import { registerResetPassword } from "./reset-password";

export function registerAdminCommands(admin: Command): void {
  registerCreateUser(admin);
  registerCreateTeam(admin);
  registerCreateProject(admin);
  registerAddServer(admin);
  registerImportServers(admin);
  registerCreateApiKey(admin);
  registerResetPassword(admin);
}
