import type { ProjectTool } from "@switchyard/db";

export interface ToolView {
  id: string;
  name: string;
  title: string | null;
  description: string | null;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown> | null;
  annotations: Record<string, unknown> | null;
  enabled: boolean;
  pendingApproval: boolean;
  serverId: string;
  serverName: string;
  serverEnabled: boolean;
  firstSeenAt: string;
}

export function toToolView(t: ProjectTool): ToolView {
  return {
    id: t.id,
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: t.inputSchema,
    outputSchema: t.outputSchema,
    annotations: t.annotations,
    enabled: t.enabled,
    pendingApproval: t.pendingApproval,
    serverId: t.serverId,
    serverName: t.server.name,
    serverEnabled: t.server.enabled,
    firstSeenAt: t.firstSeenAt.toISOString(),
  };
}
