"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useAction } from "@/lib/action-client";
import { paths } from "@/lib/paths";
import { acceptInvitation } from "@/server/actions/members";

export function AcceptInvitation({ token }: { token: string }) {
  const router = useRouter();
  const accept = useAction(acceptInvitation, {
    success: "Welcome to the team",
    refresh: false,
    onSuccess: (joined) => {
      router.push(paths.team(joined.teamSlug));
      router.refresh();
    },
  });
  return (
    <Button className="w-full" disabled={accept.isPending} onClick={() => accept.mutate({ token })}>
      {accept.isPending ? "Joining…" : "Accept invitation"}
    </Button>
  );
}
