/**
 * One downstream client session as this instance holds it: its binding (project, endpoint,
 * credential), its own MCP `Server` once attached, and the counters the registry expires it by.
 * The state other instances need to serve it is `portable()` (docs/ARCHITECTURE.md, "Sessions
 * across instances"); everything else lives and dies with this copy.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { ClientCapabilities, Implementation, LoggingLevel, RequestId, ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
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
  startedAt?: Date;
}

/** What initialize settled: replayed when another instance rebuilds the session. */
export interface Handshake {
  protocolVersion: string;
  clientInfo: Implementation;
  capabilities: ClientCapabilities;
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
  readonly startedAt: Date;
  /** Calls taken by the fast path, by request id, so notifications/cancelled can abort them. */
  readonly fastCalls = new LazyMap<RequestId, AbortController>();

  private kind: ClientType;
  private lastActivity = Date.now();
  /** Requests being handled and streams held open here: a session with either never idles out. */
  private inflight = 0;
  private openStreams = 0;
  /** Server→client requests of this copy waiting for the client's answer. */
  private asking = 0;
  private reason: string | undefined;
  /** The copy is dropped while the session goes on elsewhere (restart, idle copy): no end is recorded. */
  private released = false;
  private done = false;
  private proxy: Server | undefined;
  private declaredCaps: ServerCapabilities = {};
  private hello: Handshake | undefined;
  private level: LoggingLevel | undefined;
  /** Built on the first subscription: most sessions never subscribe. */
  private subscriptions: Set<string> | undefined;
  private closeTransport: () => Promise<void> = () => Promise.resolve();

  constructor(init: SessionInit) {
    this.id = init.id;
    this.transport = init.transport;
    this.endpoint = init.endpoint;
    this.serverId = init.serverId;
    this.principal = init.principal;
    this.identity = principalIdentity(init.principal);
    this.kind = init.clientType;
    this.userAgent = init.userAgent;
    this.ip = init.ip;
    this.startedAt = init.startedAt ?? new Date();
  }

  /** Connects the session's own server (undefined while it is being built); `close` ends its transport. */
  attach(server: Server | undefined, declared: ServerCapabilities, close: () => Promise<void>): void {
    this.proxy = server;
    this.declaredCaps = declared;
    this.closeTransport = close;
    this.lastActivity = Date.now();
  }

  get server(): Server | undefined {
    return this.proxy;
  }

  /** What the session's endpoint declared at initialize. */
  get declared(): ServerCapabilities {
    return this.declaredCaps;
  }

  get clientType(): ClientType {
    return this.kind;
  }

  /** The client said who it is (legacy SSE sessions learn it after the stream opened). */
  identified(clientType: ClientType, hello?: Handshake): void {
    this.kind = clientType;
    if (hello) this.hello = hello;
  }

  get handshake(): Handshake | undefined {
    return this.hello;
  }

  /** Whether a request for `endpoint` by `principal` may use this session (else: 404, as unknown). */
  accepts(endpoint: EndpointRef, principal: Principal): boolean {
    return (
      !this.done &&
      this.endpoint.projectId === endpoint.projectId &&
      this.endpoint.serverName === endpoint.serverName &&
      this.identity === principalIdentity(principal)
    );
  }

  /** What the client declared at initialize (undefined before). */
  get clientCapabilities(): ClientCapabilities | undefined {
    return this.proxy?.getClientCapabilities() ?? this.hello?.capabilities;
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

  // ---- activity ----

  /** Marks activity now; returns when the previous activity was. */
  touch(now = Date.now()): number {
    const before = this.lastActivity;
    this.lastActivity = now;
    return before;
  }

  beginRequest(): void {
    this.inflight++;
  }

  endRequest(): void {
    this.inflight--;
    this.lastActivity = Date.now();
  }

  streamOpened(): void {
    this.openStreams++;
  }

  streamClosed(): void {
    if (this.openStreams > 0) this.openStreams--;
    this.lastActivity = Date.now();
  }

  /** Whether this instance holds the session's open stream (the GET stream, or the legacy SSE stream). */
  get holdsStream(): boolean {
    return this.openStreams > 0;
  }

  /** Nothing running, no stream open and no activity since `cutoff`. */
  idleSince(cutoff: number): boolean {
    return this.inflight === 0 && this.openStreams === 0 && this.asking === 0 && this.lastActivity < cutoff;
  }

  /** Busy right now: requests running or a stream open here. */
  get busy(): boolean {
    return this.inflight > 0 || this.openStreams > 0;
  }

  askStarted(): void {
    this.asking++;
  }

  askEnded(): void {
    this.asking--;
  }

  /** Whether this copy waits for the client's answer to a server→client request. */
  get awaitingAnswers(): boolean {
    return this.asking > 0;
  }

  // ---- logging and subscriptions ----

  get logLevel(): LoggingLevel | undefined {
    return this.level;
  }

  setLogLevel(level: LoggingLevel | undefined): void {
    this.level = level;
  }

  subscribe(key: string): void {
    (this.subscriptions ??= new Set()).add(key);
  }

  unsubscribe(key: string): void {
    this.subscriptions?.delete(key);
  }

  isSubscribed(key: string): boolean {
    return this.subscriptions?.has(key) ?? false;
  }

  get subscriptionKeys(): string[] {
    return this.subscriptions ? [...this.subscriptions] : [];
  }

  /** Takes the mutable state another instance recorded (after a change announced elsewhere). */
  adopt(level: LoggingLevel | undefined, subscriptions: readonly string[]): void {
    this.level = level;
    this.subscriptions = subscriptions.length > 0 ? new Set(subscriptions) : undefined;
  }

  // ---- ending ----

  get ended(): boolean {
    return this.done;
  }

  /** True when this copy is dropped while the session goes on elsewhere. */
  get isReleased(): boolean {
    return this.released;
  }

  get endReason(): string | undefined {
    return this.reason;
  }

  /** Records why the session ends, if nobody said so first. */
  endingBecause(reason: string): void {
    this.reason ??= reason;
  }

  /** The registry's once-only mark; false when the session was already marked. */
  markEnded(): boolean {
    if (this.done) return false;
    this.done = true;
    for (const call of this.fastCalls.values()) call.abort("session ended");
    return true;
  }

  /** Ends the session (idempotent); the registry's onclose hook records why. */
  async end(reason: string): Promise<void> {
    this.reason ??= reason;
    await this.closeTransport();
  }

  /** Drops this copy only: the session stays valid and another instance (or a restart) serves it. */
  async release(reason: string): Promise<void> {
    if (this.reason === undefined) this.released = true;
    this.reason ??= reason;
    await this.closeTransport();
  }
}

/**
 * The few Map operations the fast path uses, on a Map built only while calls are running: an idle
 * session holds none (an empty Map is ~200 bytes, docs/BENCHMARKS.md "Idle sessions").
 */
export class LazyMap<K, V> {
  private map: Map<K, V> | undefined;

  get size(): number {
    return this.map?.size ?? 0;
  }

  get(key: K): V | undefined {
    return this.map?.get(key);
  }

  set(key: K, value: V): this {
    (this.map ??= new Map()).set(key, value);
    return this;
  }

  delete(key: K): boolean {
    const deleted = this.map?.delete(key) ?? false;
    if (this.map?.size === 0) this.map = undefined;
    return deleted;
  }

  values(): IterableIterator<V> {
    return (this.map ?? new Map<K, V>()).values();
  }

  keys(): IterableIterator<K> {
    return (this.map ?? new Map<K, V>()).keys();
  }
}
