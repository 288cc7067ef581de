/**
 * Opens, restores, releases and ends downstream sessions for both transports (docs/ARCHITECTURE.md,
 * "Sessions across instances"): builds a session's proxy server and connects it; keeps its portable
 * state in the session store, so any instance can rebuild it; keeps `client_sessions` current
 * through the log writer (row at start, client details at initialize, activity, end with its
 * reason, recorded once by whoever deletes the stored state); and fans list_changed out to the
 * sessions of a project.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import { detectClientType, UUID_PATTERN, type ClientTransport } from "@switchyard/shared";
import type { EndpointFeatures } from "../features/endpoint-features";
import { principalIdentity, type Principal } from "../../auth/authenticator";
import type { LogWriterPort, SessionStart, UpstreamPoolPort } from "../ports";
import type { EndpointRef } from "../tools/tool-catalogue";
import type { ToolCalls } from "../tools/tool-calls";
import type { ClientHello } from "../transport/jsonrpc";
import type { ListChanges, ListKind } from "./list-changes";
import { createProxyServer, type ProxyServerDeps } from "./proxy-server";
import { Session, type Handshake, type SessionInit } from "./session";
import { answerPending, SessionEnded } from "./session-end";
import { EVERY_INSTANCE, type SessionBus } from "./session-bus";
import type { SessionInbox } from "./session-inbox";
import type { SessionCaps } from "./session-caps";
import type { SessionRegistry } from "./session-registry";
import type { PortableState, SessionStore, StoredSession } from "./session-store";
import type { StreamRouter, SessionView } from "./stream-router";

/** Announces to every instance that a session ended or changed (the change feed). */
export type SessionAnnouncer = (change: { type: "session.end" | "session.changed"; projectId: string; sessionId: string }) => Promise<void>;

export interface SessionHubDeps {
  registry: SessionRegistry;
  writer: Pick<LogWriterPort, "sessionStarted" | "sessionUpdated" | "sessionActivity" | "sessionEnded" | "sessionReleased">;
  pool: Pick<UpstreamPoolPort, "releaseSession">;
  proxy: ProxyServerDeps;
  features: EndpointFeatures;
  store: SessionStore;
  bus: SessionBus;
  inbox: SessionInbox;
  router: StreamRouter;
  listChanges: ListChanges;
  announce: SessionAnnouncer;
  /** Recorded in `client_sessions.gateway_instance`; names this instance on the session bus. */
  instanceId: string;
  /** Open sessions allowed per credential and per project (unlimited when absent). */
  sessionCaps?: SessionCaps;
  log?: (level: "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
  /** See HANDOVER_GRACE_MS. */
  handoverGraceMs?: number;
}

/**
 * How long a legacy SSE stream stays open after its session ended here and the store says so: a
 * POST another instance looked up just before is still handed over on the bus meanwhile.
 */
const HANDOVER_GRACE_MS = 200;

/** Activity is written at most this often per session (the writer coalesces anyway). */
const ACTIVITY_EVERY_MS = 1_000;

export class SessionHub {
  /** When this instance last marked each session active in the store. */
  private readonly storeTouched = new WeakMap<Session, number>();

  constructor(private readonly deps: SessionHubDeps) {
    deps.registry.watch({ ended: (session, reason) => this.ended(session, reason), sweeping: () => this.sweeping() });
    deps.listChanges.on((projectId, kinds, serverId, local) => this.listsChanged(projectId, kinds, serverId, local));
    deps.inbox.on("answers", (m) => {
      const session = deps.registry.get(m.sessionId);
      if (!session?.awaitingAnswers || session.endpoint.projectId !== m.projectId) return;
      for (const message of m.messages) session.server?.transport?.onmessage?.(message as JSONRPCMessage);
    });
  }

  get registry(): SessionRegistry {
    return this.deps.registry;
  }

  get calls(): ToolCalls {
    return this.deps.proxy.calls;
  }

  get instanceId(): string {
    return this.deps.instanceId;
  }

