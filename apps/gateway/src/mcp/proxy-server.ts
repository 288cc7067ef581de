/**
 * The MCP server one downstream session talks to: a low-level SDK `Server` (one per session —
 * a second connect() throws) that answers tools/list from the catalogue and hands tools/call to
 * the call handler. Only tools are declared: resources, prompts and completion routing are not
 * served yet, and a client must not be told otherwise. ping is answered by the SDK.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { Protocol } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, type ListToolsResult } from "@modelcontextprotocol/sdk/types.js";
import { ProjectUnavailableError, type ProjectStates } from "./project-state";
import type { Session } from "./session";
import type { ToolCalls } from "./tool-calls";
import type { ToolCatalogue } from "./tool-catalogue";
import { JsonRpcError } from "./upstream-errors";

export interface ProxyServerDeps {
  states: ProjectStates;
  catalogue: ToolCatalogue;
  calls: ToolCalls;
  version: string;
}

export function createProxyServer(session: Session, deps: ProxyServerDeps): Server {
  const server = new Server(
    { name: "switchyard", version: deps.version },
    {
      capabilities: { tools: { listChanged: true } },
      instructions:
        session.endpoint.serverName === null ? "Tools of every enabled server of this Switchyard project, named {server}{separator}{tool}." : undefined,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async (): Promise<ListToolsResult> => {
    const state = await deps.states.get(session.endpoint.projectId).catch((e: unknown) => {
      if (e instanceof ProjectUnavailableError) throw new JsonRpcError(ErrorCode.InternalError, "the project's configuration is unavailable; try again");
      throw e;
    });
    if (!state) return { tools: [] };
    const { tools } = await deps.catalogue.list(state, session.endpoint, session.id);
    session.lastActivity = Date.now();
    return { tools };
  });
  // Registered through Protocol's own setRequestHandler: Server's override re-parses the request
  // and re-validates the result (defaulting fields), and results must pass through unchanged.
  const setUnwrappedHandler = Protocol.prototype.setRequestHandler.bind(server) as Server["setRequestHandler"];
  setUnwrappedHandler(CallToolRequestSchema, (request, extra) =>
    deps.calls.handle(session, request, {
      signal: extra.signal,
      requestId: extra.requestId,
      sendProgress: (params) => extra.sendNotification({ method: "notifications/progress", params }),
    }),
  );
  return server;
}
