/**
 * Everything a project's endpoints need, held in memory: settings, enabled servers with their
 * decrypted configs and log scrub contexts, and the cached tool, prompt and resource catalogues. Served fresh for a few
 * seconds, then served while a background reload runs; while the database is down a state keeps
 * serving until `staleMaxMs` after its last successful load.
 */
import { openServerConfig, serverSecretValues } from "@switchyard/core/servers";
import type { Keyring } from "@switchyard/core/secrets";
import { getProjectById, listEnabledServers, listGatewayCatalogue, listProjectFeatures, type Database, type FeatureLists, type GatewayCatalogueTool, type McpServer } from "@switchyard/db";
import type { NewToolPolicy, ServerConfig } from "@switchyard/shared";
import { JSONRPC, JsonRpcError } from "../jsonrpc-errors";
import type { ScrubContext } from "../ports";

export interface ServerEntry {
  id: string;
  name: string;
  row: McpServer;
  config: ServerConfig;
  /** One object per server and configuration: the log writer caches its compiled scrubber on it. */
  scrub: ScrubContext;
}

export interface ProjectState {
  projectId: string;
  separator: string;
  newToolPolicy: NewToolPolicy;
  /** Enabled servers, by name. */
  servers: readonly ServerEntry[];
  byId: ReadonlyMap<string, ServerEntry>;
  byName: ReadonlyMap<string, ServerEntry>;
  /** Current catalogue rows per server id; a server without rows has no cache yet. */
  catalogue: ReadonlyMap<string, readonly GatewayCatalogueTool[]>;
  /** Prompts, resources and templates per server id, in the upstream's pages; a server without an entry was never listed. */
  features: ReadonlyMap<string, FeatureLists>;
  /** Changes whenever anything a client can see changes (servers, names, tool switches, definitions). */
  signature: string;
  projectUpdatedAt: number;
  /** Scrub context for calls that reach no server (unknown tools): the project's rules only. */
  projectScrub: ScrubContext;
}

/** The last status check found the server unreachable: first listings and initialize do not wait for it. */
export const isKnownDown = (server: ServerEntry): boolean => server.row.status === "offline" || server.row.status === "error";

export class ProjectUnavailableError extends Error {
  override readonly name = "ProjectUnavailableError";
}

export interface ProjectStateOptions {
  db: Database;
  keyring: Keyring;
  maxPayloadBytes?: number;
  freshMs?: number;
  staleMaxMs?: number;
  onError?: (e: unknown) => void;
  now?: () => number;
}

/** A reload found a different state than the one served (servers, tools, prompts or resources changed). */
export type StateChangeListener = (projectId: string, state: ProjectState, previous: ProjectState) => void;

interface Entry {
  state: ProjectState | null;
  loadedAt: number;
  reloading?: Promise<ProjectState | null>;
  failedAt?: number;
}

export class ProjectStates {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  private readonly watchers: StateChangeListener[] = [];

