"use client";

import type { TeamRole } from "@switchyard/shared";
import { useRouter } from "next/navigation";
import { RoleBadge } from "@/components/role-badge";
import { TimeAgo } from "@/components/time-ago";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useAction } from "@/lib/action-client";
import { paths } from "@/lib/paths";
import { acceptPendingInvitation, declineInvitation } from "@/server/actions/members";

export interface PendingInvitationView {
  id: string;
  teamName: string;
  teamSlug: string;
  role: TeamRole;
  invitedBy: string | null;
  expiresAt: string;
}

export function PendingInvitations({ invitations }: { invitations: PendingInvitationView[] }) {
  const router = useRouter();
  const accept = useAction(acceptPendingInvitation, {
    success: "Invitation accepted",
    refresh: false,
    onSuccess: (joined) => {
      router.push(paths.team(joined.teamSlug));
      router.refresh();
    },
  });
  const decline = useAction(declineInvitation, { success: "Invitation declined" });
  return (
    <Card className="divide-y">
      {invitations.map((i) => (
        <div key={i.id} className="flex flex-wrap items-center gap-4 px-5 py-4" data-testid="invitation">
          <div className="min-w-0 flex-1">
            <p className="font-medium">{i.teamName}</p>
            <p className="text-sm text-muted-foreground">
              {i.invitedBy ? `Invited by ${i.invitedBy}` : "Invited"} · expires <TimeAgo date={i.expiresAt} />
            </p>
          </div>
          <RoleBadge role={i.role} />
          <div className="flex gap-2">
            <Button variant="outline" size="sm" disabled={decline.isPending} onClick={() => decline.mutate({ invitationId: i.id })}>
              Decline
            </Button>
            <Button size="sm" disabled={accept.isPending} onClick={() => accept.mutate({ invitationId: i.id })}>
              Accept
            </Button>
          </div>
        </div>
      ))}
    </Card>
  );
}
