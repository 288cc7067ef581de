/** A team's own settings: rename / re-slug (admins) and deletion (owners). */
import { deleteTeam as deleteTeamRow, getTeamBySlug, insertActivity, listApiKeys, listProjects, updateTeam as updateTeamRow, type Team } from "@switchyard/db";
import { AppError, notFound, slugSchema } from "@switchyard/shared";
import { z } from "zod";
import { actorUserId, runHook, type Actor, type ServiceDeps } from "../context";
import { isUniqueViolation } from "../pg-errors";
import type { TeamRef } from "./invitations";

export const updateTeamInputSchema = z.object({
  name: z.string().trim().min(1, "team name is required").max(100),
  slug: slugSchema,
});
export type UpdateTeamInput = z.input<typeof updateTeamInputSchema>;

export async function updateTeamSettings(deps: Pick<ServiceDeps, "db">, actor: Actor, team: TeamRef & { name: string; slug: string }, raw: UpdateTeamInput): Promise<Team> {
  const input = updateTeamInputSchema.parse(raw);
  if (input.slug !== team.slug) {
    const taken = await getTeamBySlug(deps.db, input.slug);
    if (taken) throw new AppError("conflict", `the slug "${input.slug}" is taken`);
  }
  try {
    return await deps.db.transaction(async (tx) => {
      const updated = await updateTeamRow(tx, team.id, { name: input.name, slug: input.slug });
      if (!updated) throw notFound("team");
      const changed = [team.name !== input.name && "name", team.slug !== input.slug && "slug"].filter(Boolean);
      await insertActivity(tx, {
        teamId: team.id,
        actorUserId: actorUserId(actor),
        type: "team.updated",
        targetType: "team",
        targetId: team.id,
        summary: changed.length ? `Team settings updated (${changed.join(", ")})` : "Team settings saved without changes",
        metadata: { from: { name: team.name, slug: team.slug }, to: input },
      });
      return updated;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `the slug "${input.slug}" is taken`);
    throw e;
  }
}

/**
 * Deletes the team with its projects, servers and keys. The caller must echo the slug. The audit
 * row is instance-level (team_id null) because the team's own feed is deleted with it.
 */
export async function deleteTeam(deps: Pick<ServiceDeps, "db" | "hooks">, actor: Actor, team: TeamRef & { name: string; slug: string }, confirmSlug: string): Promise<void> {
  if (confirmSlug !== team.slug) throw new AppError("invalid_input", `type the team's slug "${team.slug}" to confirm`);
  const { projectIds, keys } = await deps.db.transaction(async (tx) => {
    const projects = await listProjects(tx, team.id);
    const keyRows = (await Promise.all(projects.map((p) => listApiKeys(tx, p.id)))).flat().filter((k) => !k.revokedAt);
    if (!(await deleteTeamRow(tx, team.id))) throw notFound("team");
    await insertActivity(tx, {
      teamId: null,
      actorUserId: actorUserId(actor),
      type: "team.deleted",
      targetType: "team",
      targetId: team.id,
      summary: `Team ${team.name} (${team.slug}) deleted with ${projects.length} project(s)`,
      metadata: { teamId: team.id, name: team.name, slug: team.slug, projects: projects.map((p) => p.id) },
    });
    return { projectIds: projects.map((p) => p.id), keys: keyRows };
  });
  for (const key of keys) await runHook(deps.hooks?.apiKeyRevoked && (() => deps.hooks?.apiKeyRevoked?.(key.projectId, key.id, key.hash)));
  for (const id of projectIds) await runHook(deps.hooks?.projectChanged && (() => deps.hooks?.projectChanged?.(id)));
}
