/**
 * Who is calling an MCP endpoint: a project API key or a console try-it token, checked on every
 * request without touching the database for a known key. Every failure looks the same to the
 * caller (missing, unknown, revoked, expired and another project's key alike). Failures count
 * against the caller's address together with the presented key's prefix, so someone else's bad
 * keys from the same address (a shared NAT, the proxy in front) never block a valid key.
 */
import { CONSOLE_TOKEN_PREFIX, verifyConsoleToken, type ConsoleTokenClaims } from "@switchyard/core/console-token";
import { hashApiKey, looksLikeApiKey } from "@switchyard/core/api-key-material";
import { UUID_PATTERN } from "@switchyard/shared";
import type { CallRateLimiter } from "./call-rate-limiter";
import type { FailedAttempts } from "./failed-attempts";
import { KeyStoreUnavailableError, type KeyCache } from "./key-cache";
import type { KeyUsage } from "./key-usage";

export type Principal =
  | { kind: "api_key"; projectId: string; apiKeyId: string; keyHash: string; rateLimitPerMinute: number | null }
  | { kind: "console"; projectId: string; userId: string };

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "ip_blocked" | "rate_limited"; retryAfterMs: number }
  | { ok: false; reason: "unavailable" };

export type RateOutcome = { ok: true } | { ok: false; reason: "rate_limited"; retryAfterMs: number };

export interface AuthenticatorDeps {
  keys: KeyCache;
  authSecret: string;
  /** Whether a console token's user may still call tools in its project (membership, role, session version). */
  consoleAccess: (claims: ConsoleTokenClaims) => Promise<boolean>;
  failedAttempts: FailedAttempts;
  rateLimiter: CallRateLimiter;
  usage: KeyUsage;
  /** A key's request was refused by its rate limit (counted per key and minute, not logged one by one). */
  onRateLimited?: (principal: Principal, at: Date) => void;
}

/** The identity a session is bound to: a later request must present the same one. */
export function principalIdentity(p: Principal): string {
  return p.kind === "api_key" ? `key:${p.apiKeyId}` : `user:${p.userId}`;
}

/** Long enough to tell keys apart (the console shows this much), too short to say anything of a secret. */
const THROTTLE_PREFIX_LENGTH = 10;

/** The failed-auth throttle's subject: the address and what the caller presented (its prefix only). */
export function failureSubject(ip: string, token: string | undefined): string {
  return `${ip}|${token?.slice(0, THROTTLE_PREFIX_LENGTH) ?? ""}`;
}

export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  /**
   * @param units taken from the caller's rate limit now: 1 for opening a stream, 0 for a POST
   *   (charged per JSON-RPC request through `charge` once its body is read) or ending a session.
   */
  async authenticate(projectId: string, authorization: string | undefined, ip: string, units: number): Promise<AuthOutcome> {
    const token = bearerToken(authorization);
    const subject = failureSubject(ip, token);
    const blockedMs = this.deps.failedAttempts.blockedFor(subject);
    if (blockedMs > 0) return { ok: false, reason: "ip_blocked", retryAfterMs: blockedMs };
    const identified = await this.identify(projectId, token);
    if (!identified.ok) {
      if (identified.reason === "invalid") this.deps.failedAttempts.fail(subject);
      return identified;
    }
    const principal = identified.principal;
    const charged = await this.charge(principal, units);
    if (!charged.ok) return charged;
    if (principal.kind === "api_key") this.deps.usage.touch(projectId, principal.apiKeyId, ip === "unknown" ? null : ip);
    return identified;
  }

  /** Takes `units` requests from the principal's budget for the current minute. */
  async charge(principal: Principal, units: number): Promise<RateOutcome> {
    if (units <= 0) return { ok: true };
    const perMinute = principal.kind === "api_key" ? principal.rateLimitPerMinute : null;
    const decision = await this.deps.rateLimiter.consume(principalIdentity(principal), perMinute, units);
    if (decision.allowed) return { ok: true };
    this.deps.onRateLimited?.(principal, new Date());
    return { ok: false, reason: "rate_limited", retryAfterMs: decision.retryAfterMs };
  }

  private async identify(projectId: string, token: string | undefined): Promise<AuthOutcome> {
    if (!token || !UUID_PATTERN.test(projectId)) return { ok: false, reason: "invalid" };
    if (token.startsWith(CONSOLE_TOKEN_PREFIX)) return this.identifyConsole(projectId, token);
    if (!looksLikeApiKey(token)) return { ok: false, reason: "invalid" };
    const hash = hashApiKey(token);
    try {
      const verdict = await this.deps.keys.verify(projectId, hash);
      if (!verdict.ok) return { ok: false, reason: "invalid" };
      const key = verdict.key;
      return { ok: true, principal: { kind: "api_key", projectId, apiKeyId: key.id, keyHash: hash, rateLimitPerMinute: key.rateLimitPerMinute } };
    } catch (e) {
      if (e instanceof KeyStoreUnavailableError) return { ok: false, reason: "unavailable" };
      throw e;
    }
  }

  /** A signed token names a user and a project; the database decides whether that user may still call it. */
  private async identifyConsole(projectId: string, token: string): Promise<AuthOutcome> {
    const claims = verifyConsoleToken(this.deps.authSecret, token, projectId);
    if (!claims) return { ok: false, reason: "invalid" };
    let allowed: boolean;
    try {
      allowed = await this.deps.consoleAccess(claims);
    } catch {
      return { ok: false, reason: "unavailable" };
    }
    return allowed ? { ok: true, principal: { kind: "console", projectId, userId: claims.userId } } : { ok: false, reason: "invalid" };
  }
}

/** The token of an `Authorization: Bearer …` header (scheme case-insensitive). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