  get bus(): SessionBus {
    return this.deps.bus;
  }

  /**
   * Takes a place for a new session of this credential in this project under the session caps, or
   * says why it is refused (a cap is full). `member` is the session's id, or a placeholder that
   * `open` renames (`init.claim`); a session that does not open gives it back (`unclaim`).
   */
  async claimSession(principal: Principal, projectId: string, member: string): Promise<string | undefined> {
    return this.deps.sessionCaps?.claim(this.deps.registry, principalIdentity(principal), projectId, member);
  }

  unclaim(principal: Principal, projectId: string, member: string): void {
    this.deps.sessionCaps?.release(principalIdentity(principal), projectId, member);
  }

  /**
   * Creates the session, connects its own proxy server to `transport`, stores its portable state
   * (before the client hears of it, so its next request may land anywhere) and records its start.
   */
  async open(init: Omit<SessionInit, "clientType">, transport: Transport, handshake?: Handshake, claim?: string): Promise<Session> {
    const session = new Session({ ...init, clientType: detectClientType(handshake?.clientInfo.name, init.userAgent) });
    if (claim !== undefined) this.deps.sessionCaps?.adopt(session.identity, init.endpoint.projectId, claim, session.id);
    if (handshake) session.identified(session.clientType, handshake);
    // Declared once, at initialize: what the endpoint's servers offer now.
    const state = await this.deps.proxy.states.get(init.endpoint.projectId).catch(() => null);
    const declared = await this.deps.features.capabilities(state, session);
    session.attach(undefined, declared, () => Promise.resolve());
    // A legacy SSE stream is held from the start; its client POSTs as soon as connect() names the URL.
    const holdsStream = init.transport === "sse";
    if (holdsStream) session.streamOpened();
    await this.deps.store
      .save({ id: session.id, projectId: init.endpoint.projectId, identity: session.identity, state: portable(session), streamOwner: holdsStream ? this.deps.instanceId : null })
      .catch((e: unknown) => this.warn("session state not stored: only this instance can serve the session", session, e));
    await this.connect(session, declared, transport);
    this.deps.writer.sessionStarted(describe(session, this.deps.instanceId, handshake));
    return session;
  }

  /**
   * The stored session `id` of this transport, endpoint and credential, or undefined (unknown, ended,
   * another endpoint or credential: the caller answers 404). Rejects when the store cannot be read.
   */
  async find(endpoint: EndpointRef, principal: Principal, id: string, transport: ClientTransport): Promise<StoredSession | undefined> {
    // Not an id this gateway hands out (the column is a uuid): unknown, not an error.
    if (!UUID_PATTERN.test(id)) return undefined;
    const stored = await this.deps.store.load(endpoint.projectId, id);
    if (!stored || stored.state.transport !== transport || (transport === "streamable_http" && !stored.state.handshake)) return undefined;
    if (stored.identity !== principalIdentity(principal) || stored.state.serverName !== endpoint.serverName) return undefined;
    return stored;
  }

  /** Rebuilds a stored session here, its server connected to `transport` as it was declared; the caller replays the handshake. */
  async restore(stored: StoredSession, principal: Principal, transport: Transport): Promise<Session> {
    const { state } = stored;
    const session = new Session({
      id: stored.id,
      transport: "streamable_http",
      endpoint: { projectId: stored.projectId, serverName: state.serverName },
      serverId: state.serverId,
      principal,
      clientType: state.clientType,
      userAgent: state.userAgent,
      ip: state.ip,
      startedAt: new Date(state.startedAt),
    });
    if (state.handshake) session.identified(session.clientType, state.handshake);
    session.adopt(stored.logLevel, stored.subscriptions);
    await this.connect(session, state.declared, transport);
    // Counted from here on; the row keeps its first instance and start.
    this.deps.writer.sessionStarted(describe(session, this.deps.instanceId, state.handshake));
    return session;
  }

