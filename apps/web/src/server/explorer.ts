/**
 * What every explorer route shares: the input (team, optional project, query, range), turning
 * it into a tenant, a time range and a parsed query, and who may see payloads. Query errors are
 * `invalid_input` with the position and expected tokens in `details`, for the query bar.
 */
import { getProject, type LogRange, type LogTenant, type TeamWithRole } from "@switchyard/db";
import { AppError, LOG_RANGE_NAMES, notFound, parseLogQuery, resolveLogRange, roleAtLeast, type LogQueryNode } from "@switchyard/shared";
import { z } from "zod";
import type { WebDeps } from "./deps";

export const explorerInput = z.object({
  teamId: z.uuid(),
  projectId: z.uuid().optional(),
  q: z.string().max(2000).default(""),
  range: z.enum(LOG_RANGE_NAMES).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
});
export type ExplorerInput = z.output<typeof explorerInput>;

export interface ExplorerScope {
  tenant: LogTenant;
  range: LogRange;
  query: LogQueryNode | null;
  /** Raw input and output are shown to developers and above only. */
  withPayloads: boolean;
}

function containsText(node: LogQueryNode | null): boolean {
  if (!node) return false;
  if (node.kind === "text") return true;
  if (node.kind === "not") return containsText(node.child);
  if (node.kind === "and" || node.kind === "or") return node.children.some(containsText);
  return false;
}

/** Parses the query and resolves the range (the project is not checked: see `explorerScope`, `explorerRead`). */
function parseScope(team: TeamWithRole, input: ExplorerInput): ExplorerScope {
  const parsed = parseLogQuery(input.q);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.error.message, { position: parsed.error.position, expected: parsed.error.expected });
  const withPayloads = roleAtLeast(team.role, "developer");
  // Free text matches inside inputs and outputs, which reporters may not read.
  if (!withPayloads && containsText(parsed.ast)) throw new AppError("forbidden", "Free-text search reads payloads and needs the developer role; use field filters");
  const range = resolveLogRange({ range: input.range, from: input.from, to: input.to });
  if ("error" in range) throw new AppError("invalid_input", range.error);
  return { tenant: { teamId: team.id, ...(input.projectId ? { projectId: input.projectId } : {}) }, range, query: parsed.ast, withPayloads };
}

async function projectInTeam(deps: WebDeps, team: TeamWithRole, input: ExplorerInput): Promise<boolean> {
  return !input.projectId || (await getProject(deps.db, team.id, input.projectId)) !== undefined;
}

/** Checks the project belongs to the team, parses the query and resolves the range. */
export async function explorerScope(deps: WebDeps, team: TeamWithRole, input: ExplorerInput): Promise<ExplorerScope> {
  if (!(await projectInTeam(deps, team, input))) throw notFound("project");
  return parseScope(team, input);
}

/**
 * `read` under the request's scope, run while the project is checked against the team rather
 * than after it: one round trip less per request (what the list page's latency is made of). Safe
 * because every explorer read is tenant-scoped (a project of another team matches nothing), and
 * its result is returned only when the check passed (404 otherwise).
 */
export async function explorerRead<R>(deps: WebDeps, team: TeamWithRole, input: ExplorerInput, read: (scope: ExplorerScope) => Promise<R>): Promise<R> {
  const scope = parseScope(team, input);
  const [found, result] = await Promise.allSettled([projectInTeam(deps, team, input), read(scope)]);
  if (found.status === "rejected") throw found.reason;
  if (!found.value) throw notFound("project");
  if (result.status === "rejected") throw result.reason;
  return result.value;
}
