/**
 * What a console token may do, decided on every use from the database rather than from the
 * token: the user is still active, still on the session version the token was signed under, and
 * still a member of the project's team with a role that may call tools (developer or higher;
 * reporters may not). A token leaked, forged with a stolen secret for another user's project, or
 * kept past a demotion, password change or removal is refused.
 */
import { getProjectForUser, getUserById, type Executor } from "@switchyard/db";
import { roleAtLeast, UUID_PATTERN } from "@switchyard/shared";
import type { ConsoleTokenClaims } from "./console-token";

export async function checkConsoleAccess(db: Executor, claims: Pick<ConsoleTokenClaims, "userId" | "projectId" | "sessionVersion">): Promise<boolean> {
  if (!UUID_PATTERN.test(claims.userId)) return false;
  const user = await getUserById(db, claims.userId);
  if (!user?.isActive || user.sessionVersion !== claims.sessionVersion) return false;
  const project = await getProjectForUser(db, claims.userId, claims.projectId);
  return project !== undefined && roleAtLeast(project.role, "developer");
}
