/**
 * What the project endpoint's `tools/list` offers, as the overview counts it: enabled, approved
 * tools of enabled servers that are up. A server that is installing, offline or not checked yet
 * contributes nothing, and when nothing is offered the connect panel says why.
 */
import type { ServerStatus } from "@switchyard/shared";

interface ToolLike {
  enabled: boolean;
  pendingApproval: boolean;
  server: { enabled: boolean; status: ServerStatus };
}

interface ServerLike {
  enabled: boolean;
  status: ServerStatus;
}

const isUp = (status: ServerStatus) => status === "online" || status === "degraded";

export function countExposedTools(tools: ToolLike[]): { exposed: number; held: number; notUp: number } {
  const offered = tools.filter((t) => t.enabled && !t.pendingApproval && t.server.enabled);
  return {
    exposed: offered.filter((t) => isUp(t.server.status)).length,
    held: tools.filter((t) => t.pendingApproval && t.server.enabled).length,
    notUp: offered.filter((t) => !isUp(t.server.status)).length,
  };
}

/** Why `tools/list` answers no tools right now, or undefined when it answers some. */
export function emptyToolsReason(servers: ServerLike[], tools: ToolLike[]): string | undefined {
  if (countExposedTools(tools).exposed > 0) return undefined;
  const enabled = servers.filter((s) => s.enabled);
  if (enabled.length === 0) return "This project has no enabled server yet: add one, and its tools appear once it is online.";
  const installing = enabled.filter((s) => s.status === "installing").length;
  if (installing > 0) return `${installing === 1 ? "A server is" : `${installing} servers are`} installing on first start; its tools appear once it is online.`;
  if (enabled.some((s) => s.status === "unknown")) return "The worker has not checked the servers yet; their tools appear once one is online (refresh from the Servers page).";
  if (!enabled.some((s) => isUp(s.status))) return "No server is online: see the Servers page for each server's error.";
  return "Every tool is disabled or held for approval: enable or approve tools on the Tools page.";
}
