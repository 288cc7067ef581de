/**
 * Caps counted across every gateway instance in Redis (docs/ARCHITECTURE.md, "Cluster-wide caps"):
 * one sorted set of leases per capped subject (a credential, a project), each member a holding
 * (a running call, an open session) scored by when its lease runs out. A claim drops expired
 * leases, counts, and takes a lease in every subject or in none, in one Lua script (one round
 * trip). Holders renew their leases; an instance killed without releasing loses its holdings when
 * their leases run out. Every method rejects when Redis does not answer: callers count locally.
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
