/**
 * Login rate limiting: failed attempts are counted per email and per client address; a blocked
 * key gets `rate_limited` before any password is checked. In-memory per console process (the
 * console runs as one process per instance; the gateway has its own limits).
 */
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";

const WINDOW_SECONDS = 15 * 60;

const byEmail = new RateLimiterMemory({ keyPrefix: "login_email", points: 10, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
const byIp = new RateLimiterMemory({ keyPrefix: "login_ip", points: 30, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });

function blocked(res: RateLimiterRes | null, limit: number): boolean {
  return res !== null && res.consumedPoints >= limit;
}

/** Seconds until the caller may try again, or 0 when allowed. */
export async function loginRetryAfter(email: string, ip: string): Promise<number> {
  const [e, i] = await Promise.all([byEmail.get(email.toLowerCase()), byIp.get(ip)]);
  const waits = [blocked(e, 10) ? e?.msBeforeNext : 0, blocked(i, 30) ? i?.msBeforeNext : 0].map((ms) => Math.ceil((ms ?? 0) / 1000));
  return Math.max(0, ...waits);
}

export async function recordLoginFailure(email: string, ip: string): Promise<void> {
  // consume() rejects once the limit is reached; that rejection is the block we want, not an error.
  await Promise.allSettled([byEmail.consume(email.toLowerCase()), byIp.consume(ip)]);
}

export async function recordLoginSuccess(email: string): Promise<void> {
  await byEmail.delete(email.toLowerCase());
}

/** The client address as seen by `next start` (it sets x-forwarded-for from the socket) or a proxy. */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}
