/**
 * Opens and ends downstream sessions for both transports: builds the session's proxy server,
 * connects it, registers it, and keeps `client_sessions` current through the log writer (row at
 * start, client details at initialize, activity, end with its reason). Also fans list_changed out
 * to the open sessions of a project.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { detectClientType } from "@switchyard/shared";
import type { EndpointFeatures } from "../features/endpoint-features";
import { principalIdentity, type Principal } from "../../auth/authenticator";
import type { LogWriterPort, UpstreamPoolPort } from "../ports";
import { createProxyServer, type ProxyServerDeps } from "./proxy-server";
import { Session, type SessionInit } from "./session";
import type { SessionRegistry } from "./session-registry";
import type { ClientHello } from "../transport/jsonrpc";
import type { ToolCalls } from "../tools/tool-calls";

export interface SessionHubDeps {
  registry: SessionRegistry;
  writer: Pick<LogWriterPort, "sessionStarted" | "sessionUpdated" | "sessionActivity" | "sessionEnded">;
  pool: Pick<UpstreamPoolPort, "releaseSession">;
  proxy: ProxyServerDeps;
  features: EndpointFeatures;
  /** Recorded in `client_sessions.gateway_instance`. */
  instanceId: string;
  /** Open sessions allowed per credential and per project on this instance (unlimited when absent). */
  sessionCaps?: { perKey: number; perProject: number };
  log?: (level: "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

/** Activity is written at most this often per session (the writer coalesces anyway). */
const ACTIVITY_EVERY_MS = 1_000;

export class SessionHub {
  constructor(private readonly deps: SessionHubDeps) {}

  get registry(): SessionRegistry {
    return this.deps.registry;
  }

  get calls(): ToolCalls {
    return this.deps.proxy.calls;
  }

  /** Why a new session of this credential in this project is refused (a cap is full), or undefined. */
  sessionRefusal(principal: Principal, projectId: string): string | undefined {
    const caps = this.deps.sessionCaps;
    if (!caps) return undefined;
    if (this.deps.registry.countFor(principalIdentity(principal)) >= caps.perKey) return `Too many open sessions for this credential (at most ${caps.perKey}); end unused ones`;
    if (this.deps.registry.countInProject(projectId) >= caps.perProject) return `Too many open sessions in this project (at most ${caps.perProject})`;
    return undefined;
  }

  /** Creates the session, connects its own proxy server to `transport` and records its start. */
  async open(init: Omit<SessionInit, "clientType">, transport: Transport, hello?: ClientHello): Promise<Session> {
    const session = new Session({ ...init, clientType: detectClientType(hello?.clientName, init.userAgent) });
    // Declared once, at initialize: what the endpoint's servers offer now.
    const state = await this.deps.proxy.states.get(init.endpoint.projectId).catch(() => null);
    const capabilities = await this.deps.features.capabilities(state, session);
    session.declared = capabilities;
    // Asking never-probed servers what they offer may take a while: the session's idle time starts now.
    session.lastActivity = Date.now();
    const server = createProxyServer(session, this.deps.proxy, capabilities);
    session.server = server;
    session.closeTransport = () => server.close();
    server.onclose = () => this.deps.registry.remove(session);
    server.onerror = (e) => this.deps.log?.("warn", "mcp session error", { sessionId: session.id, error: e.message });
    this.deps.registry.add(session);
    await server.connect(transport);
    this.deps.writer.sessionStarted({
      id: session.id,
      projectId: init.endpoint.projectId,
      serverId: init.serverId,
      apiKeyId: session.apiKeyId,
      userId: session.userId,
      transport: init.transport,
      clientType: session.clientType,
      gatewayInstance: this.deps.instanceId,
      startedAt: session.startedAt,
      ...(hello?.clientName !== undefined ? { clientName: hello.clientName } : {}),
      ...(hello?.clientVersion !== undefined ? { clientVersion: hello.clientVersion } : {}),
      ...(hello?.protocolVersion !== undefined ? { protocolVersion: hello.protocolVersion } : {}),
      ...(init.userAgent ? { userAgent: init.userAgent } : {}),
      ...(init.ip ? { ip: init.ip } : {}),
    });
    return session;
  }

  /** The client said who it is (legacy SSE sessions start before initialize). */
  initialized(session: Session, hello: ClientHello): void {
    session.clientType = detectClientType(hello.clientName, session.userAgent);
    this.deps.writer.sessionUpdated(session.id, { ...hello, clientType: session.clientType });
  }

  /** A request arrived on the session. */
  touch(session: Session): void {
    const now = Date.now();
    if (now - session.lastActivity >= ACTIVITY_EVERY_MS) this.deps.writer.sessionActivity(session.id, new Date(now));
    session.lastActivity = now;
  }

  /** Registry callback: the session is gone. */
  ended(session: Session, reason: string): void {
    this.deps.writer.sessionEnded(session.id, new Date(), reason);
    try {
      void Promise.resolve(this.deps.pool.releaseSession(session.id)).catch(() => undefined);
    } catch {
      // releasing per-session upstreams is best effort; the pool reaps idle ones anyway
    }
  }

  /** Tells every open session of the project that its tool list changed. */
  toolsChanged(projectId: string): void {
    for (const session of this.deps.registry.forProject(projectId)) {
      session.server?.sendToolListChanged().catch(() => undefined);
    }
  }

  /**
   * Tells the sessions that show `serverId` (every session of the project when undefined: servers
   * were added or removed) that prompts or resources changed; sessions whose endpoint declared
   * neither are not told.
   */
  listChanged(projectId: string, kinds: readonly ("prompts" | "resources")[], serverId?: string): void {
    for (const session of this.deps.registry.forProject(projectId)) {
      if (serverId !== undefined && !session.shows(serverId)) continue;
      const caps = session.declared;
      if (kinds.includes("prompts") && caps.prompts) session.server?.sendPromptListChanged().catch(() => undefined);
      if (kinds.includes("resources") && caps.resources) session.server?.sendResourceListChanged().catch(() => undefined);
    }
  }
}
