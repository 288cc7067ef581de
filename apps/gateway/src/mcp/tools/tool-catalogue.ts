/**
 * The tools an endpoint shows and where each call goes. Lists come from the cached catalogue
 * (`server_tools`, held in the project state) without spawning anything; a server with no cache
 * yet is listed live through the pool by the rule of live-listings.ts (the first listing waits for
 * it, servers known to be down are not waited for). Live results are written into `server_tools`
 * under the project's new-tool policy.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { insertDiscoveredServerTools, type Database, type DiscoveredToolDefinition } from "@switchyard/db";
import { exposedName } from "@switchyard/shared";
import { RELAYED_CLIENT_CAPABILITIES } from "@switchyard/core/upstream";
import type { UpstreamCallOptions, UpstreamPoolPort } from "../ports";
import type { ProjectState, ServerEntry } from "../projects/project-state";
import { LiveListings, type LiveListingTimings } from "../live-listings";

/** An endpoint: the project's aggregate (`serverName` null) or one server, names unprefixed. */
export interface EndpointRef {
  projectId: string;
  serverName: string | null;
}

export interface ToolRoute {
  server: ServerEntry;
  toolName: string;
  exposedName: string;
  /** Set for tools the team switched off or that wait for approval: hidden and refused. */
  refusal?: "disabled" | "held";
}

interface View {
  tools: Tool[];
  routes: Map<string, ToolRoute>;
  /** Servers of the endpoint with neither a cached nor a live catalogue yet. */
  uncached: ServerEntry[];
}

interface LiveCatalogue {
  tools: Tool[];
  policy: ProjectState["newToolPolicy"];
}

export interface ToolCatalogueOptions extends LiveListingTimings {
  pool: Pick<UpstreamPoolPort, "listTools">;
  db: Database;
}

export class ToolCatalogue {
  private readonly live: LiveListings<LiveCatalogue, View>;

  constructor(private readonly opts: ToolCatalogueOptions) {
    this.live = new LiveListings<LiveCatalogue, View>({
      ...opts,
      what: "tools",
      recordContext: "recording discovered tools",
      list: async (state, server, sessionId) => ({ tools: normalize(await opts.pool.listTools(listingOptions(state, server, sessionId))), policy: state.newToolPolicy }),
      record: (state, server, { tools, policy }) => insertDiscoveredServerTools(opts.db, state.projectId, server.id, tools.map(toDefinition), policy, new Date()),
    });
  }

  /** tools/list for an endpoint. `complete` is false when some server's tools are still coming. */
  async list(state: ProjectState, endpoint: EndpointRef, sessionId: string): Promise<{ tools: Tool[]; complete: boolean }> {
    let view = this.view(state, endpoint);
    if (view.uncached.length > 0) {
      await this.live.first(state, view.uncached, sessionId);
      view = this.view(state, endpoint);
    }
    return { tools: view.tools, complete: view.uncached.length === 0 };
  }

  /** Where a tools/call for `name` goes; undefined for an unknown tool. */
  /** Answers without a promise when the catalogue knows every server of the endpoint (the hot call's case). */
  route(state: ProjectState, endpoint: EndpointRef, name: string, sessionId: string): ToolRoute | undefined | Promise<ToolRoute | undefined> {
    const view = this.view(state, endpoint);
    const route = view.routes.get(name);
    if (route || view.uncached.length === 0) return route;
    // A call can arrive before the first list of a server finished (clients cache tool names).
    return this.live.discover(state, view.uncached, sessionId, 5_000).then(() => this.view(state, endpoint).routes.get(name));
  }

  /**
   * Lists a server again because its upstream said list_changed: tools new to the catalogue are
   * recorded (under the project's policy); the caller then reloads the project state.
   */
  async relist(state: ProjectState, server: ServerEntry, sessionId: string): Promise<void> {
    const tools = normalize(await this.opts.pool.listTools(listingOptions(state, server, sessionId)));
    this.live.set(server.id, { tools, policy: state.newToolPolicy });
    await insertDiscoveredServerTools(this.opts.db, state.projectId, server.id, tools.map(toDefinition), state.newToolPolicy, new Date());
  }

  private view(state: ProjectState, endpoint: EndpointRef): View {
    return this.live.view(state, endpoint.serverName ?? "", () => this.build(state, endpoint));
  }

  private build(state: ProjectState, endpoint: EndpointRef): View {
    const servers = endpoint.serverName === null ? state.servers : [state.byName.get(endpoint.serverName)].filter((s) => s !== undefined);
    const view: View = { tools: [], routes: new Map(), uncached: [] };
    for (const server of servers) {
      const name = (tool: string) => (endpoint.serverName === null ? exposedName(server.name, state.separator, tool) : tool);
      const rows = state.catalogue.get(server.id);
      if (rows && rows.length > 0) {
        this.live.forget(server.id); // the database has it now
        for (const row of rows) {
          const exposed = name(row.name);
          if (view.routes.has(exposed)) continue;
          const refusal = row.pendingApproval ? "held" : !row.enabled ? "disabled" : undefined;
          view.routes.set(exposed, { server, toolName: row.name, exposedName: exposed, ...(refusal ? { refusal } : {}) });
          if (!refusal) view.tools.push(rowToTool(exposed, row));
        }
        continue;
      }
      const live = this.live.get(server.id);
      if (!live) {
        view.uncached.push(server);
        continue;
      }
      for (const tool of live.tools) {
        const exposed = name(tool.name);
        if (view.routes.has(exposed)) continue;
        const refusal = live.policy === "held" ? "held" : undefined;
        view.routes.set(exposed, { server, toolName: tool.name, exposedName: exposed, ...(refusal ? { refusal } : {}) });
        if (!refusal) view.tools.push({ ...tool, name: exposed });
      }
    }
    return view;
  }
}

/**
 * The catalogue is one per server, whoever asks: it is listed with every capability the gateway
 * relays (tools that depend on them are listed), and a per_session server is listed on an
 * upstream of its own rather than on the asking session's, which declares only what its client did.
 */
export function listingOptions(state: ProjectState, server: ServerEntry, sessionId: string): UpstreamCallOptions {
  const perSession = server.config.isolation === "per_session";
  return {
    projectId: state.projectId,
    serverId: server.id,
    sessionId: perSession ? `catalogue:${server.id}` : sessionId,
    clientCapabilities: RELAYED_CLIENT_CAPABILITIES,
    ...(perSession ? { release: true } : {}),
  };
}

/** First of each name (as the catalogue does), sorted by name for a deterministic order. */
function normalize(listed: readonly Tool[]): Tool[] {
  const seen = new Set<string>();
  return listed.filter((t) => !seen.has(t.name) && seen.add(t.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function rowToTool(name: string, row: { title: string | null; description: string | null; inputSchema: Record<string, unknown>; outputSchema: Record<string, unknown> | null; annotations: Record<string, unknown> | null }): Tool {
  return {
    name,
    ...(row.title !== null ? { title: row.title } : {}),
    ...(row.description !== null ? { description: row.description } : {}),
    inputSchema: row.inputSchema as Tool["inputSchema"],
    ...(row.outputSchema !== null ? { outputSchema: row.outputSchema as NonNullable<Tool["outputSchema"]> } : {}),
    ...(row.annotations !== null ? { annotations: row.annotations } : {}),
  };
}

function toDefinition(tool: Tool): DiscoveredToolDefinition {
  return {
    name: tool.name,
    title: tool.title ?? null,
    description: tool.description ?? null,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema ?? null,
    annotations: tool.annotations ? { ...tool.annotations } : null,
  };
}
