/**
 * A running job system for tests: queues and workers on the chosen backend (real Redis with a
 * prefix of its own, or BullMQ's Postgres backend in the test database), with schedules in
 * seconds instead of minutes and a probe that can be told to throw.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { createWorld, FIXTURE_ARGS, type World } from "./world";
import type { Actor } from "../context";
import { createUser } from "../services/users";
import type { ServerProbe } from "../status/probe-result";
import { createJobQueues, type JobQueues } from "../jobs/job-queues";
import { startJobWorkers, type JobWorkers } from "../jobs/job-workers";
import type { BackendKind } from "../jobs/queue-backend";
import { testRedisUrl } from "./env";

export { testRedisUrl };

/** Fails (never skips) when Redis is not there: CI must not pass without testing the Redis backend. */
export async function assertRedisReachable(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new Error(`Redis is required for these tests (REDIS_URL=${url}): ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    client.disconnect();
  }
}

export interface JobWorld extends World {
  queues: JobQueues;
  workers: JobWorkers;
  admin: Actor;
  nonAdmin: Actor;
  /** The next `n` probes of `serverId` throw (a job that throws, for the retry tests); other servers' probes, from jobs still running, are untouched. */
  failProbes(n: number, serverId: string): void;
  prefix: string;
}

/** Polls `fn` until it returns a truthy value. */
export async function waitFor<T>(fn: () => Promise<T>, what: string, timeoutMs = 15_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function createJobWorld(backend: BackendKind): Promise<JobWorld> {
  const redisUrl = backend === "redis" ? testRedisUrl() : undefined;
  if (redisUrl) await assertRedisReachable(redisUrl);
  const world = await createWorld();
  const prefix = `sy-test-${randomBytes(4).toString("hex")}`;
  const queues = createJobQueues({ redisUrl, databaseUrl: world.tdb.url, prefix, scheduleUnitMs: 1_000, attempts: 2, backoffMs: 200 });
  let failing = { n: 0, serverId: "" };
  const probe: ServerProbe = async (server, timeouts) => {
    if (failing.n > 0 && server.id === failing.serverId) {
      failing.n -= 1;
      throw new Error("probe exploded");
    }
    return world.probe(server, timeouts);
  };
  const workers = startJobWorkers(queues, { db: world.tdb.db, probe, refresh: { connectTimeoutMs: 8_000, callTimeoutMs: 5_000 } });
  await workers.waitUntilReady();
  const stamp = randomBytes(3).toString("hex");
  const admin = await createUser({ db: world.tdb.db }, { kind: "system" }, { email: `admin-${stamp}@example.test`, password: "correct horse battery", isAdmin: true });
  const member = await createUser({ db: world.tdb.db }, { kind: "system" }, { email: `member-${stamp}@example.test`, password: "correct horse battery" });
  return {
    ...world,
    queues,
    workers,
    prefix,
    admin: { kind: "user", userId: admin.id, isAdmin: true },
    nonAdmin: { kind: "user", userId: member.id, isAdmin: false },
    failProbes: (n, serverId) => {
      failing = { n, serverId };
    },
    close: async () => {
      await workers.close();
      if (redisUrl) await removeRedisKeys(redisUrl, prefix);
      await queues.close();
      await world.close();
    },
  };
}

async function removeRedisKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

export { FIXTURE_ARGS };
