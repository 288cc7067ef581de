/**
 * What the tool catalogue and the prompt/resource catalogue share for servers with no cached
 * catalogue yet: each is listed live through the pool (one listing at a time per server), the
 * first listing of an endpoint waits for it up to `liveDeadlineMs` (its connect timeout: clients
 * that ignore list_changed would otherwise show an empty list for a server just added), servers
 * known to be down (offline or failing at their last check, or whose live listing just failed
 * less than `retryMs` ago) are not waited for, and `onLiveListed` tells the sessions
 * (list_changed) when they arrive. Endpoint views built from the state and these live results are
 * memoized per state until a live result changes them.
 */
import { isKnownDown, type ProjectState, type ServerEntry } from "./projects/project-state";

/** The options a catalogue passes on as they were given to it. */
export interface LiveListingTimings {
  /** How long a first listing waits for a never-listed server (default 30 s, the pool's connect timeout). */
  liveDeadlineMs?: number;
  /** Pause before listing a server again after a failed live listing (default 15 s). */
  retryMs?: number;
  onLiveListed?: (projectId: string, serverId: string) => void;
  onError?: (e: unknown, context: string) => void;
}

export interface LiveListingsOptions<T> extends LiveListingTimings {
  /** Lists one server through the pool. */
  list: (state: ProjectState, server: ServerEntry, sessionId: string) => Promise<T>;
  /** Records a live result; a failure is reported through `onError` under `recordContext`. */
  record: (state: ProjectState, server: ServerEntry, listed: T) => Promise<unknown>;
  /** What is listed, for error contexts (`listing {what} of {server}`). */
  what: string;
  recordContext: string;
}

export class LiveListings<T, V> {
  private readonly live = new Map<string, T>();
  private readonly listing = new Map<string, Promise<void>>();
  private readonly failedAt = new Map<string, number>();
  private version = 0;
  private readonly views = new WeakMap<ProjectState, Map<string, { version: number; view: V }>>();

  constructor(private readonly opts: LiveListingsOptions<T>) {}

  /** The live result of a server not cached yet. */
  get(serverId: string): T | undefined {
    return this.live.get(serverId);
  }

  /** Drops a live result once the database has the server's catalogue. */
  forget(serverId: string): void {
    this.live.delete(serverId);
  }

  /** Keeps a fresh result (a relisting) in place of the cached catalogue until the state has it. */
  set(serverId: string, listed: T): void {
    this.live.set(serverId, listed);
    this.version++;
  }

  /** The view of `key` in `state`, built again only after a live result arrived. */
  view(state: ProjectState, key: string, build: () => V): V {
    let perState = this.views.get(state);
    if (!perState) {
      perState = new Map();
      this.views.set(state, perState);
    }
    const memo = perState.get(key);
    if (memo && memo.version === this.version) return memo.view;
    const view = build();
    perState.set(key, { version: this.version, view });
    return view;
  }

  /** A first listing: waits for the never-listed servers not known to be down, starts the others. */
  async first(state: ProjectState, uncached: ServerEntry[], sessionId: string): Promise<void> {
    const down = uncached.filter(isKnownDown);
    if (down.length > 0) void this.discover(state, down, sessionId, 0);
    await this.discover(state, uncached.filter((s) => !isKnownDown(s)), sessionId, this.opts.liveDeadlineMs ?? 30_000);
  }

  /** Lists `servers` (those not failed within `retryMs`) live, waiting up to `deadlineMs`. */
  async discover(state: ProjectState, servers: ServerEntry[], sessionId: string, deadlineMs: number): Promise<void> {
    const now = Date.now();
    const pending = servers
      .filter((s) => this.listing.has(s.id) || now - (this.failedAt.get(s.id) ?? Number.NEGATIVE_INFINITY) > (this.opts.retryMs ?? 15_000))
      .map((s) => this.listLive(state, s, sessionId));
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(pending), new Promise((resolve) => (timer = setTimeout(resolve, deadlineMs)))]);
    clearTimeout(timer);
  }

  private listLive(state: ProjectState, server: ServerEntry, sessionId: string): Promise<void> {
    const running = this.listing.get(server.id);
    if (running) return running;
    const job = this.opts
      .list(state, server, sessionId)
      .then((listed) => {
        this.live.set(server.id, listed);
        this.failedAt.delete(server.id);
        this.version++;
        this.opts.onLiveListed?.(state.projectId, server.id);
        this.opts.record(state, server, listed).catch((e: unknown) => this.opts.onError?.(e, this.opts.recordContext));
      })
      .catch((e: unknown) => {
        this.failedAt.set(server.id, Date.now());
        this.opts.onError?.(e, `listing ${this.opts.what} of ${server.name}`);
      })
      .finally(() => this.listing.delete(server.id));
    this.listing.set(server.id, job);
    return job;
  }
}
