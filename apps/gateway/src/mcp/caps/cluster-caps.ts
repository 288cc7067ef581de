/**
 * Caps counted across every gateway instance in Redis (docs/ARCHITECTURE.md, "Cluster-wide caps"),
 * two ways:
 * - holdings (open sessions): one sorted set of leases per capped subject (a credential, a
 *   project), each member a holding scored by when its lease runs out. A claim drops expired
 *   leases, counts, and takes a lease in every subject or in none, in one Lua script.
 * - shares (running calls, too many to ask Redis about one by one): per subject, how many places
 *   each instance has reserved (a hash) and when its reservation runs out (a sorted set). An
 *   instance sets its own reservation in one script for many subjects at once and decides each
 *   call from memory against it (mcp/tools/call-slots.ts).
 * Holders renew their leases; an instance killed without releasing loses its holdings and shares
 * when their leases run out. Every method rejects when Redis does not answer: callers count locally.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

export interface CapSubject {
  /** The Redis key suffix, e.g. `calls:key:<identity>`. */
  key: string;
  limit: number;
}

// KEYS: the subjects' sets. ARGV: member, lease expiry (ms), then one limit per key.
// Returns 0 when taken, else the (1-based) index of the first full subject.
const CLAIM = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', nowMs)
  if redis.call('ZSCORE', key, ARGV[1]) == false and redis.call('ZCARD', key) >= tonumber(ARGV[i + 2]) then return i end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, nowMs + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2]))
end
return 0
`;

// KEYS: the subjects' sets. ARGV: lease length (ms), then members (renewed only where still held).
const RENEW = `
local now = redis.call('TIME')
local untilMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  for i = 2, #ARGV do redis.call('ZADD', key, 'XX', untilMs, ARGV[i]) end
  redis.call('PEXPIRE', key, tonumber(ARGV[1]))
end
return 0
`;

// KEYS: the subjects' sets. ARGV: the old member, the new one, lease length (ms).
const SWAP = `
local now = redis.call('TIME')
local untilMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + tonumber(ARGV[3])
for _, key in ipairs(KEYS) do
  if redis.call('ZREM', key, ARGV[1]) == 1 then redis.call('ZADD', key, untilMs, ARGV[2]) end
  redis.call('PEXPIRE', key, tonumber(ARGV[3]))
end
return 0
`;

// KEYS: per subject its shares hash then its leases set. ARGV: instance, lease length (ms), the
// number of subjects, per subject its limit, keep, used and extra, then the waiting calls as pairs of
// subject indexes (1-based). Sets the instance's reservation in each subject and returns them. A
// reservation starts at `keep` (never lower: places this instance may be using); each waiting call, in
// order, is counted in both of its subjects if both have room — within the reservation (`used` counts
// the calls running) or beside what the other instances hold — else in neither; then up to `extra`
// more is added, never more than half of the room left so headroom leaves room for the others.
// Returns the reservations, then each subject's room (its limit less the other instances' reservations).
const RESERVE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local me = ARGV[1]
local lease = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local room, mine, used, extra = {}, {}, {}, {}
for i = 1, n do
  local shares, leases = KEYS[2 * i - 1], KEYS[2 * i]
  local a = 3 + (i - 1) * 4
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', nowMs)
  if #expired > 0 then
    redis.call('HDEL', shares, unpack(expired))
    redis.call('ZREMRANGEBYSCORE', leases, '-inf', nowMs)
  end
  local others = 0
  local all = redis.call('HGETALL', shares)
  for j = 1, #all, 2 do
    if all[j] ~= me then others = others + tonumber(all[j + 1]) end
  end
  room[i] = tonumber(ARGV[a + 1]) - others
  mine[i] = tonumber(ARGV[a + 2])
  used[i] = tonumber(ARGV[a + 3])
  extra[i] = tonumber(ARGV[a + 4])
end
for w = 4 + n * 4, #ARGV, 2 do
  local k, p = tonumber(ARGV[w]), tonumber(ARGV[w + 1])
  if (used[k] < mine[k] or mine[k] < room[k]) and (used[p] < mine[p] or mine[p] < room[p]) then
    for _, i in ipairs({ k, p }) do
      if used[i] >= mine[i] then mine[i] = mine[i] + 1 end
      used[i] = used[i] + 1
    end
  end
end
for i = 1, n do
  local shares, leases = KEYS[2 * i - 1], KEYS[2 * i]
  if extra[i] > 0 and room[i] > mine[i] then mine[i] = mine[i] + math.min(extra[i], math.floor((room[i] - mine[i]) / 2)) end
  if mine[i] > 0 then
    redis.call('HSET', shares, me, mine[i])
    redis.call('ZADD', leases, nowMs + lease, me)
    redis.call('PEXPIRE', shares, lease)
    redis.call('PEXPIRE', leases, lease)
  else
    redis.call('HDEL', shares, me)
    redis.call('ZREM', leases, me)
  end
end
for i = 1, n do mine[n + i] = room[i] end
return mine
`;

