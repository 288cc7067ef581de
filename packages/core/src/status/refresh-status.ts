/**
 * `refresh-server-status`: probes every enabled server in scope with bounded concurrency and
 * records status, catalogue and events for each. A server that fails is a result, not an
 * exception: the run only throws when the database itself fails.
 */
import { getServer, listEnabledServers, listProjectIdsWithEnabledServers, type Database, type McpServer, type WorkerRunError } from "@switchyard/db";
import type { ServerStatus } from "@switchyard/shared";
import { forEachWithConcurrency } from "./concurrency";
import { classifyProbe, type ProbeTimeouts, type ServerProbe } from "./probe-result";
import { recordProbe } from "./record-probe";

export type RefreshScope = { kind: "all" } | { kind: "project"; projectId: string } | { kind: "server"; projectId: string; serverId: string };

export interface RefreshOptions extends Partial<ProbeTimeouts> {
  /** Servers probed at once (default 8). */
  concurrency?: number;
  /** A full answer slower than this marks the server degraded (default 5000 ms). */
  slowMs?: number;
  onProgress?: (progress: RefreshProgress) => Promise<void> | void;
}

export const REFRESH_DEFAULTS = { concurrency: 8, connectTimeoutMs: 10_000, callTimeoutMs: 10_000, slowMs: 5_000 } as const;

/** Upstream error texts are the upstream's to choose: bound what a run row keeps. */
const MAX_ERROR_LENGTH = 500;

type Counted = Exclude<ServerStatus, "unknown">;

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

export async function refreshServerStatus(deps: StatusDeps, scope: RefreshScope, options: RefreshOptions = {}): Promise<RefreshSummary> {
  const started = Date.now();
  const slowMs = options.slowMs ?? REFRESH_DEFAULTS.slowMs;
  const connectTimeoutMs = options.connectTimeoutMs ?? REFRESH_DEFAULTS.connectTimeoutMs;
  const callTimeoutMs = options.callTimeoutMs ?? REFRESH_DEFAULTS.callTimeoutMs;
  const servers = slowestFirst(await targets(deps.db, scope));
  const progress: RefreshProgress = { total: servers.length, done: 0, online: 0, degraded: 0, offline: 0, error: 0 };
  const errors: WorkerRunError[] = [];
  let recordFailures = 0;
  let firstRecordFailure: unknown;
  // Progress is advisory (the console polls it): a failure to publish it never fails the run.
  const report = async () => {
    try {
      await options.onProgress?.({ ...progress });
    } catch {
      /* the queue backend is briefly unreachable; the next report will carry the count */
    }
  };
  await report();
  await forEachWithConcurrency(servers, options.concurrency ?? REFRESH_DEFAULTS.concurrency, async (server) => {
    // The server's own call timeout caps the probe's, so a server configured tighter is held to it.
    const timeouts = { connectTimeoutMs, callTimeoutMs: Math.min(callTimeoutMs, server.timeoutMs) };
    const result = await deps.probe(server, timeouts);
    const verdict = classifyProbe(result, slowMs);
    let outcome: Awaited<ReturnType<typeof recordProbe>>;
    try {
      outcome = await recordProbe(deps.db, server, result, verdict, new Date());
    } catch (e) {
      // One server's odd data must not stop the others; if every write fails, the database is the problem.
      recordFailures += 1;
      if (!firstRecordFailure) firstRecordFailure = e;
      errors.push({ serverId: server.id, message: bounded(`${server.name}: could not record the result: ${e instanceof Error ? e.message : String(e)}`) });
      progress.done += 1;
      await report();
      return;
    }
    progress.done += 1;
    // A server deleted or reconfigured mid-run is not counted: its result described something that no longer exists.
    if (outcome === "recorded") {
      progress[verdict.status] += 1;
      if (verdict.status !== "online") errors.push({ serverId: server.id, message: bounded(`${server.name}: ${verdict.error ?? ""}`) });
    }
    await report();
  });
  if (servers.length > 0 && recordFailures === servers.length) throw firstRecordFailure;
  return { ...progress, errors, durationMs: Date.now() - started };
}
