"use server";

import { reviewHeldTool, setToolEnabled as setToolEnabledService } from "@switchyard/core/services";
import { getServerOrThrow, getUserByIdOrThrow } from "@switchyard/db";
import { z } from "zod";
import { tryToolSchema } from "@/lib/schemas";
import { action } from "../action";
import { callToolThroughGateway } from "../try-it";

export const setToolEnabled = action.project({
  name: "tools.setEnabled",
  role: "developer",
  input: z.object({ projectId: z.uuid(), toolId: z.uuid(), enabled: z.boolean() }),
  handler: async ({ deps, actor, project }, input) => {
    const tool = await setToolEnabledService(deps, actor, project, input.toolId, input.enabled);
    return { id: tool.id, enabled: tool.enabled };
  },
});

/** Approve (enable) or reject a tool held by the project's new-tool policy: admins decide. */
export const reviewTool = action.project({
  name: "tools.review",
  role: "admin",
  input: z.object({ projectId: z.uuid(), toolId: z.uuid(), approve: z.boolean() }),
  handler: async ({ deps, actor, project }, input) => {
    const tool = await reviewHeldTool(deps, actor, project, input.toolId, input.approve);
    return { id: tool.id, enabled: tool.enabled };
  },
});

/** Calls a tool through the gateway as the signed-in user (developers and up; reporters may not). */
export const tryTool = action.project({
  name: "tools.tryIt",
  role: "developer",
  input: tryToolSchema,
  handler: async ({ deps, project, user }, input) => {
    const server = await getServerOrThrow(deps.db, project.id, input.serverId);
    const { sessionVersion } = await getUserByIdOrThrow(deps.db, user.id);
    return callToolThroughGateway({
      gatewayUrl: deps.config.gatewayInternalUrl,
      authSecret: deps.config.authSecret,
      userId: user.id,
      sessionVersion,
      projectId: project.id,
      serverName: server.name,
      tool: input.tool,
      args: input.arguments,
      timeoutMs: server.timeoutMs,
    });
  },
});
