import { hashInvitationToken } from "@switchyard/core/services";
import { getPendingInvitationByTokenHash } from "@switchyard/db";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignupForm } from "@/components/auth/signup-form";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDeps } from "@/server/deps";
import { getSessionUser } from "@/server/session";

export const metadata: Metadata = { title: "Create account" };

export default async function SignupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.invite === "string" ? params.invite : undefined;
  if (await getSessionUser()) redirect(token ? `/invite/${encodeURIComponent(token)}` : "/");
  const { config, db } = await getDeps();
  // The link's holder may see whom it invites: prefill the email and name the team.
  const invitation = token ? await getPendingInvitationByTokenHash(db, hashInvitationToken(token)) : undefined;
  if (!config.allowSignup && !invitation) {
    return (
      <Alert variant="info">
        <AlertTitle>Sign-up is by invitation</AlertTitle>
        <AlertDescription>
          <p>Ask a team admin to invite you, then open the link from the invitation.</p>
          <p className="mt-2">
            <Link className="underline" href="/login">
              Back to sign in
            </Link>
          </p>
        </AlertDescription>
      </Alert>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Create your account</CardTitle>
        <CardDescription>{invitation ? `You were invited to ${invitation.team.name} as ${invitation.role}.` : "Start routing your MCP servers through one gateway."}</CardDescription>
      </CardHeader>
      <CardContent>
        <SignupForm {...(token && invitation ? { inviteToken: token, email: invitation.email } : {})} />
        <p className="mt-4 text-center text-sm text-muted-foreground">
          Already have an account?{" "}
          <Link className="font-medium text-foreground underline-offset-4 hover:underline" href={token ? `/login?next=${encodeURIComponent(`/invite/${token}`)}` : "/login"}>
            Sign in
          </Link>
        </p>
      </CardContent>
    </Card>
  );
}
