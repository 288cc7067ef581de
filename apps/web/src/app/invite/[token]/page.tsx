import { getInvitationForInvitee } from "@switchyard/core/services";
import { getUserByIdOrThrow } from "@switchyard/db";
import type { Metadata } from "next";
import Link from "next/link";
import { VerifyEmailNotice } from "@/components/auth/verify-email-notice";
import { AcceptInvitation } from "@/components/invitations/accept-invitation";
import { Logo } from "@/components/logo";
import { RoleBadge } from "@/components/role-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDeps } from "@/server/deps";
import { getSessionUser } from "@/server/session";

export const metadata: Metadata = { title: "Invitation" };

/** The invitation link: sign in (or sign up) first, then accept as the invited email. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await getSessionUser();
  const here = `/invite/${encodeURIComponent(token)}`;
  let body: React.ReactNode;
  if (!user) {
    body = (
      <Card>
        <CardHeader>
          <CardTitle className="text-lg">You have been invited to a team</CardTitle>
          <CardDescription>Sign in with the email address the invitation was sent to, or create an account with it.</CardDescription>
        </CardHeader>
        <CardContent className="flex gap-2">
          <Button asChild className="flex-1">
            <Link href={`/login?next=${encodeURIComponent(here)}`}>Sign in</Link>
          </Button>
          <Button asChild variant="outline" className="flex-1">
            <Link href={`/signup?invite=${encodeURIComponent(token)}`}>Create account</Link>
          </Button>
        </CardContent>
      </Card>
    );
  } else if (!(await getUserByIdOrThrow((await getDeps()).db, user.id)).emailVerifiedAt) {
    body = <VerifyEmailNotice email={user.email} />;
  } else {
    const invitation = await getInvitationForInvitee(await getDeps(), { userId: user.id, email: user.email }, token).catch(() => undefined);
    body = invitation ? (
      <Card>
        <CardHeader>
          <CardTitle className="text-lg">Join {invitation.team.name}</CardTitle>
          <CardDescription>
            {invitation.inviter ? `${invitation.inviter.email} invited you` : "You were invited"} as <RoleBadge role={invitation.role} />
          </CardDescription>
        </CardHeader>
        <CardContent>
          <AcceptInvitation token={token} />
        </CardContent>
      </Card>
    ) : (
      <Alert variant="destructive">
        <AlertTitle>This invitation cannot be used</AlertTitle>
        <AlertDescription>
          <p>It was not found, has expired or was already used — or it was sent to another address than {user.email}.</p>
          <p className="mt-2">
            <Link className="underline" href="/">
              Go to the console
            </Link>
          </p>
        </AlertDescription>
      </Alert>
    );
  }
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-sidebar px-4">
      <Logo className="mb-8 text-lg" />
      <div className="w-full max-w-md">{body}</div>
    </div>
  );
}
