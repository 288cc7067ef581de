"use server";

import { signUp as signUpService } from "@switchyard/core/services";
import { AppError } from "@switchyard/shared";
import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { loginSchema, signupSchema } from "@/lib/schemas";
import { action } from "../action";
import { sendVerification } from "../mailer";
import { signIn, signOut } from "../auth/auth";
import { clientIp } from "../auth/client-address";
import { loginRetryAfter, recordLoginFailure } from "../auth/login-throttle";

async function startSession(email: string, password: string): Promise<void> {
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (e) {
    if (e instanceof CredentialsSignin && e.code === "rate_limited") throw new AppError("rate_limited", "Too many sign-in attempts. Wait 15 minutes and try again.");
    if (e instanceof CredentialsSignin) throw new AppError("unauthorized", "Wrong email or password, or the account is deactivated.");
    if (e instanceof AuthError) throw new AppError("unavailable", "Sign-in is unavailable right now. Try again shortly.");
    throw e;
  }
}

/** Sign in with email and password; sets the httpOnly, sameSite session cookie. */
export const login = action.public({
  name: "auth.login",
  input: loginSchema,
  handler: async (_ctx, input) => {
    await startSession(input.email, input.password);
    return { signedIn: true };
  },
});

/** Sign up (open, or with an invitation token when sign-up is closed), then sign in. */
export const signup = action.public({
  name: "auth.signup",
  input: signupSchema,
  handler: async ({ deps }, input) => {
    // Account creation shares the login limiter per address, so it cannot be used to flood.
    const ip = clientIp(await headers());
    if ((await loginRetryAfter(input.email, ip)) > 0) throw new AppError("rate_limited", "Too many attempts from this address. Wait 15 minutes and try again.");
    let user: Awaited<ReturnType<typeof signUpService>>;
    try {
      user = await signUpService(deps, input, { allowSignup: deps.config.allowSignup });
    } catch (e) {
      await recordLoginFailure(input.email, ip);
      throw e;
    }
    if (!user.emailVerifiedAt) await sendVerification(deps, user.id);
    await startSession(input.email, input.password);
    return { signedIn: true, emailVerified: user.emailVerifiedAt !== null };
  },
});

/** Sends the signed-in user a fresh verification link (by mail, or to the server log without SMTP). */
export const resendVerification = action.user({
  name: "auth.resendVerification",
  input: z.object({}),
  handler: async ({ deps, user }) => ({ mailed: await sendVerification(deps, user.id) }),
});

export const logout = action.user({
  name: "auth.logout",
  input: z.object({}),
  handler: async () => {
    await signOut({ redirect: false });
    return { signedOut: true };
  },
});
