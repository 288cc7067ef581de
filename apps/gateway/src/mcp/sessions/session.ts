/**
 * One downstream client session: its binding (project, endpoint, credential), its own MCP
 * `Server` and transport, and what the registry needs to expire and end it.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { ClientCapabilities, LoggingLevel, RequestId, ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { ClientTransport, ClientType } from "@switchyard/shared";
import { principalIdentity, type Principal } from "../../auth/authenticator";
import type { EndpointRef } from "../tools/tool-catalogue";

export interface SessionInit {
  id: string;
  transport: ClientTransport;
  endpoint: EndpointRef;
  /** The server of a per-server endpoint; null for the project aggregate. */
  serverId: string | null;
  principal: Principal;
  clientType: ClientType;
  userAgent: string | null;
  ip: string | null;
}

export class Session {
  readonly id: string;
  readonly transport: ClientTransport;
  readonly endpoint: EndpointRef;
  readonly serverId: string | null;
  readonly principal: Principal;
  /** `key:<id>` or `user:<id>`: every request on the session must present the same. */
  readonly identity: string;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly startedAt = new Date();
  clientType: ClientType;
  lastActivity = Date.now();
  /** Requests being handled and streams held open: a session with either never idles out. */
  inflight = 0;
  openStreams = 0;
  /** Why the session ends, set by whoever ends it first (DELETE, expiry, revocation, shutdown). */
  endReason: string | undefined;
  ended = false;
  server: Server | undefined;
  /** What the session's endpoint declared at initialize. */
  declared: ServerCapabilities = {};
  /** Calls taken by the fast path, by request id, so notifications/cancelled can abort them. */
  readonly fastCalls = new Map<RequestId, AbortController>();
  /** Set by logging/setLevel: log lines below it are not sent to this session. */
  logLevel: LoggingLevel | undefined;
  /** Resource subscriptions, as `{serverId}\n{uri}`. */
  readonly subscriptions = new Set<string>();
  /** Closes the transport; set once connected. */
  closeTransport: () => Promise<void> = () => Promise.resolve();

  constructor(init: SessionInit) {
    this.id = init.id;
    this.transport = init.transport;
    this.endpoint = init.endpoint;
    this.serverId = init.serverId;
    this.principal = init.principal;
    this.identity = principalIdentity(init.principal);
    this.clientType = init.clientType;
    this.userAgent = init.userAgent;
    this.ip = init.ip;
  }

  /** Whether a request for `endpoint` by `principal` may use this session (else: 404, as unknown). */
  accepts(endpoint: EndpointRef, principal: Principal): boolean {
    return (
      !this.ended &&
      this.endpoint.projectId === endpoint.projectId &&
      this.endpoint.serverName === endpoint.serverName &&
      this.identity === principalIdentity(principal)
    );
  }

  /** What the client declared at initialize (undefined before). */
  get clientCapabilities(): ClientCapabilities | undefined {
    return this.server?.getClientCapabilities();
  }

  /**
   * Whether an upstream may ask this client something during a call (it declared sampling,
   * elicitation or roots): such calls need a reply stream the request can travel on.
   */
  get mayBeAsked(): boolean {
    const caps = this.clientCapabilities;
    return caps !== undefined && (caps.sampling !== undefined || caps.elicitation !== undefined || caps.roots !== undefined);
  }

  /** Whether this session's endpoint shows `serverId` (the aggregate shows every server). */
  shows(serverId: string): boolean {
    return this.serverId === null || this.serverId === serverId;
  }

  get apiKeyId(): string | null {
    return this.principal.kind === "api_key" ? this.principal.apiKeyId : null;
  }

  get userId(): string | null {
    return this.principal.kind === "console" ? this.principal.userId : null;
  }

  /** Ends the session (idempotent); the registry's onclose hook records why. */
  async end(reason: string): Promise<void> {
    this.endReason ??= reason;
    await this.closeTransport();
  }
}
