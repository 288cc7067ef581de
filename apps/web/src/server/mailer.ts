/**
 * Verification mail. With SMTP_URL it goes out through nodemailer; without it (zero-setup) the
 * link is written to the console's log, and instance admins can fetch a fresh one on the users
 * page — nobody else ever sees it.
 */
import { createTransport } from "nodemailer";
import { issueEmailVerification } from "@switchyard/core/services";
import type { WebDeps as Deps } from "./deps";
import { log } from "./log";

/** Issues a fresh link for the user (when unverified) and returns it. */
export async function verificationLink(deps: Deps, userId: string): Promise<{ link: string; email: string } | undefined> {
  const issued = await issueEmailVerification(deps, userId);
  if (!issued) return undefined;
  return { link: `${deps.config.publicWebUrl}/verify-email/${encodeURIComponent(issued.token)}`, email: issued.email };
}

/** Sends (or, without SMTP, logs) a fresh verification link; true when it went out by mail. */
export async function sendVerification(deps: Deps, userId: string): Promise<boolean> {
  const issued = await verificationLink(deps, userId);
  if (!issued) return false;
  const { SMTP_URL, SMTP_FROM } = deps.config.env;
  if (!SMTP_URL) {
    log("info", "email verification link (no SMTP_URL: not mailed)", { email: issued.email, link: issued.link });
    return false;
  }
  await createTransport(SMTP_URL).sendMail({
    from: SMTP_FROM,
    to: issued.email,
    subject: "Confirm your email address for Switchyard",
    text: `Confirm that this address is yours by opening this link (valid for 7 days):\n\n${issued.link}\n\nIf you did not sign up, ignore this mail.`,
  });
  return true;
}
