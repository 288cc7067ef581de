/**
 * The tools an endpoint shows and where each call goes. Lists come from the cached catalogue
 * (`server_tools`, held in the project state) without spawning anything; a server with no cache
 * yet is listed live through the pool, and the first listing waits for it up to `liveDeadlineMs`
 * (its connect timeout: clients that ignore list_changed would otherwise show an empty list for a
 * server just added). Servers known to be down (offline or failing at their last check, or whose
 * live listing just failed) are not waited for; `onLiveListed` tells the sessions (list_changed)
 * when they arrive. Live results are written into `server_tools` under the project's new-tool policy.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { insertDiscoveredServerTools, type Database, type DiscoveredToolDefinition } from "@switchyard/db";
import { exposedName } from "@switchyard/shared";
import { RELAYED_CLIENT_CAPABILITIES } from "@switchyard/core/upstream";
import type { UpstreamCallOptions, UpstreamPoolPort } from "../ports";
import { isKnownDown, type ProjectState, type ServerEntry } from "../projects/project-state";

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

export interface ToolCatalogueOptions {
  pool: Pick<UpstreamPoolPort, "listTools">;
  db: Database;
  /** How long a first listing waits for a never-listed server (default 30 s, the pool's connect timeout). */
  liveDeadlineMs?: number;
  /** Pause before listing a server again after a failed live listing (default 15 s). */
  retryMs?: number;
  onLiveListed?: (projectId: string, serverId: string) => void;
  onError?: (e: unknown, context: string) => void;
}

export class ToolCatalogue {
  private readonly live = new Map<string, LiveCatalogue>();
  private readonly listing = new Map<string, Promise<void>>();
  private readonly failedAt = new Map<string, number>();
  private liveVersion = 0;
  private readonly views = new WeakMap<ProjectState, Map<string, { liveVersion: number; view: View }>>();

  constructor(private readonly opts: ToolCatalogueOptions) {}

  /** tools/list for an endpoint. `complete` is false when some server's tools are still coming. */
  async list(state: ProjectState, endpoint: EndpointRef, sessionId: string): Promise<{ tools: Tool[]; complete: boolean }> {
    let view = this.view(state, endpoint);
    if (view.uncached.length > 0) {
      const down = view.uncached.filter(isKnownDown);
      if (down.length > 0) void this.discover(state, down, sessionId, 0);
      await this.discover(state, view.uncached.filter((s) => !isKnownDown(s)), sessionId, this.opts.liveDeadlineMs ?? 30_000);
      view = this.view(state, endpoint);
    }
    return { tools: view.tools, complete: view.uncached.length === 0 };
  }

  /** Where a tools/call for `name` goes; undefined for an unknown tool. */
  async route(state: ProjectState, endpoint: EndpointRef, name: string, sessionId: string): Promise<ToolRoute | undefined> {
    let view = this.view(state, endpoint);
    const route = view.routes.get(name);
    if (route || view.uncached.length === 0) return route;
    // A call can arrive before the first list of a server finished (clients cache tool names).
    await this.discover(state, view.uncached, sessionId, 5_000);
    view = this.view(state, endpoint);
    return view.routes.get(name);
  }

  /**
   * Lists a server again because its upstream said list_changed: tools new to the catalogue are
   * recorded (under the project's policy); the caller then reloads the project state.
   */
  async relist(state: ProjectState, server: ServerEntry, sessionId: string): Promise<void> {
    const tools = normalize(await this.opts.pool.listTools(listingOptions(state, server, sessionId)));
    this.live.set(server.id, { tools, policy: state.newToolPolicy });
    this.liveVersion++;
    await insertDiscoveredServerTools(this.opts.db, state.projectId, server.id, tools.map(toDefinition), state.newToolPolicy, new Date());
  }

  private view(state: ProjectState, endpoint: EndpointRef): View {
    const key = endpoint.serverName ?? "";
    let perState = this.views.get(state);
    if (!perState) {
      perState = new Map();
      this.views.set(state, perState);
    }
    const memo = perState.get(key);
    if (memo && memo.liveVersion === this.liveVersion) return memo.view;
    const view = this.build(state, endpoint);
    perState.set(key, { liveVersion: this.liveVersion, view });
    return view;
  }

  private build(state: ProjectState, endpoint: EndpointRef): View {
    const servers = endpoint.serverName === null ? state.servers : [state.byName.get(endpoint.serverName)].filter((s) => s !== undefined);
    const view: View = { tools: [], routes: new Map(), uncached: [] };
    for (const server of servers) {
      const name = (tool: string) => (endpoint.serverName === null ? exposedName(server.name, state.separator, tool) : tool);
      const rows = state.catalogue.get(server.id);
      if (rows && rows.length > 0) {
        this.live.delete(server.id); // the database has it now
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

  private async discover(state: ProjectState, servers: ServerEntry[], sessionId: string, deadlineMs: number): Promise<void> {
    const now = Date.now();
    const pending = servers
      .filter((s) => this.listing.has(s.id) || now - (this.failedAt.get(s.id) ?? Number.NEGATIVE_INFINITY) > (this.opts.retryMs ?? 15_000))
      .map((s) => this.listing.get(s.id) ?? this.listLive(state, s, sessionId));
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(pending), new Promise((resolve) => (timer = setTimeout(resolve, deadlineMs)))]);
    clearTimeout(timer);
  }

  private listLive(state: ProjectState, server: ServerEntry, sessionId: string): Promise<void> {
    const running = this.listing.get(server.id);
    if (running) return running;
    const job = this.opts.pool
      .listTools(listingOptions(state, server, sessionId))
      .then((listed) => {
        const tools = normalize(listed);
        this.live.set(server.id, { tools, policy: state.newToolPolicy });
        this.failedAt.delete(server.id);
        this.liveVersion++;
        this.opts.onLiveListed?.(state.projectId, server.id);
        insertDiscoveredServerTools(this.opts.db, state.projectId, server.id, tools.map(toDefinition), state.newToolPolicy, new Date()).catch((e: unknown) =>
          this.opts.onError?.(e, "recording discovered tools"),
        );
      })
      .catch((e: unknown) => {
        this.failedAt.set(server.id, Date.now());
        this.opts.onError?.(e, `listing tools of ${server.name}`);
      })
      .finally(() => this.listing.delete(server.id));
    this.listing.set(server.id, job);
    return job;
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
