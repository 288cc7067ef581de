/**
 * The downstream side of what upstreams ask and announce (see upstream/server-requests.ts for who
 * is chosen): requests go to the chosen session's client, related to its call when the reply can
 * carry them; log lines follow each session's level; resource updates reach the sessions that
 * subscribed to that server's URI.
 */
import { ErrorCode, McpError, ResultSchema, type LoggingLevel, type ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import type { DownstreamRelay, RelayTarget, UpstreamSource } from "../upstream/upstream-pool";
import type { Session } from "./session";
import type { SessionRegistry } from "./session-registry";

const SEVERITY: Record<LoggingLevel, number> = { debug: 0, info: 1, notice: 2, warning: 3, error: 4, critical: 5, alert: 6, emergency: 7 };

/** Whether a line at `level` passes a session's `threshold` (no threshold: everything passes). */
export function admits(threshold: LoggingLevel | undefined, level: unknown): boolean {
  if (threshold === undefined) return true;
  const severity = typeof level === "string" && level in SEVERITY ? SEVERITY[level as LoggingLevel] : SEVERITY.emergency;
  return severity >= SEVERITY[threshold];
}

/** The most verbose level any of `sessions` asked for (what a shared upstream must send). */
export function mostVerbose(sessions: readonly Session[]): LoggingLevel | undefined {
  let best: LoggingLevel | undefined;
  for (const s of sessions) if (s.logLevel && (best === undefined || SEVERITY[s.logLevel] < SEVERITY[best])) best = s.logLevel;
  return best;
}

export const subscriptionKey = (serverId: string, uri: string) => `${serverId}\n${uri}`;

export class SessionRelay implements DownstreamRelay {
  constructor(private readonly registry: SessionRegistry) {}

  async request(target: RelayTarget, request: { method: string; params?: Record<string, unknown> }, options: { signal: AbortSignal; timeoutMs: number }): Promise<Record<string, unknown>> {
    const session = this.registry.get(target.sessionId);
    if (!session?.server || session.ended) throw new McpError(ErrorCode.InvalidRequest, "the client session this request belongs to has ended");
    try {
      return await session.server.request(request, ResultSchema, {
        signal: options.signal,
        timeout: options.timeoutMs,
        ...(target.relatedRequestId !== undefined ? { relatedRequestId: target.relatedRequestId } : {}),
      });
    } catch (e) {
      if (e instanceof McpError) throw e;
      // The SDK refuses requests whose capability the client did not declare with a plain Error.
      throw new McpError(ErrorCode.InvalidRequest, e instanceof Error ? e.message : String(e));
    }
  }

  log(source: UpstreamSource, target: RelayTarget | undefined, params: Record<string, unknown>): void {
    const notice = { method: "notifications/message", params } as ServerNotification;
    if (target) {
      const session = this.registry.get(target.sessionId);
      if (session && admits(session.logLevel, params.level)) this.send(session, notice, target.relatedRequestId);
      return;
    }
    // Outside any call: only sessions that asked for logs, at their level.
    for (const session of this.registry.forProject(source.projectId)) {
      if (session.shows(source.serverId) && session.logLevel !== undefined && admits(session.logLevel, params.level)) this.send(session, notice, undefined);
    }
  }

  /** A per_session upstream: its session's level; a shared one: the most verbose of the sessions that show it. */
  logLevel(source: UpstreamSource): LoggingLevel | undefined {
    if (source.sessionId !== null) return this.registry.get(source.sessionId)?.logLevel;
    return mostVerbose(this.registry.forProject(source.projectId).filter((s) => s.shows(source.serverId)));
  }

  resourceUpdated(source: UpstreamSource, params: Record<string, unknown>): void {
    if (typeof params.uri !== "string") return;
    const key = subscriptionKey(source.serverId, params.uri);
    for (const session of this.registry.forProject(source.projectId)) {
      if (source.sessionId !== null && session.id !== source.sessionId) continue;
      if (session.subscriptions.has(key)) this.send(session, { method: "notifications/resources/updated", params } as ServerNotification, undefined);
    }
  }

  private send(session: Session, notice: ServerNotification, relatedRequestId: RelayTarget["relatedRequestId"]): void {
    try {
      session.server?.notification(notice, relatedRequestId !== undefined ? { relatedRequestId } : undefined).catch(() => undefined);
    } catch {
      // A session whose endpoint declared no logging (or resources) is not told.
    }
  }
}