  private async connect(session: Session, declared: PortableState["declared"], transport: Transport): Promise<void> {
    const server = createProxyServer(session, this.deps.proxy, declared);
    let closing: Promise<void> | undefined;
    session.attach(server, declared, () => (closing ??= this.close(session, server)));
    server.onclose = () => this.deps.registry.remove(session);
    server.onerror = (e) => this.deps.log?.("warn", "mcp session error", { sessionId: session.id, error: e.message });
    this.deps.registry.add(session);
    await server.connect(transport);
  }

  /**
   * Closes a session's transport once it has answered what it owes (session-end.ts). A legacy SSE
   * stream still open is first given up in the store, so other instances stop handing its POSTs
   * here (they answer 404 and the client reconnects), and stays open for `handoverGraceMs`: a POST
   * handed over just before is answered on it with the session's end instead of being dropped.
   */
  private async close(session: Session, server: Server): Promise<void> {
    const reason = session.endReason ?? "closed";
    const ended = new SessionEnded(reason, session.isReleased);
    if (session.transport === "sse" && session.holdsStream) {
      const { projectId } = session.endpoint;
      await this.deps.store.releaseStream(projectId, session.id, this.deps.instanceId).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, this.deps.handoverGraceMs ?? HANDOVER_GRACE_MS));
    }
    const answered = await answerPending(session, server, ended);
    if (answered > 0) this.deps.log?.("warn", "session ended with requests in flight: answered with an error", { sessionId: session.id, reason, requests: answered });
    await server.close();
  }

  /** The client said who it is (legacy SSE sessions start before initialize). */
  initialized(session: Session, hello: ClientHello): void {
    session.identified(detectClientType(hello.clientName, session.userAgent));
    this.deps.writer.sessionUpdated(session.id, { ...hello, clientType: session.clientType });
  }

  /** A request arrived on the session. */
  touch(session: Session): void {
    const now = Date.now();
    if (now - session.touch(now) >= ACTIVITY_EVERY_MS) this.deps.writer.sessionActivity(session.id, new Date(now));
    // The store's activity only has to beat the idle TTL: a quarter of it is precise enough.
    if (now - (this.storeTouched.get(session) ?? 0) >= this.deps.registry.ttlMs / 4) {
      this.storeTouched.set(session, now);
      void this.deps.store.touch(session.endpoint.projectId, [session.id]).catch(() => undefined);
      this.deps.sessionCaps?.renew(session.identity, session.endpoint.projectId, [session.id]);
    }
  }

  /** This instance now holds the session's stream: notifications for it are sent here. */
  async streamOpened(session: Session): Promise<void> {
    session.streamOpened();
    await this.deps.store.update(session.endpoint.projectId, session.id, { streamOwner: this.deps.instanceId }).catch(() => undefined);
  }

  streamClosed(session: Session): void {
    session.streamClosed();
    if (!session.holdsStream) void this.deps.store.releaseStream(session.endpoint.projectId, session.id, this.deps.instanceId).catch(() => undefined);
  }

  /** Announced by another instance: reload the copy's log level and subscriptions. */
  async changedElsewhere(projectId: string, sessionId: string): Promise<void> {
    const session = this.deps.registry.get(sessionId);
    if (session?.endpoint.projectId !== projectId) return;
    const stored = await this.deps.store.load(projectId, sessionId);
    if (stored) session.adopt(stored.logLevel, stored.subscriptions);
  }

  /**
   * A Streamable HTTP POST made only of answers to server→client requests this copy did not ask:
   * handed to every instance, the one whose copy waits takes them. False when this copy waits itself.
   */
  async forwardAnswers(session: Session, body: unknown): Promise<boolean> {
    if (session.awaitingAnswers || !onlyAnswers(body)) return false;
    const messages = Array.isArray(body) ? body : [body];
    await this.deps.bus.send(EVERY_INSTANCE, { kind: "answers", projectId: session.endpoint.projectId, sessionId: session.id, messages });
    return true;
  }

  /** Ends a session this instance may not hold (the console ended it; it ended elsewhere). */
  async end(projectId: string, sessionId: string, reason: string): Promise<void> {
    const session = this.deps.registry.get(sessionId);
    if (session?.endpoint.projectId === projectId) return session.end(reason);
    if (!UUID_PATTERN.test(sessionId)) return;
    const stored = await this.deps.store.delete(projectId, sessionId);
    if (stored) this.recordStoredEnd(stored, reason);
  }

  /** Ends every stored session of a credential (revocation), held here or not. */
  async endAllOf(projectId: string, identity: string, reason: string): Promise<void> {
    for (const stored of await this.deps.store.deleteOf(projectId, identity)) this.recordStoredEnd(stored, reason);
    await this.deps.registry.endByIdentity(identity, reason);
  }

  /**
   * Shutdown: Streamable HTTP sessions are released (they go on with another instance or after the
   * restart); legacy SSE sessions end with their stream.
   */
  async releaseAll(reason: string): Promise<void> {
    await Promise.all(this.deps.registry.all().map((s) => (s.transport === "sse" ? s.end(reason) : s.release(reason))));
  }

  /** Registry callback: this copy is gone; the session too unless the copy was only released. */
  private ended(session: Session, reason: string): void {
    try {
      void Promise.resolve(this.deps.pool.releaseSession(session.id)).catch(() => undefined);
    } catch {
      // releasing per-session upstreams is best effort; the pool reaps idle ones anyway
    }
    const { projectId } = session.endpoint;
    if (session.isReleased) {
      this.deps.writer.sessionReleased(session.id);
      if (session.transport === "streamable_http") void this.deps.store.releaseStream(projectId, session.id, this.deps.instanceId).catch(() => undefined);
      return;
    }
    void this.deps.store
      .delete(projectId, session.id)
      .then(
        (stored) => stored !== undefined,
        () => true, // the store is down: record the end anyway (the writer spills)
      )
      .then((mine) => {
        if (!mine) return this.deps.writer.sessionReleased(session.id);
        this.deps.writer.sessionEnded(session.id, new Date(), reason);
        this.deps.sessionCaps?.release(session.identity, projectId, session.id);
        return this.deps.announce({ type: "session.end", projectId, sessionId: session.id });
      })
      .catch(this.warnFn("announcing a session end", session));
  }

  /**
   * Registry callback before idle copies are released: sessions no instance used for the TTL end
   * (recorded once, by the instance whose delete got them); sessions busy here are marked used.
   */
  private async sweeping(): Promise<void> {
    const ttl = this.deps.registry.ttlMs;
    // Activity reaches the store up to a quarter TTL late (see touch).
    for (const stored of await this.deps.store.deleteIdle(new Date(Date.now() - ttl - ttl / 4))) {
      const held = this.deps.registry.get(stored.id);
      if (held) {
        this.deps.writer.sessionEnded(stored.id, new Date(), "idle_timeout");
        this.deps.sessionCaps?.release(stored.identity, stored.projectId, stored.id);
        await held.release("idle_timeout");
      } else this.recordStoredEnd(stored, "idle_timeout");
      await this.deps.announce({ type: "session.end", projectId: stored.projectId, sessionId: stored.id }).catch(() => undefined);
    }
    const busy = new Map<string, string[]>();
    for (const s of this.deps.registry.all()) {
      if (!s.busy) continue;
      busy.set(s.endpoint.projectId, [...(busy.get(s.endpoint.projectId) ?? []), s.id]);
      this.deps.sessionCaps?.renew(s.identity, s.endpoint.projectId, [s.id]);
    }
    await Promise.all([...busy].map(([projectId, ids]) => this.deps.store.touch(projectId, ids)));
  }

  private recordStoredEnd(stored: StoredSession, reason: string): void {
    if (!this.deps.registry.get(stored.id)) this.deps.writer.sessionStarted(describeStored(stored, this.deps.instanceId));
    this.deps.writer.sessionEnded(stored.id, new Date(), reason);
    this.deps.sessionCaps?.release(stored.identity, stored.projectId, stored.id);
  }

  private listsChanged(projectId: string, kinds: readonly ListKind[], serverId: string | undefined, local: boolean): void {
    const notice = (method: string) => ({ method }) as ServerNotification;
    if (kinds.includes("tools")) this.deps.router.fanOut(projectId, () => notice("notifications/tools/list_changed"), local);
    // Prompts and resources: only sessions that show the server and whose endpoint declared them.
    const shows = (s: SessionView) => serverId === undefined || s.shows(serverId);
    if (kinds.includes("prompts")) this.deps.router.fanOut(projectId, (s) => (shows(s) && s.declared.prompts ? notice("notifications/prompts/list_changed") : undefined), local);
    if (kinds.includes("resources")) this.deps.router.fanOut(projectId, (s) => (shows(s) && s.declared.resources ? notice("notifications/resources/list_changed") : undefined), local);
  }

  private warn(msg: string, session: Session, e: unknown): void {
    this.deps.log?.("warn", msg, { sessionId: session.id, error: e instanceof Error ? e.message : String(e) });
  }

  private warnFn(msg: string, session: Session): (e: unknown) => void {
    return (e) => this.warn(msg, session, e);
  }
}

