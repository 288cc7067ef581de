/**
 * The gateway's reads and writes of the cached tool catalogue (`server_tools`). The worker's
 * status refresh owns definitions, switches and `gone_at`; the gateway only reads the current
 * catalogue and fills in the first one of a server it had to list live.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import type { NewToolPolicy } from "@switchyard/shared";
import type { Executor } from "../client";
import { serverTools } from "../schema";

export interface GatewayCatalogueTool {
  serverId: string;
  name: string;
  title: string | null;
  description: string | null;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown> | null;
  annotations: Record<string, unknown> | null;
  enabled: boolean;
  pendingApproval: boolean;
}

/** Every tool of the project's servers not marked gone, by server then name. */
export async function listGatewayCatalogue(db: Executor, projectId: string): Promise<GatewayCatalogueTool[]> {
  return db
    .select({
      serverId: serverTools.serverId,
      name: serverTools.name,
      title: serverTools.title,
      description: serverTools.description,
      inputSchema: serverTools.inputSchema,
      outputSchema: serverTools.outputSchema,
      annotations: serverTools.annotations,
      enabled: serverTools.enabled,
      pendingApproval: serverTools.pendingApproval,
    })
    .from(serverTools)
    .where(and(eq(serverTools.projectId, projectId), isNull(serverTools.goneAt)))
    .orderBy(asc(serverTools.serverId), asc(serverTools.name));
}

export type DiscoveredToolDefinition = Pick<GatewayCatalogueTool, "name" | "title" | "description" | "inputSchema" | "outputSchema" | "annotations">;

/**
 * Records tools the gateway listed live for a server that had no catalogue yet, switched on or
 * held per the project's policy. Rows that exist already (a refresh won the race) are left as
 * they are: the team's switches and the refresh's definitions always win.
 */
export async function insertDiscoveredServerTools(
  db: Executor,
  projectId: string,
  serverId: string,
  tools: readonly DiscoveredToolDefinition[],
  policy: NewToolPolicy,
  seenAt: Date,
): Promise<number> {
  if (tools.length === 0) return 0;
  const rows = await db
    .insert(serverTools)
    .values(
      tools.map((t) => ({
        ...t,
        projectId,
        serverId,
        enabled: policy === "enabled",
        pendingApproval: policy === "held",
        firstSeenAt: seenAt,
        lastSeenAt: seenAt,
      })),
    )
    .onConflictDoNothing({ target: [serverTools.serverId, serverTools.name] })
    .returning({ id: serverTools.id });
  return rows.length;
}
