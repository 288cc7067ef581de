"use client";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useAction } from "@/lib/action-client";
import { resendVerification } from "@/server/actions/auth";

/** Shown until the user's address is verified: invitations to it stay hidden until then. */
export function VerifyEmailNotice({ email }: { email: string }) {
  const resend = useAction(resendVerification, {
    success: (r) => (r.mailed ? "A new link is on its way" : "A new link was written to the server log; an instance admin can also give you one"),
  });
  return (
    <Alert data-testid="verify-email-notice">
      <AlertTitle>Confirm your email address</AlertTitle>
      <AlertDescription>
        <p>Invitations to {email} appear here once you follow the link sent to that address.</p>
        <Button className="mt-3" size="sm" variant="outline" disabled={resend.isPending} onClick={() => resend.mutate({})}>
          Send the link again
        </Button>
      </AlertDescription>
    </Alert>
  );
}