/** Stores a session's new log level or subscriptions; the other instances holding it reload them. */
export function sessionChangeRecorder(store: SessionStore, announce: SessionAnnouncer): (session: Session) => Promise<void> {
  return async (session) => {
    const { projectId } = session.endpoint;
    await store.update(projectId, session.id, { logLevel: session.logLevel ?? null, subscriptions: session.subscriptionKeys });
    await announce({ type: "session.changed", projectId, sessionId: session.id }).catch(() => undefined);
  };
}

function portable(session: Session): PortableState {
  return {
    v: 1,
    transport: session.transport,
    serverName: session.endpoint.serverName,
    serverId: session.serverId,
    clientType: session.clientType,
    userAgent: session.userAgent,
    ip: session.ip,
    startedAt: session.startedAt.toISOString(),
    ...(session.handshake ? { handshake: session.handshake } : {}),
    declared: session.declared,
  };
}

function describe(session: Session, instanceId: string, handshake: Handshake | undefined): SessionStart {
  return {
    id: session.id,
    projectId: session.endpoint.projectId,
    serverId: session.serverId,
    apiKeyId: session.apiKeyId,
    userId: session.userId,
    transport: session.transport,
    clientType: session.clientType,
    gatewayInstance: instanceId,
    startedAt: session.startedAt,
    ...(handshake ? { clientName: handshake.clientInfo.name, clientVersion: handshake.clientInfo.version, protocolVersion: handshake.protocolVersion } : {}),
    ...(session.userAgent ? { userAgent: session.userAgent } : {}),
    ...(session.ip ? { ip: session.ip } : {}),
  };
}

function describeStored(stored: StoredSession, instanceId: string): SessionStart {
  const [kind, principalId = null] = stored.identity.split(":", 2);
  const { state } = stored;
  return {
    id: stored.id,
    projectId: stored.projectId,
    serverId: state.serverId,
    apiKeyId: kind === "key" ? principalId : null,
    userId: kind === "user" ? principalId : null,
    transport: state.transport,
    clientType: state.clientType,
    gatewayInstance: instanceId,
    startedAt: new Date(state.startedAt),
    ...(state.handshake ? { clientName: state.handshake.clientInfo.name, clientVersion: state.handshake.clientInfo.version, protocolVersion: state.handshake.protocolVersion } : {}),
  };
}

/** A body made only of JSON-RPC responses (answers to server→client requests). */
function onlyAnswers(body: unknown): boolean {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  const answer = (m: unknown) => typeof m === "object" && m !== null && !("method" in m) && ("result" in m || "error" in m);
  return messages.length > 0 && messages.every(answer);
}
