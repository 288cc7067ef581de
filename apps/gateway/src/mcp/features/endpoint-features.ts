/**
 * Everything an endpoint serves besides tools: its capabilities (a server's own, or the union of
 * the project's servers), its prompts, resources and resource templates from the catalogue
 * (feature-catalogue.ts) with one gateway cursor across servers (list-cursor.ts), and where each
 * routes. See docs/ARCHITECTURE.md, "Prompts, resources and server requests".
 */
import { type ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { exposedName } from "@switchyard/shared";
import { z } from "zod";
import type { FeatureCatalogue, FeatureList, FeatureView, Item } from "./feature-catalogue";
import type { ListCursors } from "./list-cursor";
import type { UpstreamCallOptions, UpstreamPoolPort } from "../ports";
import { isKnownDown, type ProjectState, type ServerEntry } from "../projects/project-state";
import type { Session } from "../sessions/session";
import { listingOptions } from "../tools/tool-catalogue";
import { JSONRPC, JsonRpcError } from "../jsonrpc-errors";

export type { FeatureList } from "./feature-catalogue";

export const passthroughResult = z.looseObject({});

export interface FeatureDeps {
  pool: Pick<UpstreamPoolPort, "serverInfo">;
  catalogue: FeatureCatalogue;
  cursors: ListCursors;
  /** How long to wait for a never-seen server's capabilities (its connect timeout). */
  connectTimeoutMs?: number;
}

export class EndpointFeatures {
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

  /**
   * One page of a list across the endpoint's servers; `cursor` is the gateway's (a server and a
   * page of its list). A page holds the rest of one server's page and the first pages of the
   * servers after it, up to the first that has more: the pages the upstreams themselves gave.
   */
  async list(state: ProjectState, session: Session, list: FeatureList, cursor: string | undefined): Promise<{ items: Item[]; nextCursor?: string }> {
    const endpointKey = `${session.endpoint.projectId}:${session.endpoint.serverName ?? ""}`;
    const servers = (await this.view(state, session)).lists[list];
    let start = 0;
    let pageIndex = 0;
    if (cursor !== undefined) {
      const position = this.deps.cursors.decode(list, endpointKey, cursor);
      const index = Number(position?.upstreamCursor ?? 0);
      if (!position || !Number.isSafeInteger(index) || index < 0) throw new JsonRpcError(JSONRPC.invalidParams, "invalid cursor");
      start = servers.findIndex((s) => s.server.id === position.serverId);
      // The server left the endpoint since: the list goes on with nothing more from it.
      if (start < 0) return { items: [] };
      pageIndex = index;
    }
    const items: Item[] = [];
    for (let i = start; i < servers.length; i++, pageIndex = 0) {
      const { server, pages } = servers[i] as (typeof servers)[number];
      items.push(...(pages[pageIndex] ?? []));
      if (pageIndex + 1 < pages.length) return { items, nextCursor: this.deps.cursors.encode(list, endpointKey, { serverId: server.id, upstreamCursor: String(pageIndex + 1) }) };
    }
    return { items };
  }

  /** The server and upstream name of an exposed prompt name; undefined when no server has it. */
  async routePrompt(state: ProjectState, session: Session, exposed: string): Promise<{ server: ServerEntry; name: string } | undefined> {
    if (session.endpoint.serverName !== null) {
      const server = this.servers(state, session)[0];
      return server ? { server, name: exposed } : undefined;
    }
    const known = this.deps.catalogue.view(state, session.endpoint).prompts.get(exposed);
    if (known) return known;
    for (const server of state.servers) {
      const prefix = `${server.name}${state.separator}`;
      if (exposed.startsWith(prefix) && exposedName(server.name, state.separator, exposed.slice(prefix.length)) === exposed) return { server, name: exposed.slice(prefix.length) };
    }
    // A cut (hashed) name of a server never listed: only its listing knows the full one.
    return (await this.view(state, session)).prompts.get(exposed);
  }

  /** The server owning a resource URI (a listed resource, else a matching template). */
  async routeUri(state: ProjectState, session: Session, uri: string): Promise<ServerEntry | undefined> {
    if (session.endpoint.serverName !== null) return this.servers(state, session)[0];
    return lookupUri(this.deps.catalogue.view(state, session.endpoint), uri) ?? lookupUri(await this.view(state, session), uri);
  }

  /** The server owning a resource template (completion of its arguments). */
  async routeTemplate(state: ProjectState, session: Session, uriTemplate: string): Promise<ServerEntry | undefined> {
    if (session.endpoint.serverName !== null) return this.servers(state, session)[0];
    const known = this.deps.catalogue.view(state, session.endpoint).templates.get(uriTemplate);
    return known?.server ?? (await this.view(state, session)).templates.get(uriTemplate)?.server;
  }

  callOptions(state: ProjectState, server: ServerEntry, session: Session, extra: Partial<UpstreamCallOptions> = {}): UpstreamCallOptions {
    const caps = session.clientCapabilities;
    return { projectId: state.projectId, serverId: server.id, sessionId: session.id, ...(caps ? { clientCapabilities: caps } : {}), ...extra };
  }

  private view(state: ProjectState, session: Session): Promise<FeatureView> {
    return this.deps.catalogue.ready(state, session.endpoint, session.id);
  }
}

function lookupUri(view: FeatureView, uri: string): ServerEntry | undefined {
  const direct = view.resources.get(uri);
  if (direct) return direct;
  for (const { server, match } of view.templates.values()) if (match.test(uri)) return server;
  return undefined;
}