/** One subject in a `reserve`: see the script above. */
export interface ShareAsk {
  key: string;
  limit: number;
  /** The reservation kept at least: places this instance may be using. */
  keep: number;
  /** Calls running here in it. */
  used: number;
  /** Headroom wanted beyond the waiting calls. */
  extra: number;
}

const SHAS: Record<string, string> = {};

export class ClusterCaps {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "sy:caps",
  ) {}

  /** Takes a lease on `member` in every subject; the first full subject when none is taken. */
  async claim(subjects: readonly CapSubject[], member: string, leaseMs: number): Promise<CapSubject | undefined> {
    this.ready();
    const full = Number(await this.run(CLAIM, subjects.map((s) => this.key(s.key)), [member, leaseMs, ...subjects.map((s) => s.limit)]));
    return full === 0 ? undefined : subjects[full - 1];
  }

  async release(keys: readonly string[], member: string): Promise<void> {
    this.ready();
    const pipe = this.redis.pipeline();
    for (const key of keys) pipe.zrem(this.key(key), member);
    await pipe.exec();
  }

  /** Renews the leases of `members` (all held in `keys`) for another `leaseMs`. */
  async renew(keys: readonly string[], members: readonly string[], leaseMs: number): Promise<void> {
    if (members.length === 0) return;
    this.ready();
    await this.run(RENEW, keys.map((k) => this.key(k)), [leaseMs, ...members]);
  }

  /** Renames a held lease (its holder got its final name), renewing it. */
  async swap(keys: readonly string[], from: string, to: string, leaseMs: number): Promise<void> {
    this.ready();
    await this.run(SWAP, keys.map((k) => this.key(k)), [from, to, leaseMs]);
  }

  /**
   * Sets this instance's reservation in every subject of `asks`, room made first for the `waiting`
   * calls (each a pair of indexes into `asks`: its credential's and its project's), in one round
   * trip; per subject, in order, the reservation set and the room the other instances leave.
   */
  async reserve(instance: string, asks: readonly ShareAsk[], waiting: readonly (readonly [number, number])[], leaseMs: number): Promise<{ mine: number; room: number }[]> {
    this.ready();
    const keys: string[] = [];
    const args: (string | number)[] = [instance, leaseMs, asks.length];
    for (const a of asks) {
      keys.push(this.key(`${a.key}:shares`), this.key(`${a.key}:leases`));
      args.push(a.limit, a.keep, a.used, a.extra);
    }
    for (const [k, p] of waiting) args.push(k + 1, p + 1);
    const got = ((await this.run(RESERVE, keys, args)) as unknown[]).map(Number);
    return asks.map((_, i) => ({ mine: got[i] ?? 0, room: got[asks.length + i] ?? 0 }));
  }

  /** By the script's digest (the text goes over the wire only when Redis does not know it yet). */
  private async run(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    const sha = (SHAS[script] ??= createHash("sha1").update(script).digest("hex"));
    try {
      return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith("NOSCRIPT")) throw e;
      return this.redis.eval(script, keys.length, ...keys, ...args);
    }
  }

  /** Fails fast instead of queueing behind a reconnect: the request path must not wait on Redis. */
  private ready(): void {
    if (this.redis.status !== "ready") throw new Error(`redis is ${this.redis.status}`);
  }

  private key(suffix: string): string {
    return `${this.prefix}:${suffix}`;
  }
}
