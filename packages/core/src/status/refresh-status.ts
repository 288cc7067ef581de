/**
 * `refresh-server-status`: probes every enabled server in scope with bounded concurrency and
 * records status, catalogue and events for each. A server that fails is a result, not an
 * exception: the run only throws when the database itself fails.
 */
import { getServer, listEnabledServers, listProjectIdsWithEnabledServers, type Database, type McpServer, type WorkerRunError } from "@switchyard/db";
import type { ServerStatus } from "@switchyard/shared";
import { forEachWithConcurrency } from "./concurrency";
import { classifyProbe, type ProbeTimeouts, type ServerProbe } from "./probe-result";
import { recordInstalling, recordProbe } from "./record-probe";

export type RefreshScope = { kind: "all" } | { kind: "project"; projectId: string } | { kind: "server"; projectId: string; serverId: string };

export interface RefreshOptions extends Partial<ProbeTimeouts> {
  /** Stdio servers probed at once (default 8): each probe spawns a process. */
  concurrency?: number;
  /**
   * Remote servers probed at once (default 32): a probe of a remote server is a few sockets that
   * mostly wait, and a dead host holds its slot for the whole connect timeout.
   */
  remoteConcurrency?: number;
  /** A full answer slower than this marks the server degraded (default 5000 ms). */
  slowMs?: number;
  onProgress?: (progress: RefreshProgress) => Promise<void> | void;
}

export const REFRESH_DEFAULTS = { concurrency: 8, remoteConcurrency: 32, connectTimeoutMs: 10_000, callTimeoutMs: 10_000, slowMs: 5_000 } as const;

/** Upstream error texts are the upstream's to choose: bound what a run row keeps. */
const MAX_ERROR_LENGTH = 500;

type Counted = Exclude<ServerStatus, "unknown" | "installing">;

export interface RefreshProgress extends Record<Counted, number> {
  total: number;
  done: number;
}

export interface RefreshSummary extends RefreshProgress {
  errors: WorkerRunError[];
  durationMs: number;
}

export interface StatusDeps {
  db: Database;
  probe: ServerProbe;
  /** A server's tool catalogue changed (after commit): gateways reload the project, sessions hear list_changed. */
  catalogueChanged?: (projectId: string, serverId: string) => Promise<void>;
}

async function targets(db: Database, scope: RefreshScope): Promise<McpServer[]> {
  if (scope.kind === "server") {
    const server = await getServer(db, scope.projectId, scope.serverId);
    return server?.enabled ? [server] : [];
  }
  const projectIds = scope.kind === "project" ? [scope.projectId] : await listProjectIdsWithEnabledServers(db);
  const servers: McpServer[] = [];
  for (const projectId of projectIds) servers.push(...(await listEnabledServers(db, projectId)));
  return servers;
}

/** Likely-slow servers first (unreachable last time, then by last latency): the run ends sooner. */
function slowestFirst(servers: McpServer[]): McpServer[] {
  const weight = (s: McpServer) => (s.status === "offline" || s.status === "error" ? 1e9 : 0) + (s.statusLatencyMs ?? 0);
  return [...servers].sort((a, b) => weight(b) - weight(a));
}

function bounded(message: string): string {
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message;
}

type ServerOutcome =
  | { kind: "recorded"; status: Counted; error: string | null }
  /** Deleted or reconfigured mid-run: the result describes something that no longer exists. */
  | { kind: "skipped" }
  | { kind: "unrecorded"; error: unknown };

async function refreshOne(deps: StatusDeps, server: McpServer, timeouts: ProbeTimeouts, slowMs: number): Promise<ServerOutcome> {
  let installing: Promise<void> | undefined;
  const onInstalling = () => {
    // Advisory, like progress: a failed write only means the console shows the old status a while longer.
    installing = recordInstalling(deps.db, server, new Date()).catch(() => undefined);
  };
  const result = await deps.probe(server, { ...timeouts, callTimeoutMs: Math.min(timeouts.callTimeoutMs, server.timeoutMs) }, { onInstalling });
  await installing;
  const verdict = classifyProbe(result, slowMs);
  try {
    const outcome = await recordProbe(deps.db, server, result, verdict, new Date());
    if (outcome === "catalogue_changed") await deps.catalogueChanged?.(server.projectId, server.id).catch(() => undefined);
    return outcome === "recorded" || outcome === "catalogue_changed" ? { kind: "recorded", ...verdict } : { kind: "skipped" };
  } catch (error) {
    return { kind: "unrecorded", error };
  }
}

export async function refreshServerStatus(deps: StatusDeps, scope: RefreshScope, options: RefreshOptions = {}): Promise<RefreshSummary> {
  const started = Date.now();
  const slowMs = options.slowMs ?? REFRESH_DEFAULTS.slowMs;
  // The server's own timeout caps the call timeout, so a server configured tighter is held to it.
  const timeouts: ProbeTimeouts = {
    connectTimeoutMs: options.connectTimeoutMs ?? REFRESH_DEFAULTS.connectTimeoutMs,
    callTimeoutMs: options.callTimeoutMs ?? REFRESH_DEFAULTS.callTimeoutMs,
  };
  const servers = slowestFirst(await targets(deps.db, scope));
  const progress: RefreshProgress = { total: servers.length, done: 0, online: 0, degraded: 0, offline: 0, error: 0 };
  const errors: WorkerRunError[] = [];
  const unrecorded: unknown[] = [];
  // Progress is advisory (the console polls it): a failure to publish it never fails the run.
  const report = async () => {
    try {
      await options.onProgress?.({ ...progress });
    } catch {
      /* the queue backend is briefly unreachable; the next report will carry the count */
    }
  };
  const visit = async (server: McpServer): Promise<void> => {
    const outcome = await refreshOne(deps, server, timeouts, slowMs);
    progress.done += 1;
    if (outcome.kind === "recorded") {
      progress[outcome.status] += 1;
      if (outcome.status !== "online") errors.push({ serverId: server.id, message: bounded(`${server.name}: ${outcome.error ?? ""}`) });
    } else if (outcome.kind === "unrecorded") {
      // One server's odd data must not stop the others; if every write fails, the database is the problem.
      unrecorded.push(outcome.error);
      errors.push({ serverId: server.id, message: bounded(`${server.name}: could not record the result: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`) });
    }
    await report();
  };
  await report();
  // Two pools side by side: process spawns are bounded tighter than network waits.
  await Promise.all([
    forEachWithConcurrency(servers.filter((s) => s.transport === "stdio"), options.concurrency ?? REFRESH_DEFAULTS.concurrency, visit),
    forEachWithConcurrency(servers.filter((s) => s.transport !== "stdio"), options.remoteConcurrency ?? REFRESH_DEFAULTS.remoteConcurrency, visit),
  ]);
  if (servers.length > 0 && unrecorded.length === servers.length) throw unrecorded[0];
  return { ...progress, errors, durationMs: Date.now() - started };
}
