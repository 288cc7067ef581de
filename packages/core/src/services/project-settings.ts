/** A project's settings (admins): name, description, log payload policy, retention, separator, new-tool policy; and deletion. */
import { deleteProject as deleteProjectRow, insertActivity, listApiKeys, updateProject, type Project } from "@switchyard/db";
import { AppError, notFound, projectSettingsSchema } from "@switchyard/shared";
import type { z } from "zod";
import { actorUserId, runHook, type Actor, type ServiceDeps } from "../context";

/** Any subset of the settings; the console's form sends them all. */
export const updateProjectSettingsInputSchema = projectSettingsSchema.partial();
export type UpdateProjectSettingsInput = z.input<typeof updateProjectSettingsInputSchema>;

type ProjectRef = Pick<Project, "id" | "teamId" | "name">;

export async function updateProjectSettings(deps: Pick<ServiceDeps, "db" | "hooks">, actor: Actor, project: Project, raw: UpdateProjectSettingsInput): Promise<Project> {
  const patch = updateProjectSettingsInputSchema.parse(raw);
  const changed = (Object.keys(patch) as (keyof typeof patch)[]).filter((k) => JSON.stringify(patch[k]) !== JSON.stringify(project[k]));
  const updated = await deps.db.transaction(async (tx) => {
    const row = await updateProject(tx, project.teamId, project.id, patch);
    if (!row) throw notFound("project");
    if (changed.length === 0) return row;
    await insertActivity(tx, {
      teamId: project.teamId,
      projectId: project.id,
      actorUserId: actorUserId(actor),
      type: "settings.updated",
      targetType: "project",
      targetId: project.id,
      summary: `Project settings updated: ${changed.join(", ")}`,
      metadata: { changed, from: Object.fromEntries(changed.map((k) => [k, project[k]])), to: Object.fromEntries(changed.map((k) => [k, patch[k]])) },
    });
    return row;
  });
  if (changed.length) await runHook(deps.hooks?.projectChanged && (() => deps.hooks?.projectChanged?.(project.id)));
  return updated;
}

/** Deletes a project with its servers and keys; the caller echoes the project's name to confirm. */
export async function deleteProject(deps: Pick<ServiceDeps, "db" | "hooks">, actor: Actor, project: ProjectRef, confirmName: string): Promise<void> {
  if (confirmName.trim() !== project.name) throw new AppError("invalid_input", `type the project name "${project.name}" to confirm`);
  const keys = await deps.db.transaction(async (tx) => {
    const live = (await listApiKeys(tx, project.id)).filter((k) => !k.revokedAt);
    if (!(await deleteProjectRow(tx, project.teamId, project.id))) throw notFound("project");
    await insertActivity(tx, {
      teamId: project.teamId,
      projectId: project.id,
      actorUserId: actorUserId(actor),
      type: "project.deleted",
      targetType: "project",
      targetId: project.id,
      summary: `Project ${project.name} deleted`,
    });
    return live;
  });
  for (const key of keys) await runHook(deps.hooks?.apiKeyRevoked && (() => deps.hooks?.apiKeyRevoked?.(project.id, key.id, key.hash)));
  await runHook(deps.hooks?.projectChanged && (() => deps.hooks?.projectChanged?.(project.id)));
}
