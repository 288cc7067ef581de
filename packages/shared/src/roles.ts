/** Team role ranking: the one definition the services enforce and the console uses to hide controls the server would refuse. */
import { TEAM_ROLES, type TeamRole } from "./enums";

/** Higher is more: reporter 0 … owner 3 (TEAM_ROLES lists them from the top). */
function rank(role: TeamRole): number {
  return TEAM_ROLES.length - 1 - TEAM_ROLES.indexOf(role);
}

export function roleAtLeast(role: TeamRole, min: TeamRole): boolean {
  return rank(role) >= rank(min);
}
