/**
 * The team's switches on cached tools: enable/disable (developers) and the review of tools held
 * by the project's new-tool policy (admins). The gateway hides disabled and held tools.
 */
import { getServerToolById, insertActivity, updateServerToolFlags, type ServerToolRow } from "@switchyard/db";
import { AppError, notFound } from "@switchyard/shared";
import { actorUserId, runHook, type Actor, type ServiceDeps } from "../context";

type ProjectRef = { id: string; teamId: string };

type ToolWithServer = NonNullable<Awaited<ReturnType<typeof getServerToolById>>>;
type ActivityInput = Parameters<typeof insertActivity>[1];

/** What to write and how the activity feed words it; `null` when the tool already is as asked. */
type ToolChange = { flags: Parameters<typeof updateServerToolFlags>[3]; type: ActivityInput["type"]; summary: string; metadata?: Record<string, unknown> } | null;

/** One audited change to a tool's flags in one transaction, then the project's change hook (the gateway re-reads its tools). */
async function changeTool(deps: Pick<ServiceDeps, "db" | "hooks">, actor: Actor, project: ProjectRef, toolId: string, plan: (current: ToolWithServer) => ToolChange): Promise<ServerToolRow> {
  const tool = await deps.db.transaction(async (tx) => {
    const current = await getServerToolById(tx, project.id, toolId);
    if (!current) throw notFound("tool");
    const change = plan(current);
    if (!change) return current;
    const row = await updateServerToolFlags(tx, project.id, toolId, change.flags);
    if (!row) throw notFound("tool");
    await insertActivity(tx, {
      teamId: project.teamId,
      projectId: project.id,
      actorUserId: actorUserId(actor),
      type: change.type,
      targetType: "tool",
      targetId: toolId,
      summary: `Tool ${current.server.name}/${current.name} ${change.summary}`,
      metadata: { serverId: current.serverId, tool: current.name, ...change.metadata },
    });
    return row;
  });
  await runHook(deps.hooks?.projectChanged && (() => deps.hooks?.projectChanged?.(project.id)));
  return tool;
}

export async function setToolEnabled(deps: Pick<ServiceDeps, "db" | "hooks">, actor: Actor, project: ProjectRef, toolId: string, enabled: boolean): Promise<ServerToolRow> {
  return changeTool(deps, actor, project, toolId, (current) => {
    if (current.pendingApproval) throw new AppError("conflict", `${current.name} is held for approval: approve or reject it first`);
    if (current.enabled === enabled) return null;
    return { flags: { enabled }, type: enabled ? "tool.enabled" : "tool.disabled", summary: enabled ? "enabled" : "disabled" };
  });
}

/** Approves (enables) or rejects (keeps disabled) a tool held for approval. */
export async function reviewHeldTool(deps: Pick<ServiceDeps, "db" | "hooks">, actor: Actor, project: ProjectRef, toolId: string, approve: boolean): Promise<ServerToolRow> {
  return changeTool(deps, actor, project, toolId, (current) => {
    if (!current.pendingApproval) throw new AppError("conflict", `${current.name} is not waiting for approval`);
    return {
      flags: { pendingApproval: false, enabled: approve },
      type: approve ? "tool.approved" : "tool.disabled",
      summary: approve ? "approved" : "rejected (stays disabled)",
      metadata: { review: approve ? "approved" : "rejected" },
    };
  });
}
