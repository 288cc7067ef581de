/**
 * The downstream side of what upstreams ask and announce (see upstream/server-requests.ts for who
 * is chosen): requests go to the chosen session's client, related to its call when the reply can
 * carry them; log lines follow each session's level; resource updates reach the sessions that
 * subscribed to that server's URI — on whichever instance holds their stream (stream-router.ts).
 * An upstream that starts again hears the level and the subscriptions of the sessions held here.
 */
import { JSONRPC } from "../jsonrpc-errors";
import { McpError, ResultSchema, type LoggingLevel, type ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import type { DownstreamRelay, RelayTarget, UpstreamSource } from "../upstream/upstream-pool";
import type { Session } from "./session";
import type { SessionRegistry } from "./session-registry";
import type { SessionView, StreamRouter } from "./stream-router";

const SEVERITY: Record<LoggingLevel, number> = { debug: 0, info: 1, notice: 2, warning: 3, error: 4, critical: 5, alert: 6, emergency: 7 };

/** Whether a line at `level` passes a session's `threshold` (no threshold: everything passes). */
export function admits(threshold: LoggingLevel | undefined, level: unknown): boolean {
  if (threshold === undefined) return true;
  const severity = typeof level === "string" && level in SEVERITY ? SEVERITY[level as LoggingLevel] : SEVERITY.emergency;
  return severity >= SEVERITY[threshold];
}

/** The most verbose level any of `sessions` asked for (what a shared upstream must send). */
export function mostVerbose(sessions: readonly Pick<Session, "logLevel">[]): LoggingLevel | undefined {
  let best: LoggingLevel | undefined;
  for (const s of sessions) if (s.logLevel && (best === undefined || SEVERITY[s.logLevel] < SEVERITY[best])) best = s.logLevel;
  return best;
}

export const subscriptionKey = (serverId: string, uri: string) => `${serverId}\n${uri}`;

export class SessionRelay implements DownstreamRelay {
  constructor(
    private readonly registry: SessionRegistry,
    private readonly router: StreamRouter,
  ) {}

  async request(target: RelayTarget, request: { method: string; params?: Record<string, unknown> }, options: { signal: AbortSignal; timeoutMs: number }): Promise<Record<string, unknown>> {
    const session = this.registry.get(target.sessionId);
    if (!session?.server || session.ended) throw new McpError(JSONRPC.invalidRequest, "the client session this request belongs to has ended");
    // Outside a call the request goes on the session's stream: asked by the instance holding it when that is another one.
    if (target.relatedRequestId === undefined && !session.holdsStream) return this.router.askAway(session.endpoint.projectId, session.id, request, options);
    // The client may POST its answer to another instance: it is handed here while this copy waits.
    session.askStarted();
    try {
      return await session.server.request(request, ResultSchema, {
        signal: options.signal,
        timeout: options.timeoutMs,
        ...(target.relatedRequestId !== undefined ? { relatedRequestId: target.relatedRequestId } : {}),
      });
    } catch (e) {
      if (e instanceof McpError) throw e;
      // The SDK refuses requests whose capability the client did not declare with a plain Error.
      throw new McpError(JSONRPC.invalidRequest, e instanceof Error ? e.message : String(e));
    } finally {
      session.askEnded();
    }
  }

  log(source: UpstreamSource, target: RelayTarget | undefined, params: Record<string, unknown>): void {
    const notice = { method: "notifications/message", params } as ServerNotification;
    if (target) {
      const session = this.registry.get(target.sessionId);
      if (!session || !admits(session.logLevel, params.level)) return;
      // Related to a call: it travels with the call's reply, here; otherwise on the session's stream.
      if (target.relatedRequestId !== undefined) this.router.sendHere(session, notice, target.relatedRequestId);
      else this.router.send(session, notice);
      return;
    }
    // Outside any call: only sessions that asked for logs, at their level.
    const wants = (s: SessionView) => (s.shows(source.serverId) && s.logLevel !== undefined && admits(s.logLevel, params.level) ? notice : undefined);
    this.router.fanOut(source.projectId, wants, false);
  }

  /** A per_session upstream: its session's level; a shared one: the most verbose of the sessions that show it. */
  logLevel(source: UpstreamSource): LoggingLevel | undefined {
    if (source.sessionId !== null) return this.registry.get(source.sessionId)?.logLevel;
    return mostVerbose(this.registry.forProject(source.projectId).filter((s) => s.shows(source.serverId)));
  }

  /** A per_session upstream: its session's URIs on that server; a shared one: those of every session held here. */
  subscriptions(source: UpstreamSource): string[] {
    const sessions = source.sessionId !== null ? [this.registry.get(source.sessionId)].flatMap((s) => s ?? []) : this.registry.forProject(source.projectId);
    const prefix = subscriptionKey(source.serverId, "");
    const uris = new Set<string>();
    for (const s of sessions) for (const key of s.subscriptionKeys) if (key.startsWith(prefix)) uris.add(key.slice(prefix.length));
    return [...uris];
  }

  resourceUpdated(source: UpstreamSource, params: Record<string, unknown>): void {
    if (typeof params.uri !== "string") return;
    const key = subscriptionKey(source.serverId, params.uri);
    const notice = { method: "notifications/resources/updated", params } as ServerNotification;
    this.router.fanOut(source.projectId, (s) => ((source.sessionId === null || s.id === source.sessionId) && s.isSubscribed(key) ? notice : undefined), false);
  }
}
