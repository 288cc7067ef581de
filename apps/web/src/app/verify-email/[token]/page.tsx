import { verifyEmail } from "@switchyard/core/services";
import type { Metadata } from "next";
import Link from "next/link";
import { Logo } from "@/components/logo";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { getDeps } from "@/server/deps";

export const metadata: Metadata = { title: "Confirm email" };

/** The link from the verification mail (or the server log): confirms the address it was sent to. */
export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const verified = await verifyEmail(await getDeps(), token).catch(() => undefined);
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-sidebar px-4">
      <Logo className="mb-8 text-lg" />
      <div className="w-full max-w-md">
        <Alert variant={verified ? "default" : "destructive"} data-testid="verify-email-result">
          <AlertTitle>{verified ? "Email address confirmed" : "This link cannot be used"}</AlertTitle>
          <AlertDescription>
            <p>{verified ? `${verified.email} is confirmed: invitations to it now appear in the console.` : "It is unknown, was already used or has expired. Sign in and ask for a new one."}</p>
            <p className="mt-2">
              <Link className="underline" href="/invitations">
                Go to the console
              </Link>
            </p>
          </AlertDescription>
        </Alert>
      </div>
    </div>
  );
}
