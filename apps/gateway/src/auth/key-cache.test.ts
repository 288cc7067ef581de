import { describe, expect, it } from "vitest";
import { KeyCache, KeyStoreUnavailableError, type KeyRecord } from "./key-cache";

const PROJECT = "11111111-1111-4111-8111-111111111111";
const key = (over: Partial<KeyRecord> = {}): KeyRecord => ({ id: "k1", projectId: PROJECT, hash: "h1", expiresAt: null, revokedAt: null, rateLimitPerMinute: null, ...over });

function harness(initial: KeyRecord | undefined) {
  let now = 1_000_000;
  let record = initial;
  let down = false;
  let lookups = 0;
  const revoked: string[] = [];
  const cache = new KeyCache({
    lookup: () => {
      lookups++;
      return down ? Promise.reject(new Error("connection refused")) : Promise.resolve(record);
    },
    freshMs: 10_000,
    staleMaxMs: 600_000,
    negativeMs: 2_000,
    onRevoked: (hash) => revoked.push(hash),
    now: () => now,
  });
  return {
    cache,
    revoked,
    lookups: () => lookups,
    advance: (ms: number) => void (now += ms),
    set: (r: KeyRecord | undefined) => void (record = r),
    setDown: (d: boolean) => void (down = d),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("KeyCache", () => {
  it("after markStale keeps serving at once and re-checks in the background (a revocation found there is reported)", async () => {
    const h = harness(key());
    await h.cache.verify(PROJECT, "h1");
    expect(h.cache.servesAny()).toBe(true);
    h.cache.markStale();
    h.set(key({ revokedAt: new Date() }));
    expect(await h.cache.verify(PROJECT, "h1")).toMatchObject({ ok: true });
    await settle();
    expect(h.lookups()).toBe(2);
    expect(h.revoked).toEqual(["h1"]);
    expect(h.cache.servesAny()).toBe(false);
  });

  it("looks a key up once and serves it from memory while fresh", async () => {
    const h = harness(key());
    expect(await h.cache.verify(PROJECT, "h1")).toEqual({ ok: true, key: key() });
    expect(await h.cache.verify(PROJECT, "h1")).toMatchObject({ ok: true });
    expect(h.lookups()).toBe(1);
  });

  it("refuses revoked and expired keys", async () => {
    expect(await harness(key({ revokedAt: new Date() })).cache.verify(PROJECT, "h1")).toEqual({ ok: false });
    expect(await harness(key({ expiresAt: new Date(0) })).cache.verify(PROJECT, "h1")).toEqual({ ok: false });
  });

  it("serves a stale entry at once and re-checks it in the background, reporting a revocation", async () => {
    const h = harness(key());
    await h.cache.verify(PROJECT, "h1");
    h.advance(11_000);
    h.set(key({ revokedAt: new Date() }));
    expect(await h.cache.verify(PROJECT, "h1")).toMatchObject({ ok: true });
    await settle();
    expect(h.revoked).toEqual(["h1"]);
    expect(await h.cache.verify(PROJECT, "h1")).toEqual({ ok: false });
  });

  it("keeps serving a known key while the database is down, up to the stale limit", async () => {
    const h = harness(key());
    await h.cache.verify(PROJECT, "h1");
    h.setDown(true);
    h.advance(9 * 60_000);
    expect(await h.cache.verify(PROJECT, "h1")).toMatchObject({ ok: true });
    await settle();
    h.advance(2 * 60_000);
    await expect(h.cache.verify(PROJECT, "h1")).rejects.toBeInstanceOf(KeyStoreUnavailableError);
  });

  it("answers unavailable, not unknown, for a key it never saw while the database is down", async () => {
    const h = harness(key());
    h.setDown(true);
    await expect(h.cache.verify(PROJECT, "h1")).rejects.toBeInstanceOf(KeyStoreUnavailableError);
  });

  it("remembers unknown keys briefly and forgets invalidated ones", async () => {
    const h = harness(undefined);
    expect(await h.cache.verify(PROJECT, "h1")).toEqual({ ok: false });
    h.set(key());
    expect(await h.cache.verify(PROJECT, "h1")).toEqual({ ok: false });
    h.advance(2_001);
    expect(await h.cache.verify(PROJECT, "h1")).toMatchObject({ ok: true });
    h.cache.invalidate("h1");
    expect(h.cache.size).toBe(0);
  });
});
