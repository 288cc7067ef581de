/**
 * The team's switches on cached tools: enable/disable (developers) and the review of tools held
 * by the project's new-tool policy (admins). The gateway hides disabled and held tools.
 */
import { getServerToolById, insertActivity, updateServerToolFlags, type ServerToolRow } from "@switchyard/db";
import { AppError, notFound } from "@switchyard/shared";
import { actorUserId, runHook, type Actor, type ServiceDeps } from "../context";

type ProjectRef = { id: string; teamId: string };

export async function setToolEnabled(deps: Pick<ServiceDeps, "db" | "hooks">, actor: Actor, project: ProjectRef, toolId: string, enabled: boolean): Promise<ServerToolRow> {
  const tool = await deps.db.transaction(async (tx) => {
    const current = await getServerToolById(tx, project.id, toolId);
    if (!current) throw notFound("tool");
    if (current.pendingApproval) throw new AppError("conflict", `${current.name} is held for approval: approve or reject it first`);
    if (current.enabled === enabled) return current;
    const row = await updateServerToolFlags(tx, project.id, toolId, { enabled });
    if (!row) throw notFound("tool");
    await insertActivity(tx, {
      teamId: project.teamId,
      projectId: project.id,
      actorUserId: actorUserId(actor),
      type: enabled ? "tool.enabled" : "tool.disabled",
      targetType: "tool",
      targetId: toolId,
      summary: `Tool ${current.server.name}/${current.name} ${enabled ? "enabled" : "disabled"}`,
      metadata: { serverId: current.serverId, tool: current.name },
    });
    return row;
  });
  await runHook(deps.hooks?.projectChanged && (() => deps.hooks?.projectChanged?.(project.id)));
  return tool;
}

/** Approves (enables) or rejects (keeps disabled) a tool held for approval. */
export async function reviewHeldTool(deps: Pick<ServiceDeps, "db" | "hooks">, actor: Actor, project: ProjectRef, toolId: string, approve: boolean): Promise<ServerToolRow> {
  const tool = await deps.db.transaction(async (tx) => {
    const current = await getServerToolById(tx, project.id, toolId);
    if (!current) throw notFound("tool");
    if (!current.pendingApproval) throw new AppError("conflict", `${current.name} is not waiting for approval`);
    const row = await updateServerToolFlags(tx, project.id, toolId, { pendingApproval: false, enabled: approve });
    if (!row) throw notFound("tool");
    await insertActivity(tx, {
      teamId: project.teamId,
      projectId: project.id,
      actorUserId: actorUserId(actor),
      type: approve ? "tool.approved" : "tool.disabled",
      targetType: "tool",
      targetId: toolId,
      summary: `Tool ${current.server.name}/${current.name} ${approve ? "approved" : "rejected (stays disabled)"}`,
      metadata: { serverId: current.serverId, tool: current.name, review: approve ? "approved" : "rejected" },
    });
    return row;
  });
  await runHook(deps.hooks?.projectChanged && (() => deps.hooks?.projectChanged?.(project.id)));
  return tool;
}
