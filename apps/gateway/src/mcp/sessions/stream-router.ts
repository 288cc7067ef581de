/**
 * Gets a notification to the stream it must travel on (docs/ARCHITECTURE.md, "Sessions across
 * instances"): a notification related to a request goes out with that request's reply, which is
 * always here; any other one goes on the session's open stream, which this instance holds — or
 * another one does, and it is sent there over the session bus. No stream anywhere: dropped, as
 * the protocol allows.
 */
import type { LoggingLevel, ServerCapabilities, ServerNotification } from "@modelcontextprotocol/sdk/types.js";
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

export class StreamRouter {
  constructor(private readonly deps: StreamRouterDeps) {
    deps.inbox.on("notify", (m) => {
      const session = deps.registry.get(m.sessionId);
      if (session?.holdsStream && session.endpoint.projectId === m.projectId) this.sendHere(session, m.notification as ServerNotification);
    });
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
