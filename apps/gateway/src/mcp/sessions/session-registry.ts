/**
 * Open sessions by id, with indexes by credential (revocation closes them) and by project
 * (list_changed fan-out), and the idle sweep: a copy with no request in flight, no open stream
 * and no activity for `idleTtlMs` is released (the session itself ends when no instance used it
 * for that long: see session-hub.ts). Once a session's transport closes, nothing here references
 * it any more.
 */
import type { ClientTransport } from "@switchyard/shared";
import type { Session } from "./session";

export interface SessionRegistryOptions {
  idleTtlMs?: number;
  sweepIntervalMs?: number;
  now?: () => number;
}

/** What the session hub hears from the registry. */
export interface RegistryWatcher {
  /** Once per session copy when it is gone, with the reason (released copies too: see `Session.isReleased`). */
  ended(session: Session, reason: string): void;
  /** With every sweep, before idle copies are released (the hub's cluster-wide expiry). */
  sweeping(): Promise<void>;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly byIdentity = new Map<string, Set<Session>>();
  private readonly byProject = new Map<string, Set<Session>>();
  private readonly counts: Record<ClientTransport, number> = { streamable_http: 0, sse: 0 };
  private timer: NodeJS.Timeout | undefined;
  private readonly idleTtlMs: number;
  private readonly now: () => number;
  private watcher: RegistryWatcher | undefined;

  constructor(private readonly opts: SessionRegistryOptions = {}) {
    this.idleTtlMs = opts.idleTtlMs ?? 30 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  watch(watcher: RegistryWatcher): void {
    this.watcher = watcher;
  }

  start(): void {
    const every = this.opts.sweepIntervalMs ?? Math.min(30_000, Math.max(100, Math.floor(this.idleTtlMs / 4)));
    this.timer ??= setInterval(() => void this.sweep(), every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
    index(this.byIdentity, session.identity, session);
    index(this.byProject, session.endpoint.projectId, session);
    this.counts[session.transport]++;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  openCounts(): Record<ClientTransport, number> {
    return { ...this.counts };
  }

  /** Open sessions of one credential (`key:<id>` / `user:<id>`). */
  countFor(identity: string): number {
    return this.byIdentity.get(identity)?.size ?? 0;
  }

  countInProject(projectId: string): number {
    return this.byProject.get(projectId)?.size ?? 0;
  }

  forProject(projectId: string): Session[] {
    return [...(this.byProject.get(projectId) ?? [])];
  }

  /** Every session copy held here. */
  all(): Session[] {
    return [...this.sessions.values()];
  }

  /** Forgets a session whose transport closed; records the end once. */
  remove(session: Session): void {
    // Aborts its fast-path calls, as the SDK does for its own handlers when a connection closes.
    if (!session.markEnded()) return;
    if (this.sessions.get(session.id) === session) {
      this.sessions.delete(session.id);
      this.counts[session.transport]--;
    }
    unindex(this.byIdentity, session.identity, session);
    unindex(this.byProject, session.endpoint.projectId, session);
    this.watcher?.ended(session, session.endReason ?? "closed");
  }

  /** Ends every session opened with `identity` (`key:<id>` / `user:<id>`). */
  async endByIdentity(identity: string, reason: string): Promise<number> {
    return this.endSessions([...(this.byIdentity.get(identity) ?? [])], reason);
  }

  /** The distinct (project, key hash) pairs open sessions are bound to. */
  keyBindings(): { projectId: string; hash: string }[] {
    const seen = new Map<string, { projectId: string; hash: string }>();
    for (const s of this.sessions.values()) {
      if (s.principal.kind === "api_key") seen.set(s.principal.keyHash, { projectId: s.principal.projectId, hash: s.principal.keyHash });
    }
    return [...seen.values()];
  }

  /** Ends every session opened with the API key of this hash (revocation). */
  async endByKeyHash(hash: string, reason: string): Promise<number> {
    return this.endSessions([...this.sessions.values()].filter((s) => s.principal.kind === "api_key" && s.principal.keyHash === hash), reason);
  }

  private async endSessions(sessions: Session[], reason: string): Promise<number> {
    await Promise.all(sessions.map((s) => s.end(reason)));
    return sessions.length;
  }

  get ttlMs(): number {
    return this.idleTtlMs;
  }

  /** Releases copies idle past the TTL (after the hub's own sweep); returns how many. */
  async sweep(): Promise<number> {
    await this.watcher?.sweeping().catch(() => undefined);
    const cutoff = this.now() - this.idleTtlMs;
    const idle = [...this.sessions.values()].filter((s) => s.idleSince(cutoff));
    await Promise.all(idle.map((s) => s.release("idle")));
    return idle.length;
  }
}

function index(map: Map<string, Set<Session>>, key: string, session: Session): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(session);
}

function unindex(map: Map<string, Set<Session>>, key: string, session: Session): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(session);
  if (set.size === 0) map.delete(key);
}
