/**
 * Whether an endpoint can take a new session: the project exists (and can be loaded), and for a
 * per-server endpoint the server exists and is enabled. Answers the HTTP refusal otherwise.
 */
import { JSONRPC } from "../jsonrpc-errors";
import { jsonRpcErrorResponse } from "./jsonrpc";
import { ProjectUnavailableError, type ProjectStates } from "../projects/project-state";
import type { EndpointRef } from "../tools/tool-catalogue";

export class EndpointResolver {
  constructor(private readonly states: ProjectStates) {}

  async resolve(endpoint: EndpointRef): Promise<{ serverId: string | null } | Response> {
    let state;
    try {
      state = await this.states.get(endpoint.projectId);
    } catch (e) {
      if (e instanceof ProjectUnavailableError) return jsonRpcErrorResponse(503, JSONRPC.serverError, "Service unavailable: try again shortly", { "retry-after": "5" });
      throw e;
    }
    if (!state) return jsonRpcErrorResponse(404, JSONRPC.serverError, "Project not found");
    if (endpoint.serverName === null) return { serverId: null };
    const server = state.byName.get(endpoint.serverName);
    if (!server) return jsonRpcErrorResponse(404, JSONRPC.serverError, `Server ${endpoint.serverName} not found or disabled in this project`);
    return { serverId: server.id };
  }
}