  constructor(private readonly opts: ProjectStateOptions) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * The project's state when it can be served without waiting (fresh, or stale and reloading in
   * the background); undefined when it must be loaded first (`get`).
   */
  loaded(projectId: string): ProjectState | null | undefined {
    const entry = this.entries.get(projectId);
    if (!entry) return undefined;
    const now = this.now();
    const age = now - entry.loadedAt;
    if (age < (this.opts.freshMs ?? 5_000)) return entry.state;
    if (entry.state && age < (this.opts.staleMaxMs ?? 600_000)) {
      // Retry a failed reload at most once a second, not on every request of an outage.
      if (!entry.reloading && (entry.failedAt === undefined || now - entry.failedAt > 1_000)) void this.reload(projectId, entry).catch(() => undefined);
      return entry.state;
    }
    return undefined;
  }

  /** The project's state; null when the project does not exist; throws ProjectUnavailableError when it cannot be known. */
  async get(projectId: string): Promise<ProjectState | null> {
    const served = this.loaded(projectId);
    if (served !== undefined) return served;
    const entry = this.entries.get(projectId);
    try {
      return await this.reload(projectId, entry);
    } catch (e) {
      throw new ProjectUnavailableError(`project ${projectId} cannot be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** `get` for an MCP request: an unavailable project is answered as an internal error the client may retry. */
  forRequest(projectId: string): Promise<ProjectState | null> {
    return this.get(projectId).catch((e: unknown) => {
      if (e instanceof ProjectUnavailableError) throw new JsonRpcError(JSONRPC.internalError, "the project's configuration is unavailable; try again");
      throw e;
    });
  }

  /** The last loaded state without waiting (the upstream pool's loadServer, list_changed fan-out). */
  peek(projectId: string): ProjectState | undefined {
    return this.entries.get(projectId)?.state ?? undefined;
  }

  /** Forgets a project: the next request loads it again (server or settings changed). */
  invalidate(projectId: string): void {
    const entry = this.entries.get(projectId);
    if (entry) entry.loadedAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * Every project reloads in the background on its next use and keeps serving meanwhile (the
   * change feed reconnected: changes may have been missed). Nothing on the request path waits.
   */
  markStale(): void {
    const staleAt = this.now() - (this.opts.freshMs ?? 5_000);
    for (const entry of this.entries.values()) entry.loadedAt = Math.min(entry.loadedAt, staleAt);
  }

  /** Hears every reload that found a different state. */
  watch(listener: StateChangeListener): void {
    this.watchers.push(listener);
  }

  /**
   * Reloads now and reports a change to the watchers; for change notifications from the console or
   * worker. A reload already running may have read before the change, so a fresh one follows it.
   */
  async refresh(projectId: string): Promise<void> {
    await this.entries.get(projectId)?.reloading?.catch(() => undefined);
    await this.reload(projectId, this.entries.get(projectId));
  }

  private reload(projectId: string, existing: Entry | undefined): Promise<ProjectState | null> {
    if (existing?.reloading) return existing.reloading;
    const entry: Entry = existing ?? { state: null, loadedAt: Number.NEGATIVE_INFINITY };
    if (!existing) this.entries.set(projectId, entry);
    const previous = entry.state;
    entry.reloading = this.load(projectId, previous)
      .then((state) => {
        entry.state = state;
        entry.loadedAt = this.now();
        entry.failedAt = undefined;
        if (previous && state && previous.signature !== state.signature) for (const watcher of this.watchers) watcher(projectId, state, previous);
        if (!state && !previous) this.entries.delete(projectId);
        return state;
      })
      .catch((e: unknown) => {
        entry.failedAt = this.now();
        if (!entry.state) this.entries.delete(projectId);
        this.opts.onError?.(e);
        throw e;
      })
      .finally(() => {
        entry.reloading = undefined;
      });
    return entry.reloading;
  }

  private async load(projectId: string, previous: ProjectState | null): Promise<ProjectState | null> {
    const { db, keyring } = this.opts;
    const [project, rows, tools, featureRows] = await Promise.all([getProjectById(db, projectId), listEnabledServers(db, projectId), listGatewayCatalogue(db, projectId), listProjectFeatures(db, projectId)]);
    if (!project) return null;
    const projectUpdatedAt = project.updatedAt.getTime();
    const servers = rows.map((row): ServerEntry => {
      // Unchanged server and settings: keep the config and scrub context, so configs are not
      // decrypted again and the writer's compiled scrubber (cached per scrub object) stays warm;
      // the row is the new one (status and server info move without a config change).
      const before = previous?.byId.get(row.id);
      if (before && previous?.projectUpdatedAt === projectUpdatedAt && before.row.updatedAt.getTime() === row.updatedAt.getTime()) return { ...before, row };
      const config = openServerConfig(keyring, row);
      return {
        id: row.id,
        name: row.name,
        row,
        config,
        scrub: {
          secrets: serverSecretValues(config),
          rules: project.redactionRules,
          policy: project.logPayloadPolicy,
          ...(this.opts.maxPayloadBytes ? { maxPayloadBytes: this.opts.maxPayloadBytes } : {}),
        },
      };
    });
    const catalogue = new Map<string, GatewayCatalogueTool[]>();
    for (const tool of tools) {
      const list = catalogue.get(tool.serverId);
      if (list) list.push(tool);
      else catalogue.set(tool.serverId, [tool]);
    }
    const features = new Map(featureRows.map(({ serverId, ...lists }) => [serverId, lists]));
    const signature = JSON.stringify([project.toolSeparator, rows.map((r) => [r.id, r.name, r.updatedAt.getTime()]), tools, featureRows]);
    return {
      projectId,
      separator: project.toolSeparator,
      newToolPolicy: project.newToolPolicy,
      servers,
      byId: new Map(servers.map((s) => [s.id, s])),
      byName: new Map(servers.map((s) => [s.name, s])),
      catalogue,
      features,
      signature,
      projectUpdatedAt,
      projectScrub:
        previous?.projectUpdatedAt === projectUpdatedAt
          ? previous.projectScrub
          : { secrets: [], rules: project.redactionRules, policy: project.logPayloadPolicy, ...(this.opts.maxPayloadBytes ? { maxPayloadBytes: this.opts.maxPayloadBytes } : {}) },
    };
  }
}
