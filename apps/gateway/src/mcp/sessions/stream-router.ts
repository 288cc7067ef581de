/**
 * Gets a notification to the stream it must travel on (docs/ARCHITECTURE.md, "Sessions across
 * instances"): a notification related to a request goes out with that request's reply, which is
 * always here; any other one goes on the session's open stream, which this instance holds — or
 * another one does, and it is sent there over the session bus. No stream anywhere: dropped, as
 * the protocol allows.
 */
import { ErrorCode, McpError, ResultSchema, type LoggingLevel, type ServerCapabilities, type ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import { uuidv7 } from "@switchyard/shared";
import type { Session } from "./session";
import type { SessionBus } from "./session-bus";
import type { SessionInbox } from "./session-inbox";
import type { SessionRegistry } from "./session-registry";
import type { SessionStore, StoredSession } from "./session-store";

/** What deciding whether a session wants a notification needs; a held session and a stored one both offer it. */
export interface SessionView {
  readonly id: string;
  readonly logLevel: LoggingLevel | undefined;
  readonly declared: ServerCapabilities;
  shows(serverId: string): boolean;
  isSubscribed(key: string): boolean;
}

function viewOf(stored: StoredSession): SessionView {
  const subscriptions = new Set(stored.subscriptions);
  return {
    id: stored.id,
    logLevel: stored.logLevel,
    declared: stored.state.declared,
    shows: (serverId) => stored.state.serverId === null || stored.state.serverId === serverId,
    isSubscribed: (key) => subscriptions.has(key),
  };
}

export interface StreamRouterDeps {
  registry: SessionRegistry;
  store: SessionStore;
  bus: SessionBus;
  inbox: SessionInbox;
  instanceId: string;
  onError: (context: string) => (e: unknown) => void;
}

type Request = { method: string; params?: Record<string, unknown> };

interface PendingAsk {
  resolve: (result: Record<string, unknown>) => void;
  reject: (e: McpError) => void;
}

export class StreamRouter {
  /** Requests this instance asked through another one's stream, by ask id. */
  private readonly asks = new Map<string, PendingAsk>();

  constructor(private readonly deps: StreamRouterDeps) {
    deps.inbox.on("notify", (m) => {
      const session = deps.registry.get(m.sessionId);
      if (session?.holdsStream && session.endpoint.projectId === m.projectId) this.sendHere(session, m.notification as ServerNotification);
    });
    deps.inbox.on("ask", (m) => void this.askHere(m));
    deps.inbox.on("asked", (m) => {
      const pending = this.asks.get(m.askId);
      if (!pending) return;
      this.asks.delete(m.askId);
      if (m.result) pending.resolve(m.result);
      else pending.reject(new McpError(m.error?.code ?? ErrorCode.InternalError, m.error?.message ?? "the request failed"));
    });
  }

  /**
   * A server→client request outside any call, for a session whose stream this instance does not
   * hold: asked by the instance holding it, its answer sent back here.
   */
  async askAway(projectId: string, sessionId: string, request: Request, options: { signal: AbortSignal; timeoutMs: number }): Promise<Record<string, unknown>> {
    const stored = await this.deps.store.load(projectId, sessionId);
    const owner = stored?.streamOwner;
    if (!owner || owner === this.deps.instanceId) throw new McpError(ErrorCode.InvalidRequest, "the client has no open stream to receive this request");
    const askId = uuidv7();
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        options.signal.removeEventListener("abort", aborted);
        this.asks.delete(askId);
      };
      const timer = setTimeout(() => {
        done();
        reject(new McpError(ErrorCode.RequestTimeout, "the client did not answer in time"));
      }, options.timeoutMs);
      const aborted = () => {
        done();
        reject(new McpError(ErrorCode.InvalidRequest, "the request was cancelled"));
      };
      options.signal.addEventListener("abort", aborted, { once: true });
      this.asks.set(askId, {
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      });
    });
    await this.deps.bus.send(owner, { kind: "ask", askId, replyTo: this.deps.instanceId, projectId, sessionId, request, timeoutMs: options.timeoutMs });
    return answer;
  }

  private async askHere(m: { askId: string; replyTo: string; projectId: string; sessionId: string; request: Request; timeoutMs: number }): Promise<void> {
    const session = this.deps.registry.get(m.sessionId);
    let reply: { result?: Record<string, unknown>; error?: { code: number; message: string } };
    if (!session?.server || !session.holdsStream || session.endpoint.projectId !== m.projectId) {
      reply = { error: { code: ErrorCode.InvalidRequest, message: "the client's stream is no longer open" } };
    } else {
      session.askStarted();
      try {
        reply = { result: await session.server.request(m.request, ResultSchema, { timeout: m.timeoutMs }) };
      } catch (e) {
        reply = { error: { code: e instanceof McpError ? e.code : ErrorCode.InvalidRequest, message: e instanceof Error ? e.message : String(e) } };
      } finally {
        session.askEnded();
      }
    }
    await this.deps.bus.send(m.replyTo, { kind: "asked", askId: m.askId, ...reply }).catch(this.deps.onError("answering a request asked by another instance"));
  }

  /** To one session, wherever its stream is. */
  send(session: Session, notification: ServerNotification): void {
    if (session.holdsStream) return this.sendHere(session, notification);
    void this.sendAway(session.endpoint.projectId, session.id, notification).catch(this.deps.onError("sending a notification to another instance"));
  }

  /**
   * To every session of the project `wants`: the streams held here directly; unless `local` (every
   * instance got the same news and tells its own streams), the streams held elsewhere through the bus.
   */
  fanOut(projectId: string, wants: (view: SessionView) => ServerNotification | undefined, local: boolean): void {
    for (const session of this.deps.registry.forProject(projectId)) {
      if (!session.holdsStream) continue;
      const notification = wants(session);
      if (notification) this.sendHere(session, notification);
    }
    if (local) return;
    void this.deps.store
      .streamingElsewhere(projectId, this.deps.instanceId)
      .then((stored) =>
        Promise.all(
          stored.map(async (s) => {
            const notification = wants(viewOf(s));
            if (notification && s.streamOwner) await this.deps.bus.send(s.streamOwner, { kind: "notify", projectId, sessionId: s.id, notification });
          }),
        ),
      )
      .catch(this.deps.onError("sending notifications to other instances"));
  }

  /** Sends on this instance's copy: on its stream, or with the reply to `relatedRequestId`. */
  sendHere(session: Session, notification: ServerNotification, relatedRequestId?: string | number): void {
    try {
      session.server?.notification(notification, relatedRequestId !== undefined ? { relatedRequestId } : undefined).catch(() => undefined);
    } catch {
      // A session whose endpoint declared no logging (or resources) is not told.
    }
  }

  private async sendAway(projectId: string, sessionId: string, notification: ServerNotification): Promise<void> {
    const stored = await this.deps.store.load(projectId, sessionId);
    if (stored?.streamOwner && stored.streamOwner !== this.deps.instanceId) {
      await this.deps.bus.send(stored.streamOwner, { kind: "notify", projectId, sessionId, notification });
    }
  }
}
