"use client";

import type { TeamRole } from "@switchyard/shared";
import { MailIcon } from "lucide-react";
import { RoleBadge } from "@/components/role-badge";
import { EmptyState } from "@/components/states";
import { TimeAgo } from "@/components/time-ago";
import { Button } from "@/components/ui/button";
import { TableCard } from "@/components/table-card";
import { TableCell, TableHead, TableRow } from "@/components/ui/table";
import { useAction } from "@/lib/action-client";
import { revokeInvitation } from "@/server/actions/members";

export function PendingInvitationsTable({ teamId, invitations }: { teamId: string; invitations: { id: string; email: string; role: TeamRole; expiresAt: string; createdAt: string }[] }) {
  const revoke = useAction(revokeInvitation, { success: "Invitation revoked" });
  if (invitations.length === 0) return <EmptyState icon={MailIcon} title="No pending invitations" description="Invite people by email; they appear here until they accept." className="py-8" />;
  return (
    <TableCard
      head={
        <>
          <TableHead>Email</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Sent</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead className="w-24" />
        </>
      }
    >
      {invitations.map((i) => (
        <TableRow key={i.id} data-testid="invitation-row">
          <TableCell className="font-medium">{i.email}</TableCell>
          <TableCell>
            <RoleBadge role={i.role} />
          </TableCell>
          <TableCell className="text-muted-foreground">
            <TimeAgo date={i.createdAt} />
          </TableCell>
          <TableCell className="text-muted-foreground">
            <TimeAgo date={i.expiresAt} />
          </TableCell>
          <TableCell>
            <Button variant="ghost" size="sm" disabled={revoke.isPending} onClick={() => revoke.mutate({ teamId, invitationId: i.id })}>
              Revoke
            </Button>
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
