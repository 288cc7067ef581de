/**
 * The prompts, resources and resource templates an endpoint shows, and where each routes. Lists
 * come from the cached catalogue (`server_features`, kept by the worker's status refresh and held
 * in the project state), in each upstream's own pages, without spawning anything. A server never
 * listed is listed live through the pool, by the rule the tool catalogue follows too
 * (live-listings.ts: the first listing waits for it, servers known to be down are not waited for).
 * Live results are recorded in `server_features` unless the refresh was first.
 * Naming on the project endpoint: prompts as `{server}{sep}{name}` (the tool rule); URIs and
 * templates unchanged, the first server by name owning one that two servers expose.
 */
import { ErrorCode, type Prompt, type Resource, type ResourceTemplate } from "@modelcontextprotocol/sdk/types.js";
import { insertDiscoveredServerFeatures, upsertServerFeatures, type Database, type FeatureLists, type FeaturePage } from "@switchyard/db";
import { exposedName } from "@switchyard/shared";
import { z } from "zod";
import type { UpstreamPoolPort } from "../ports";
import type { ProjectState, ServerEntry } from "../projects/project-state";
import { LiveListings, type LiveListingTimings } from "../live-listings";
import { listingOptions, type EndpointRef } from "../tools/tool-catalogue";
import { UpstreamError } from "../jsonrpc-errors";

export type FeatureList = keyof FeatureLists;
export type Item = Prompt | Resource | ResourceTemplate;

export const FEATURE_LISTS: readonly FeatureList[] = ["prompts", "resources", "resourceTemplates"];
const LIST_METHOD: Record<FeatureList, string> = { prompts: "prompts/list", resources: "resources/list", resourceTemplates: "resources/templates/list" };
const CAPABILITY: Record<FeatureList, "prompts" | "resources"> = { prompts: "prompts", resources: "resources", resourceTemplates: "resources" };
/** Pages of one list followed before giving up on a server (one looping on cursors). */
const MAX_PAGES = 100;

/** Results pass through as the upstream sent them: only the envelope is checked. */
const pageSchema = z.looseObject({
  prompts: z.array(z.looseObject({ name: z.string() })).optional(),
  resources: z.array(z.looseObject({ uri: z.string() })).optional(),
  resourceTemplates: z.array(z.looseObject({ uriTemplate: z.string() })).optional(),
  nextCursor: z.string().optional(),
});

export interface FeatureView {
  /** Per list, each server's pages as the endpoint shows them. */
  lists: Record<FeatureList, { server: ServerEntry; pages: Item[][] }[]>;
  /** Exposed prompt name → server and upstream name. */
  prompts: Map<string, { server: ServerEntry; name: string }>;
  /** URI → owning server. */
  resources: Map<string, ServerEntry>;
  /** URI template → owning server, with its matcher. */
  templates: Map<string, { server: ServerEntry; match: RegExp }>;
  /** Servers of the endpoint with neither a cached nor a live catalogue yet. */
  uncached: ServerEntry[];
}

export interface FeatureCatalogueOptions extends LiveListingTimings {
  pool: Pick<UpstreamPoolPort, "request" | "serverInfo">;
  db: Database;
}

export class FeatureCatalogue {
  private readonly live: LiveListings<FeatureLists, FeatureView>;
  /** What live listings found, kept until a state holding the server's row was compared (changed()). */
  private readonly listedLive = new Map<string, FeatureLists>();

  constructor(private readonly opts: FeatureCatalogueOptions) {
    this.live = new LiveListings<FeatureLists, FeatureView>({
      ...opts,
      what: "prompts and resources",
      recordContext: "recording discovered prompts and resources",
      list: (state, server, sessionId) => this.listAll(state, server, sessionId),
      record: (state, server, lists) => {
        this.listedLive.set(server.id, lists);
        return insertDiscoveredServerFeatures(opts.db, state.projectId, server.id, lists, new Date());
      },
    });
  }

  /** The endpoint's view once its never-listed servers were listed (or their wait ran out). */
  async ready(state: ProjectState, endpoint: EndpointRef, sessionId: string): Promise<FeatureView> {
    let view = this.view(state, endpoint);
    if (view.uncached.length === 0) return view;
    await this.live.first(state, view.uncached, sessionId);
    view = this.view(state, endpoint);
    return view;
  }

  /** The endpoint's view as it is now (never-listed servers absent). */
  view(state: ProjectState, endpoint: EndpointRef): FeatureView {
    return this.live.view(state, endpoint.serverName ?? "", () => this.build(state, endpoint));
  }

  /** Calls `notify` for each server whose prompts, or resources and templates, differ between two states. */
  changed(previous: ProjectState, next: ProjectState, notify: (kind: "prompts" | "resources", serverId: string) => void): void {
    for (const id of changedServers(previous, next, "prompts", this.listedLive)) notify("prompts", id);
    const resources = [...changedServers(previous, next, "resources", this.listedLive), ...changedServers(previous, next, "resourceTemplates", this.listedLive)];
    for (const id of new Set(resources)) notify("resources", id);
    for (const id of next.features.keys()) this.listedLive.delete(id);
  }

