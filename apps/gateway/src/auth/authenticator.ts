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
import type { CallRateLimiter, RateDecision } from "./call-rate-limiter";
import type { FailedAttempts } from "./failed-attempts";
import { KeyStoreUnavailableError, type KeyCache, type KeyRecord, type KeyVerdict } from "./key-cache";
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

const identities = new WeakMap<Principal, string>();

/** The identity a session is bound to: a later request must present the same one. */
export function principalIdentity(p: Principal): string {
  let id = identities.get(p);
  if (id === undefined) identities.set(p, (id = p.kind === "api_key" ? `key:${p.apiKeyId}` : `user:${p.userId}`));
  return id;
}

/** Long enough to tell keys apart (the console shows this much), too short to say anything of a secret. */
const THROTTLE_PREFIX_LENGTH = 10;

/** The failed-auth throttle's subject: the address and what the caller presented (its prefix only). */
export function failureSubject(ip: string, token: string | undefined): string {
  return `${ip}|${token?.slice(0, THROTTLE_PREFIX_LENGTH) ?? ""}`;
}

/** Tokens remembered with their hash (below): enough for every key in use on an instance. */
const MAX_REMEMBERED_HASHES = 10_000;

const ALLOWED: RateOutcome = { ok: true };

export class Authenticator {
  /**
   * SHA-256 of the keys that verified lately, by token: hashing is most of a known key's check.
   * Only tokens that were valid keys are kept, so a flood of bad ones cannot push them out.
   */
  private readonly hashes = new Map<string, string>();
  /**
   * One outcome per cached key record (a record is one project's key, replaced when re-read):
   * requests of a key share its principal and identity string.
   */
  private readonly admitted = new WeakMap<KeyRecord, AuthOutcome>();

  constructor(private readonly deps: AuthenticatorDeps) {}

  /**
   * @param units taken from the caller's rate limit now: 1 for opening a stream, 0 for a POST
   *   (charged per JSON-RPC request through `charge` once its body is read) or ending a session.
   * A known key with the count kept locally is answered without a promise.
   */
  authenticate(projectId: string, authorization: string | undefined, ip: string, units: number): AuthOutcome | Promise<AuthOutcome> {
    const token = bearerToken(authorization);
    const failures = this.deps.failedAttempts;
    // No failure counted anywhere: nobody is blocked, and the subject is only built for a failure.
    if (failures.counting) {
      const blockedMs = failures.blockedFor(failureSubject(ip, token));
      if (blockedMs > 0) return { ok: false, reason: "ip_blocked", retryAfterMs: blockedMs };
    }
    const identified = this.identify(projectId, token);
    return identified instanceof Promise ? identified.then((o) => this.admit(o, token, projectId, ip, units)) : this.admit(identified, token, projectId, ip, units);
  }

  private admit(identified: AuthOutcome, token: string | undefined, projectId: string, ip: string, units: number): AuthOutcome | Promise<AuthOutcome> {
    if (!identified.ok) {
      if (identified.reason === "invalid") this.deps.failedAttempts.fail(failureSubject(ip, token));
      return identified;
    }
    const principal = identified.principal;
    const admitted = (charged: RateOutcome): AuthOutcome => {
      if (!charged.ok) return charged;
      if (principal.kind === "api_key") this.deps.usage.touch(projectId, principal.apiKeyId, ip === "unknown" ? null : ip);
      return identified;
    };
    const charged = this.charge(principal, units);
    return charged instanceof Promise ? charged.then(admitted) : admitted(charged);
  }

  /** Takes `units` requests from the principal's budget for the current minute. */
  charge(principal: Principal, units: number): RateOutcome | Promise<RateOutcome> {
    if (units <= 0) return ALLOWED;
    const perMinute = principal.kind === "api_key" ? principal.rateLimitPerMinute : null;
    const decision = this.deps.rateLimiter.consume(principalIdentity(principal), perMinute, units);
    return decision instanceof Promise ? decision.then((d) => this.charged(principal, d)) : this.charged(principal, decision);
  }

  private charged(principal: Principal, decision: RateDecision): RateOutcome {
    if (decision.allowed) return ALLOWED;
    this.deps.onRateLimited?.(principal, new Date());
    return { ok: false, reason: "rate_limited", retryAfterMs: decision.retryAfterMs };
  }

  private identify(projectId: string, token: string | undefined): AuthOutcome | Promise<AuthOutcome> {
    if (!token || !UUID_PATTERN.test(projectId)) return INVALID;
    if (token.startsWith(CONSOLE_TOKEN_PREFIX)) return this.identifyConsole(projectId, token);
    let hash = this.hashes.get(token);
    if (hash === undefined) {
      if (!looksLikeApiKey(token)) return INVALID;
      hash = hashApiKey(token);
    }
    let verdict: KeyVerdict | Promise<KeyVerdict>;
    try {
      verdict = this.deps.keys.verify(projectId, hash);
    } catch (e) {
      return keyStoreFailure(e);
    }
    const keyHash = hash;
    return verdict instanceof Promise ? verdict.then((v) => this.keyOutcome(projectId, token, keyHash, v), keyStoreFailure) : this.keyOutcome(projectId, token, keyHash, verdict);
  }

  private keyOutcome(projectId: string, token: string, hash: string, verdict: KeyVerdict): AuthOutcome {
    if (!verdict.ok) return INVALID;
    if (!this.hashes.has(token)) {
      if (this.hashes.size >= MAX_REMEMBERED_HASHES) this.hashes.clear();
      this.hashes.set(token, hash);
    }
    const key = verdict.key;
    let outcome = this.admitted.get(key);
    if (!outcome) {
      outcome = { ok: true, principal: { kind: "api_key", projectId, apiKeyId: key.id, keyHash: hash, rateLimitPerMinute: key.rateLimitPerMinute } };
      this.admitted.set(key, outcome);
    }
    return outcome;
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

const INVALID: AuthOutcome = { ok: false, reason: "invalid" };

function keyStoreFailure(e: unknown): AuthOutcome {
  if (e instanceof KeyStoreUnavailableError) return { ok: false, reason: "unavailable" };
  throw e;
}

/** The token of an `Authorization: Bearer …` header (scheme case-insensitive). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
