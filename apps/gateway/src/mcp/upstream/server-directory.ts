/**
 * What the pool knows per server: its loaded configuration (cached until the server is invalidated
 * or nothing of it has run for a while) and its health. Keyed by project and server, so a call
 * naming another project's server id never reuses this cache: it goes to `loadServer`, which says
 * not found.
 */
import type { McpServer } from "@switchyard/db";
import type { ServerConfig } from "@switchyard/shared";
import { ServerHealth, type HealthOptions } from "./server-health";
import { UpstreamError } from "../jsonrpc-errors";

export type LoadedServer = { row: McpServer; config: ServerConfig };

export interface ServerEntry {
  key: string;
  projectId: string;
  serverId: string;
  loading?: Promise<LoadedServer>;
  /** What `loading` resolved to, for callers that must not wait. */
  loaded?: LoadedServer;
  health: ServerHealth;
}

export class ServerDirectory {
  private readonly entries = new Map<string, ServerEntry>();

  constructor(
    private readonly loadServer: (projectId: string, serverId: string) => Promise<LoadedServer>,
    private readonly healthOptions: HealthOptions,
  ) {}

  entry(projectId: string, serverId: string): ServerEntry {
    const key = `${projectId}:${serverId}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { key, projectId, serverId, health: new ServerHealth(this.healthOptions) };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** The server's entry if there is one; never creates it. */
  peek(projectId: string, serverId: string): ServerEntry | undefined {
    return this.entries.get(`${projectId}:${serverId}`);
  }

  /** The server's configuration, loaded once however many calls ask at the same time; failures are not cached. */
  async load(entry: ServerEntry): Promise<LoadedServer> {
    entry.loading ??= this.loadServer(entry.projectId, entry.serverId);
    try {
      const loaded = await entry.loading;
      entry.loaded = loaded;
      return loaded;
    } catch (e) {
      entry.loading = undefined;
      throw new UpstreamError("unavailable", `server configuration could not be loaded: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  /** False once the entry was dropped (its server invalidated): what it loaded is stale. */
  isCurrent(entry: ServerEntry): boolean {
    return this.entries.get(entry.key) === entry;
  }

  /** Forgets a server's configuration and health (its configuration changed). */
  drop(serverId: string): void {
    for (const [key, entry] of this.entries) if (entry.serverId === serverId) this.entries.delete(key);
  }

  /** Forgets healthy servers with nothing running (keys in `running` are kept); returns the ones forgotten. */
  evict(running: Set<string>): ServerEntry[] {
    const evicted: ServerEntry[] = [];
    for (const [key, entry] of this.entries) {
      if (running.has(key) || entry.health.state !== "closed" || entry.health.consecutiveFailures > 0) continue;
      this.entries.delete(key);
      evicted.push(entry);
    }
    return evicted;
  }

  openCircuits(): number {
    return [...this.entries.values()].filter((e) => e.health.state !== "closed").length;
  }

  clear(): void {
    this.entries.clear();
  }
}
