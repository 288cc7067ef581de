/**
 * Short-lived signed tokens that let a signed-in console user call a project's gateway endpoint
 * (try-it) without an API key. HMAC-SHA256 over the claims with a key derived from AUTH_SECRET;
 * the gateway logs calls made with one under the user.
 *
 * Format: `syc_<base64url(claims JSON)>.<base64url(signature)>`
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const CONSOLE_TOKEN_PREFIX = "syc_";
export const CONSOLE_TOKEN_TTL_SECONDS = 300;

const claimsSchema = z.object({ sub: z.string(), pid: z.string(), sv: z.number().int(), exp: z.number().int() });
export interface ConsoleTokenClaims {
  userId: string;
  projectId: string;
  /** The user's session version when the token was signed: a password change or deactivation voids it. */
  sessionVersion: number;
  expiresAt: Date;
}

function signingKey(authSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret, "switchyard", "console-token-v1", 32));
}

export function signConsoleToken(
  authSecret: string,
  caller: { userId: string; projectId: string; sessionVersion: number },
  ttlSeconds = CONSOLE_TOKEN_TTL_SECONDS,
): string {
  const claims = { sub: caller.userId, pid: caller.projectId, sv: caller.sessionVersion, exp: Math.floor(Date.now() / 1000) + ttlSeconds };
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const sig = createHmac("sha256", signingKey(authSecret)).update(body).digest("base64url");
  return `${CONSOLE_TOKEN_PREFIX}${body}.${sig}`;
}

/**
 * The claims of a validly signed, unexpired token for `projectId`; undefined for anything else.
 * A signature proves only who signed it: the caller must still pass `checkConsoleAccess`.
 */
export function verifyConsoleToken(authSecret: string, token: string, projectId: string): ConsoleTokenClaims | undefined {
  if (!token.startsWith(CONSOLE_TOKEN_PREFIX)) return undefined;
  const [body, sig] = token.slice(CONSOLE_TOKEN_PREFIX.length).split(".");
  if (!body || !sig) return undefined;
  const expected = createHmac("sha256", signingKey(authSecret)).update(body).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const claims = claimsSchema.safeParse(json);
  if (!claims.success || claims.data.pid !== projectId || claims.data.exp * 1000 <= Date.now()) return undefined;
  return { userId: claims.data.sub, projectId: claims.data.pid, sessionVersion: claims.data.sv, expiresAt: new Date(claims.data.exp * 1000) };
}
