"use client";

import { Button } from "@/components/ui/button";
import { useAction } from "@/lib/action-client";
import { endSession } from "@/server/actions/explorer";

/** Ends an open client session; whichever gateway instance holds it disconnects the client. */
export function EndSessionButton({ projectId, sessionId }: { projectId: string; sessionId: string }) {
  const end = useAction(endSession, { success: "Session ended; the client was disconnected" });
  return (
    <Button size="sm" variant="destructive" disabled={end.isPending} onClick={() => end.mutate({ projectId, sessionId })}>
      End session
    </Button>
  );
}
