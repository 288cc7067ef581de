/**
 * Everything an endpoint serves besides tools: its capabilities (a server's own, or the union of
 * the project's servers), and its prompts, resources and resource templates, listed live from the
 * upstreams that offer them, with one gateway cursor across them (list-cursor.ts), and routed back:
 * - prompts are named like tools on the project endpoint (`{server}{sep}{name}`, same cut rule);
 * - resource URIs and templates are passed unchanged; when two servers of a project expose the same
 *   URI (or template), the first server by name owns it and the other's is left out of the list.
 * See docs/ARCHITECTURE.md, "Prompts, resources and server requests".
 */
import { type Prompt, type Resource, type ResourceTemplate, type ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { exposedName } from "@switchyard/shared";
import { z } from "zod";
import type { ListCursors } from "./list-cursor";
import type { UpstreamCallOptions, UpstreamPoolPort } from "../ports";
import { isKnownDown, type ProjectState, type ServerEntry } from "../projects/project-state";
import type { Session } from "../sessions/session";
import { listingOptions } from "../tools/tool-catalogue";
import { JSONRPC, JsonRpcError } from "../jsonrpc-errors";

export type FeatureList = "prompts" | "resources" | "resourceTemplates";

const LIST_METHOD: Record<FeatureList, string> = { prompts: "prompts/list", resources: "resources/list", resourceTemplates: "resources/templates/list" };
const CAPABILITY: Record<FeatureList, "prompts" | "resources"> = { prompts: "prompts", resources: "resources", resourceTemplates: "resources" };

/** Results pass through as the upstream sent them: only the envelope is checked. */
const pageSchema = z.looseObject({
  prompts: z.array(z.looseObject({ name: z.string() })).optional(),
  resources: z.array(z.looseObject({ uri: z.string() })).optional(),
  resourceTemplates: z.array(z.looseObject({ uriTemplate: z.string() })).optional(),
  nextCursor: z.string().optional(),
});
export const passthroughResult = z.looseObject({});

type Item = Prompt | Resource | ResourceTemplate;

export interface FeatureDeps {
  pool: Pick<UpstreamPoolPort, "request" | "serverInfo">;
  cursors: ListCursors;
  /** How long to wait for a never-seen server's capabilities (its connect timeout). */
  connectTimeoutMs?: number;
  onError?: (e: unknown, context: string) => void;
}

interface Routes {
  /** exposed prompt name → server and upstream name */
  prompts: Map<string, { server: ServerEntry; name: string }>;
  /** URI → owning server */
  resources: Map<string, ServerEntry>;
  /** URI template → owning server, with its matcher */
  templates: Map<string, { server: ServerEntry; match: RegExp }>;
}

export class EndpointFeatures {
  /** Routes learnt from listings, per project state (a new state starts afresh). */
  private readonly routes = new WeakMap<ProjectState, Routes>();

  constructor(private readonly deps: FeatureDeps) {}

  /** The servers an endpoint shows. */
  servers(state: ProjectState, session: Session): readonly ServerEntry[] {
    const name = session.endpoint.serverName;
    if (name === null) return state.servers;
    const one = state.byName.get(name);
    return one ? [one] : [];
  }

  /** A server's capabilities: from its last probe, else from a connection (bounded); undefined when unknown. */
  async serverCapabilities(state: ProjectState, server: ServerEntry, session: Session): Promise<ServerCapabilities | undefined> {
    const known = server.row.serverInfo?.capabilities;
    if (known) return known;
    if (isKnownDown(server)) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.deps.connectTimeoutMs ?? 30_000)));
    // Asked the way the catalogue is listed: a per_session server's own upstream for this session
    // starts only once its client has said, at initialize, what it can be asked.
    const live = this.deps.pool
      .serverInfo(listingOptions(state, server, session.id))
      .then((info) => info.capabilities as ServerCapabilities)
      .catch(() => undefined);
    try {
      return await Promise.race([live, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * What the endpoint declares at initialize: tools always (servers may be added later), and
   * prompts, resources, completions and logging when one of its servers offers them.
   */
  async capabilities(state: ProjectState | null, session: Session): Promise<ServerCapabilities> {
    const caps: ServerCapabilities = { tools: { listChanged: true } };
    if (!state) return caps;
    const all = await Promise.all(this.servers(state, session).map((s) => this.serverCapabilities(state, s, session)));
    for (const c of all) {
      if (!c) continue;
      if (c.prompts) caps.prompts = { listChanged: true };
      if (c.resources) caps.resources = { listChanged: true, ...(c.resources.subscribe || caps.resources?.subscribe ? { subscribe: true } : {}) };
      if (c.completions) caps.completions = {};
      if (c.logging) caps.logging = {};
    }
    return caps;
  }

  /** One page of a list across the endpoint's servers offering it; `cursor` is the gateway's. */
  async list(state: ProjectState, session: Session, list: FeatureList, cursor: string | undefined): Promise<{ items: Item[]; nextCursor?: string }> {
    const endpointKey = `${session.endpoint.projectId}:${session.endpoint.serverName ?? ""}`;
    const servers = await this.offering(state, session, CAPABILITY[list]);
    let start = 0;
    let upstreamCursor: string | undefined;
    if (cursor !== undefined) {
      const position = this.deps.cursors.decode(list, endpointKey, cursor);
      if (!position) throw new JsonRpcError(JSONRPC.invalidParams, "invalid cursor");
      start = servers.findIndex((s) => s.id === position.serverId);
      // The server left the endpoint since: the list goes on with nothing more from it.
      if (start < 0) return { items: [] };
      upstreamCursor = position.upstreamCursor;
    }
    // First pages of the remaining servers are asked at once; the page ends at the first that has more.
    const pages = servers.slice(start).map((server, i) =>
      this.deps.pool
        .request(this.callOptions(state, server, session), { method: LIST_METHOD[list], params: i === 0 && upstreamCursor !== undefined ? { cursor: upstreamCursor } : {} }, pageSchema)
        .catch((e: unknown) => {
          // One unavailable server must not take the others' items away.
          this.deps.onError?.(e, `listing ${list} of ${server.name}`);
          return undefined;
        }),
    );
    const items: Item[] = [];
    const routes = this.routesOf(state);
    for (const [i, server] of servers.slice(start).entries()) {
      const page = await pages[i];
      if (!page) continue;
      for (const item of (page[list] ?? []) as Item[]) {
        const shown = this.learn(state, session, routes, list, server, item);
        if (shown) items.push(shown);
      }
      if (page.nextCursor !== undefined) {
        return { items, nextCursor: this.deps.cursors.encode(list, endpointKey, { serverId: server.id, upstreamCursor: page.nextCursor }) };
      }
    }
    return { items };
  }

  /** The server and upstream name of an exposed prompt name; undefined when no server has it. */
  async routePrompt(state: ProjectState, session: Session, exposed: string): Promise<{ server: ServerEntry; name: string } | undefined> {
    if (session.endpoint.serverName !== null) {
      const server = this.servers(state, session)[0];
      return server ? { server, name: exposed } : undefined;
    }
    const known = this.routesOf(state).prompts.get(exposed);
    if (known) return known;
    for (const server of state.servers) {
      const prefix = `${server.name}${state.separator}`;
      if (exposed.startsWith(prefix) && exposedName(server.name, state.separator, exposed.slice(prefix.length)) === exposed) return { server, name: exposed.slice(prefix.length) };
    }
    // A cut (hashed) name: only a listing knows the full one.
    await this.listAll(state, session, "prompts");
    return this.routesOf(state).prompts.get(exposed);
  }

  /** The server owning a resource URI (a listed resource, else a matching template). */
  async routeUri(state: ProjectState, session: Session, uri: string): Promise<ServerEntry | undefined> {
    const servers = this.servers(state, session);
    if (session.endpoint.serverName !== null) return servers[0];
    const found = this.lookupUri(state, uri);
    if (found) return found;
    await Promise.all([this.listAll(state, session, "resources"), this.listAll(state, session, "resourceTemplates")]);
    return this.lookupUri(state, uri);
  }

  /** The server owning a resource template (completion of its arguments). */
  async routeTemplate(state: ProjectState, session: Session, uriTemplate: string): Promise<ServerEntry | undefined> {
    if (session.endpoint.serverName !== null) return this.servers(state, session)[0];
    const known = this.routesOf(state).templates.get(uriTemplate);
    if (known) return known.server;
    await this.listAll(state, session, "resourceTemplates");
    return this.routesOf(state).templates.get(uriTemplate)?.server;
  }

  callOptions(state: ProjectState, server: ServerEntry, session: Session, extra: Partial<UpstreamCallOptions> = {}): UpstreamCallOptions {
    const caps = session.clientCapabilities;
    return { projectId: state.projectId, serverId: server.id, sessionId: session.id, ...(caps ? { clientCapabilities: caps } : {}), ...extra };
  }

  private lookupUri(state: ProjectState, uri: string): ServerEntry | undefined {
    const routes = this.routesOf(state);
    const direct = routes.resources.get(uri);
    if (direct) return direct;
    for (const { server, match } of routes.templates.values()) if (match.test(uri)) return server;
    return undefined;
  }

  private async listAll(state: ProjectState, session: Session, list: FeatureList): Promise<void> {
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await this.list(state, session, list, cursor);
      cursor = result.nextCursor;
      if (cursor === undefined) return;
    }
  }

  /** Servers that offer `capability` (or whose capabilities are not known yet). */
  private async offering(state: ProjectState, session: Session, capability: "prompts" | "resources"): Promise<ServerEntry[]> {
    const servers = this.servers(state, session);
    const caps = await Promise.all(servers.map((s) => (s.row.serverInfo ? Promise.resolve(s.row.serverInfo.capabilities as ServerCapabilities) : this.serverCapabilities(state, s, session))));
    return servers.filter((_, i) => caps[i]?.[capability] !== undefined);
  }

  private routesOf(state: ProjectState): Routes {
    let routes = this.routes.get(state);
    if (!routes) this.routes.set(state, (routes = { prompts: new Map(), resources: new Map(), templates: new Map() }));
    return routes;
  }

  /** Records where an item routes and gives it as the endpoint shows it (undefined: another server owns it). */
  private learn(state: ProjectState, session: Session, routes: Routes, list: FeatureList, server: ServerEntry, item: Item): Item | undefined {
    const aggregate = session.endpoint.serverName === null;
    if (list === "prompts") {
      const prompt = item as Prompt;
      if (!aggregate) return prompt;
      const exposed = exposedName(server.name, state.separator, prompt.name);
      routes.prompts.set(exposed, { server, name: prompt.name });
      return { ...prompt, name: exposed };
    }
    if (list === "resources") {
      const { uri } = item as Resource;
      const owner = routes.resources.get(uri);
      if (owner && owner.id !== server.id) return undefined;
      routes.resources.set(uri, server);
      return item;
    }
    const { uriTemplate } = item as ResourceTemplate;
    const owner = routes.templates.get(uriTemplate);
    if (owner && owner.server.id !== server.id) return undefined;
    routes.templates.set(uriTemplate, { server, match: templateMatcher(uriTemplate) });
    return item;
  }
}

/**
 * A matcher for URIs an RFC 6570 template expands to: `{var}` is one path segment, `{+var}` and
 * `{#var}` anything, `{?a,b}` / `{&a}` an optional query part.
 */
export function templateMatcher(template: string): RegExp {
  let pattern = "";
  let last = 0;
  for (const m of template.matchAll(/\{([+#?&/;.]?)[^}]*\}/g)) {
    pattern += escape(template.slice(last, m.index));
    const op = m[1];
    pattern += op === "+" || op === "#" ? ".*" : op === "?" || op === "&" ? "(?:[?&].*)?" : op === "/" ? "(?:/[^?#]*)?" : "[^/?#]*";
    last = m.index + m[0].length;
  }
  pattern += escape(template.slice(last));
  return new RegExp(`^${pattern}$`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
