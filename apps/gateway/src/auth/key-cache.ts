/**
 * API keys by hash, cached so the request path never waits on the database for a known key.
 * A fresh entry is served as is; an older one is served while a background lookup re-checks it
 * (a revocation found there closes the key's sessions); while the database is down an entry keeps
 * serving until it is `staleMaxMs` past its last confirmation, after which the key gets 503.
 */

export interface KeyRecord {
  id: string;
  projectId: string;
  hash: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  rateLimitPerMinute: number | null;
}

/** The database lookup: undefined when `hash` is no key of `projectId`. */
export type KeyLookup = (projectId: string, hash: string) => Promise<KeyRecord | undefined>;

/** The key store could not be asked and nothing usable is cached: answer 503, not 401. */
export class KeyStoreUnavailableError extends Error {
  override readonly name = "KeyStoreUnavailableError";
}

export interface KeyCacheOptions {
  lookup: KeyLookup;
  /** Age past which a served entry is re-checked in the background (default 10 s). */
  freshMs?: number;
  /** Longest an entry serves without a successful re-check, e.g. while the database is down (default 10 min). */
  staleMaxMs?: number;
  /** How long "no such key" is remembered, sparing the database a flood of bad keys (default 2 s). */
  negativeMs?: number;
  maxEntries?: number;
  /** A background re-check found the key revoked, expired or deleted. */
  onRevoked?: (hash: string, keyId: string | undefined) => void;
  onError?: (e: unknown) => void;
  now?: () => number;
}

interface Entry {
  record: KeyRecord | undefined;
  confirmedAt: number;
  refreshing: boolean;
}

export type KeyVerdict = { ok: true; key: KeyRecord } | { ok: false };

export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<KeyRecord | undefined>>();
  private readonly freshMs: number;
  private readonly staleMaxMs: number;
  private readonly negativeMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly opts: KeyCacheOptions) {
    this.freshMs = opts.freshMs ?? 10_000;
    this.staleMaxMs = opts.staleMaxMs ?? 600_000;
    this.negativeMs = opts.negativeMs ?? 2_000;
    this.maxEntries = opts.maxEntries ?? 50_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * The key if it is a live key of `projectId`; rejects with KeyStoreUnavailableError when that
   * cannot be known. A cached entry answers without a promise: the request path takes no async hop.
   */
  verify(projectId: string, hash: string): KeyVerdict | Promise<KeyVerdict> {
    const cacheKey = `${projectId}:${hash}`;
    const entry = this.entries.get(cacheKey);
    const now = this.now();
    if (entry && (entry.record ? now - entry.confirmedAt < this.staleMaxMs : now - entry.confirmedAt < this.negativeMs)) {
      if (entry.record && now - entry.confirmedAt >= this.freshMs) this.refreshInBackground(cacheKey, entry, projectId, hash);
      return verdict(entry.record, now);
    }
    return this.load(cacheKey, projectId, hash).then((record) => verdict(record, now));
  }

  /**
   * Re-checks a key in the background if its entry is past the fresh period: sessions held open
   * without requests still learn about a revocation made elsewhere (the console).
   */
  recheck(projectId: string, hash: string): void {
    const cacheKey = `${projectId}:${hash}`;
    const entry = this.entries.get(cacheKey);
    if (entry?.record && this.now() - entry.confirmedAt >= this.freshMs) this.refreshInBackground(cacheKey, entry, projectId, hash);
  }

  /** Forgets a key everywhere (revocation); the next request looks it up again. */
  invalidate(hash: string): void {
    for (const key of this.entries.keys()) if (key.endsWith(`:${hash}`)) this.entries.delete(key);
  }

  /**
   * Every entry is re-checked in the background on its next use but keeps serving meanwhile (the
   * change feed reconnected: a revocation may have been missed). Nothing on the request path waits.
   */
  markStale(): void {
    const staleAt = this.now() - this.freshMs;
    for (const entry of this.entries.values()) entry.confirmedAt = Math.min(entry.confirmedAt, staleAt);
  }

  /** At least one live key is cached: calls can be served without the database. */
  servesAny(): boolean {
    const now = this.now();
    for (const entry of this.entries.values()) if (entry.record && now - entry.confirmedAt < this.staleMaxMs && isLive(entry.record, now)) return true;
    return false;
  }

  get size(): number {
    return this.entries.size;
  }

  private async load(cacheKey: string, projectId: string, hash: string): Promise<KeyRecord | undefined> {
    let pending = this.inflight.get(cacheKey);
    if (!pending) {
      pending = this.opts.lookup(projectId, hash).finally(() => this.inflight.delete(cacheKey));
      this.inflight.set(cacheKey, pending);
    }
    let record: KeyRecord | undefined;
    try {
      record = await pending;
    } catch (e) {
      this.opts.onError?.(e);
      throw new KeyStoreUnavailableError("the key store is unavailable");
    }
    this.store(cacheKey, { record, confirmedAt: this.now(), refreshing: false });
    return record;
  }

  private refreshInBackground(cacheKey: string, entry: Entry, projectId: string, hash: string): void {
    if (entry.refreshing) return;
    entry.refreshing = true;
    this.opts
      .lookup(projectId, hash)
      .then((record) => {
        if (this.entries.get(cacheKey) !== entry) return;
        this.store(cacheKey, { record, confirmedAt: this.now(), refreshing: false });
        if (!record || !isLive(record, this.now())) this.opts.onRevoked?.(hash, entry.record?.id);
      })
      .catch((e: unknown) => {
        // Database down: keep serving the entry until staleMaxMs; retry on a later request.
        entry.refreshing = false;
        this.opts.onError?.(e);
      });
  }

  private store(cacheKey: string, entry: Entry): void {
    this.entries.delete(cacheKey);
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the entry confirmed longest ago.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(cacheKey, entry);
  }
}

const REFUSED: KeyVerdict = { ok: false };
/** One verdict object per record, reused while it stays cached. */
const verdicts = new WeakMap<KeyRecord, KeyVerdict>();

function verdict(record: KeyRecord | undefined, now: number): KeyVerdict {
  if (!record || !isLive(record, now)) return REFUSED;
  let v = verdicts.get(record);
  if (!v) verdicts.set(record, (v = { ok: true, key: record }));
  return v;
}

function isLive(key: KeyRecord, now: number): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now);
}
