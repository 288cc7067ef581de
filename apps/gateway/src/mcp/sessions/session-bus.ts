/**
 * Messages between gateway instances about sessions (docs/ARCHITECTURE.md, "Sessions across
 * instances"): a legacy-SSE POST handed to the instance holding the stream, a notification or a
 * server→client request for a stream held elsewhere, a client's answers to a request asked elsewhere. Redis
 * pub/sub when REDIS_URL is set (one channel per instance plus one for all), otherwise Postgres
 * LISTEN/NOTIFY on one channel, each instance keeping what is addressed to it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { DbHandle } from "@switchyard/db";
import { z } from "zod";

const messageSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("sse.post"),
    projectId: z.string(),
    sessionId: z.string(),
    messages: z.array(z.unknown()),
    headers: z.record(z.string(), z.string()),
    url: z.string(),
  }),
  z.object({
    kind: z.literal("notify"),
    projectId: z.string(),
    sessionId: z.string(),
    notification: z.object({ method: z.string(), params: z.looseObject({}).optional() }),
  }),
  z.object({ kind: z.literal("answers"), projectId: z.string(), sessionId: z.string(), messages: z.array(z.unknown()) }),
  // A server→client request outside any call, for a stream held elsewhere: asked there, answered back with `asked`.
  z.object({
    kind: z.literal("ask"),
    askId: z.string(),
    replyTo: z.string(),
    projectId: z.string(),
    sessionId: z.string(),
    request: z.object({ method: z.string(), params: z.looseObject({}).optional() }),
    timeoutMs: z.number(),
  }),
  z.object({
    kind: z.literal("asked"),
    askId: z.string(),
    result: z.looseObject({}).optional(),
    error: z.object({ code: z.number(), message: z.string() }).optional(),
  }),
]);
export type BusMessage = z.infer<typeof messageSchema>;

const envelopeSchema = z.object({ to: z.string(), from: z.string(), message: messageSchema });

/** Addressed to every instance. */
export const EVERY_INSTANCE = "*";

/** Postgres NOTIFY payloads are limited to 8,000 bytes. */
const NOTIFY_MAX_BYTES = 7_900;

export class MessageTooLargeError extends Error {}

export interface SessionBus {
  /** Sends to one instance (or EVERY_INSTANCE); resolves false when Redis says nobody listens there (after a grace for an instance re-subscribing). */
  send(to: string, message: BusMessage): Promise<boolean>;
  close(): Promise<void>;
}

export type BusHandler = (message: BusMessage, from: string) => void;

const PG_CHANNEL = "switchyard_sessions";
const redisChannel = (to: string) => `switchyard:sessions:${to}`;

function decode(raw: string, me: string): { message: BusMessage; from: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success || (parsed.data.to !== me && parsed.data.to !== EVERY_INSTANCE) || parsed.data.from === me) return undefined;
  return parsed.data;
}

/**
 * After Redis comes back, each instance's subscriber reconnects and subscribes again on its own
 * timer, so for a moment a live instance has nobody listening on its channel. A message to one
 * instance that nobody received is published again for this long before it counts as undelivered.
 */
const RESUBSCRIBE_GRACE_MS = 3_000;
const RESUBSCRIBE_POLL_MS = 100;

export async function redisBus(redis: Redis, me: string, onMessage: BusHandler, graceMs = RESUBSCRIBE_GRACE_MS): Promise<SessionBus> {
  const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on("error", () => undefined); // the main client reports Redis trouble
  subscriber.on("message", (_channel: string, raw: string) => {
    const got = decode(raw, me);
    if (got) onMessage(got.message, got.from);
  });
  await subscriber.subscribe(redisChannel(me), redisChannel(EVERY_INSTANCE));
  return {
    send: async (to, message) => {
      const payload = JSON.stringify({ to, from: me, message });
      const giveUpAt = Date.now() + graceMs;
      // Publishing again is safe: a message counted as received by nobody reached nobody.
      while ((await redis.publish(redisChannel(to), payload)) === 0) {
        if (to === EVERY_INSTANCE || Date.now() >= giveUpAt) return false;
        await sleep(RESUBSCRIBE_POLL_MS);
      }
      return true;
    },
    close: () => Promise.resolve(subscriber.disconnect()),
  };
}

export async function postgresBus(sql: DbHandle["sql"], me: string, onMessage: BusHandler): Promise<SessionBus> {
  const listener = await sql.listen(PG_CHANNEL, (raw) => {
    const got = decode(raw, me);
    if (got) onMessage(got.message, got.from);
  });
  return {
    send: async (to, message) => {
      const payload = JSON.stringify({ to, from: me, message });
      if (Buffer.byteLength(payload) > NOTIFY_MAX_BYTES) throw new MessageTooLargeError(`a message between instances holds at most ${NOTIFY_MAX_BYTES} bytes without Redis`);
      await sql.notify(PG_CHANNEL, payload);
      return true;
    },
    close: () => listener.unlisten(),
  };
}