  /**
   * Lists a server again because its upstream said list_changed, and records what it found; the
   * caller then reloads the project state.
   */
  async relist(state: ProjectState, server: ServerEntry, sessionId: string): Promise<void> {
    const lists = await this.listAll(state, server, sessionId);
    this.live.set(server.id, lists);
    this.listedLive.set(server.id, lists);
    await upsertServerFeatures(this.opts.db, state.projectId, server.id, lists, new Date());
  }

  private build(state: ProjectState, endpoint: EndpointRef): FeatureView {
    const aggregate = endpoint.serverName === null;
    const servers = endpoint.serverName === null ? state.servers : [state.byName.get(endpoint.serverName)].filter((s) => s !== undefined);
    const view: FeatureView = { lists: { prompts: [], resources: [], resourceTemplates: [] }, prompts: new Map(), resources: new Map(), templates: new Map(), uncached: [] };
    for (const server of servers) {
      const cached = state.features.get(server.id);
      if (cached) this.live.forget(server.id); // the database has it now
      const lists = cached ?? this.live.get(server.id);
      if (!lists) {
        view.uncached.push(server);
        continue;
      }
      const shown = (page: FeaturePage, show: (item: Record<string, unknown>) => Item | undefined) => page.map(show).filter((i) => i !== undefined);
      view.lists.prompts.push({
        server,
        pages: lists.prompts.map((page) =>
          shown(page, (item) => {
            const prompt = item as Prompt;
            const exposed = aggregate ? exposedName(server.name, state.separator, prompt.name) : prompt.name;
            if (!view.prompts.has(exposed)) view.prompts.set(exposed, { server, name: prompt.name });
            return aggregate ? { ...prompt, name: exposed } : prompt;
          }),
        ),
      });
      view.lists.resources.push({
        server,
        pages: lists.resources.map((page) =>
          shown(page, (item) => {
            const { uri } = item as Resource;
            const owner = view.resources.get(uri);
            if (owner && owner.id !== server.id) return undefined;
            view.resources.set(uri, server);
            return item as Resource;
          }),
        ),
      });
      view.lists.resourceTemplates.push({
        server,
        pages: lists.resourceTemplates.map((page) =>
          shown(page, (item) => {
            const { uriTemplate } = item as ResourceTemplate;
            const owner = view.templates.get(uriTemplate);
            if (owner && owner.server.id !== server.id) return undefined;
            view.templates.set(uriTemplate, { server, match: templateMatcher(uriTemplate) });
            return item as ResourceTemplate;
          }),
        ),
      });
    }
    return view;
  }

  /** Every page of the lists the server offers (by its capabilities), as one server, whoever asks. */
  private async listAll(state: ProjectState, server: ServerEntry, sessionId: string): Promise<FeatureLists> {
    const options = listingOptions(state, server, sessionId);
    const offered = server.row.serverInfo?.capabilities ?? (await this.opts.pool.serverInfo(options)).capabilities;
    const lists = await Promise.all(FEATURE_LISTS.map((list) => (offered[CAPABILITY[list]] ? this.pages(options, list) : Promise.resolve([]))));
    return { prompts: lists[0] ?? [], resources: lists[1] ?? [], resourceTemplates: lists[2] ?? [] };
  }

  private async pages(options: ReturnType<typeof listingOptions>, list: FeatureList): Promise<FeaturePage[]> {
    const pages: FeaturePage[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      let page: z.infer<typeof pageSchema>;
      try {
        page = await this.opts.pool.request(options, { method: LIST_METHOD[list], params: cursor !== undefined ? { cursor } : {} }, pageSchema);
      } catch (e) {
        // A server declaring resources without templates answers "method not found": it has none.
        if (n === 0 && e instanceof UpstreamError && e.kind === "protocol" && e.code === (ErrorCode.MethodNotFound as number)) return [];
        throw e;
      }
      pages.push(page[list] ?? []);
      cursor = page.nextCursor;
      if (cursor === undefined) return pages;
    }
    throw new Error(`${LIST_METHOD[list]}: more than ${MAX_PAGES} pages`);
  }
}

/**
 * The servers whose `list` an endpoint may show differently in `next` than in `previous`: added,
 * removed or renamed, or listing something else (every server when the separator changed).
 */
export function changedServers(previous: ProjectState, next: ProjectState, list: FeatureList, listedLive: ReadonlyMap<string, FeatureLists> = new Map()): string[] {
  const ids = new Set([...previous.byId.keys(), ...next.byId.keys()]);
  return [...ids].filter((id) => {
    const before = previous.byId.get(id);
    const after = next.byId.get(id);
    if (!before || !after || before.name !== after.name || previous.separator !== next.separator) return true;
    // A first row that holds what this gateway listed live (and announced then) is no news.
    const shown = previous.features.get(id) ?? listedLive.get(id);
    return JSON.stringify(shown?.[list]) !== JSON.stringify(next.features.get(id)?.[list]);
  });
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
