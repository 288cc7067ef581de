/**
 * Who is calling an MCP endpoint: a project API key or a console try-it token, checked on every
 * request without touching the database for a known key. Every failure looks the same to the
 * caller (missing, unknown, revoked, expired and another project's key alike) and counts against
 * the source IP.
 */
import { hashApiKey, looksLikeApiKey, verifyConsoleToken, CONSOLE_TOKEN_PREFIX } from "@switchyard/core";
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

export interface AuthenticatorDeps {
  keys: KeyCache;
  authSecret: string;
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

export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  /**
   * @param countRequest whether this request takes from the caller's rate limit (JSON-RPC
   *   traffic does; opening a stream or ending a session does not).
   */
  async authenticate(projectId: string, authorization: string | undefined, ip: string, countRequest: boolean): Promise<AuthOutcome> {
    const blockedMs = this.deps.failedAttempts.blockedFor(ip);
    if (blockedMs > 0) return { ok: false, reason: "ip_blocked", retryAfterMs: blockedMs };
    const identified = await this.identify(projectId, bearerToken(authorization));
    if (!identified.ok) {
      if (identified.reason === "invalid") this.deps.failedAttempts.fail(ip);
      return identified;
    }
    const principal = identified.principal;
    if (countRequest) {
      const subject = principalIdentity(principal);
      const decision = await this.deps.rateLimiter.consume(subject, principal.kind === "api_key" ? principal.rateLimitPerMinute : null);
      if (!decision.allowed) {
        this.deps.onRateLimited?.(principal, new Date());
        return { ok: false, reason: "rate_limited", retryAfterMs: decision.retryAfterMs };
      }
    }
    if (principal.kind === "api_key") this.deps.usage.touch(projectId, principal.apiKeyId, ip === "unknown" ? null : ip);
    return identified;
  }

  private async identify(projectId: string, token: string | undefined): Promise<AuthOutcome> {
    if (!token || !UUID_PATTERN.test(projectId)) return { ok: false, reason: "invalid" };
    if (token.startsWith(CONSOLE_TOKEN_PREFIX)) {
      const claims = verifyConsoleToken(this.deps.authSecret, token, projectId);
      return claims ? { ok: true, principal: { kind: "console", projectId, userId: claims.userId } } : { ok: false, reason: "invalid" };
    }
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
}

/** The token of an `Authorization: Bearer …` header (scheme case-insensitive). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
