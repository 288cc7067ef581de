/**
 * Sign-in throttling that a stranger cannot turn against a user (docs/SECURITY.md):
 * - failures count per address *and* account: 10 in 15 minutes block that pair only, so someone
 *   else's failures (another address, or another account from a shared address) block nobody;
 * - an address spraying many accounts is blocked after 100 failures in 15 minutes;
 * - an account is never locked: past 10 failures from anywhere, each further attempt on it is
 *   delayed (doubling up to 5 s), which bounds password guessing without a lock-out;
 * - a successful sign-in clears its pair and the account's delay.
 * In memory per console process (one per instance; the gateway has its own limits).
 */
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";

const WINDOW_SECONDS = 15 * 60;
const PAIR_LIMIT = 10;
const ADDRESS_LIMIT = 100;
const ACCOUNT_FREE_FAILURES = 10;
const MAX_DELAY_MS = 5_000;

const byPair = new RateLimiterMemory({ keyPrefix: "login_pair", points: PAIR_LIMIT, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
const byAddress = new RateLimiterMemory({ keyPrefix: "login_ip", points: ADDRESS_LIMIT, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
const byAccount = new RateLimiterMemory({ keyPrefix: "login_account", points: 1_000_000, duration: WINDOW_SECONDS });

const pairKey = (email: string, ip: string) => `${ip}|${email.toLowerCase()}`;

function blocked(res: RateLimiterRes | null, limit: number): boolean {
  return res !== null && res.consumedPoints >= limit;
}

/** Seconds until this address may try this account again, or 0 when allowed. */
export async function loginRetryAfter(email: string, ip: string): Promise<number> {
  const [pair, address] = await Promise.all([byPair.get(pairKey(email, ip)), byAddress.get(ip)]);
  const waits = [blocked(pair, PAIR_LIMIT) ? pair?.msBeforeNext : 0, blocked(address, ADDRESS_LIMIT) ? address?.msBeforeNext : 0].map((ms) => Math.ceil((ms ?? 0) / 1000));
  return Math.max(0, ...waits);
}

/** How long to hold an attempt on this account before checking its password (0 for most). */
export async function accountDelayMs(email: string): Promise<number> {
  const failures = (await byAccount.get(email.toLowerCase()))?.consumedPoints ?? 0;
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, 250 * 2 ** Math.min(failures - ACCOUNT_FREE_FAILURES, 5));
}

export async function recordLoginFailure(email: string, ip: string): Promise<void> {
  // consume() rejects once a limit is reached; that rejection is the block we want, not an error.
  await Promise.allSettled([byPair.consume(pairKey(email, ip)), byAddress.consume(ip), byAccount.consume(email.toLowerCase())]);
}

export async function recordLoginSuccess(email: string, ip: string): Promise<void> {
  await Promise.all([byPair.delete(pairKey(email, ip)), byAccount.delete(email.toLowerCase())]);
}
