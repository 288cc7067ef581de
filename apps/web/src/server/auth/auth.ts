/**
 * next-auth v5 with the credentials provider and JWT sessions. The JWT callback re-reads the user
 * on every session check: a deactivated user or a bumped `session_version` (deactivation,
 * password change) ends every existing session at its next request.
 */
import { authenticateUser } from "@switchyard/core/services";
import { getUserById } from "@switchyard/db";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDeps } from "../deps";
import { errorFields, log } from "../log";
import { clientIp } from "./client-address";
import { accountDelayMs, loginRetryAfter, recordLoginFailure, recordLoginSuccess } from "./login-throttle";

/** Thrown from authorize(); the `code` reaches the login action, never the password's validity alone. */
class RateLimitedSignin extends CredentialsSignin {
  override code = "rate_limited";
}

const credentialsSchema = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(256) });
const tokenSchema = z.object({ uid: z.string(), sv: z.number().int() });

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export const { handlers, auth, signIn, signOut } = NextAuth(async () => {
  const { config } = await getDeps();
  return {
    secret: config.authSecret,
    // The console is reached directly (zero-setup) or behind the operator's proxy; its Host is trusted.
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        authorize: async (raw, request) => {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const { email, password } = parsed.data;
          const ip = clientIp(request.headers);
          if ((await loginRetryAfter(email, ip)) > 0) throw new RateLimitedSignin();
          const delay = await accountDelayMs(email);
          if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
          const user = await authenticateUser(await getDeps(), email, password);
          if (!user) {
            await recordLoginFailure(email, ip);
            return null;
          }
          await recordLoginSuccess(email, ip);
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
    ],
    callbacks: {
      jwt: async ({ token, user }) => {
        const { db } = await getDeps();
        const uid = user?.id ?? (typeof token.uid === "string" ? token.uid : undefined);
        if (!uid) return null;
        const row = await getUserById(db, uid);
        if (!row || !row.isActive) return null;
        // At sign-in the token takes the current version; afterwards any bump ends the session.
        if (user) token.sv = row.sessionVersion;
        const parsed = tokenSchema.safeParse({ uid, sv: token.sv });
        if (!parsed.success || parsed.data.sv !== row.sessionVersion) return null;
        token.uid = uid;
        token.name = row.name;
        token.email = row.email;
        token.adm = row.isAdmin;
        return token;
      },
      session: ({ session, token }) => ({
        ...session,
        user: {
          ...session.user,
          id: typeof token.uid === "string" ? token.uid : "",
          name: token.name ?? "",
          email: token.email ?? "",
          isAdmin: token.adm === true,
        },
      }),
    },
    logger: {
      // Wrong passwords are expected traffic, not server errors.
      error: (error) => {
        if (error instanceof CredentialsSignin || (error.cause as { err?: unknown } | undefined)?.err instanceof CredentialsSignin) return;
        log("error", "auth error", errorFields(error));
      },
      warn: (code) => log("warn", "auth warning", { code }),
      debug: () => undefined,
    },
  };
});
