"use client";

import { roleAtLeast, TEAM_ROLES, type TeamRole } from "@switchyard/shared";
import { LogOutIcon, UserMinusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { RoleBadge } from "@/components/role-badge";
import { ConfirmAction, ConfirmMenuItem, RowActionsMenu } from "@/components/row-actions";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { TableCard } from "@/components/table-card";
import { TableCell, TableHead, TableRow } from "@/components/ui/table";
import { useAction } from "@/lib/action-client";
import { ROLE_DESCRIPTIONS } from "@/lib/roles";
import { changeMemberRole, leaveTeam, removeMember } from "@/server/actions/members";

export interface MemberView {
  id: string;
  userId: string;
  role: TeamRole;
  name: string;
  email: string;
  active: boolean;
  joinedAt: string;
}

export function MembersTable({ teamId, myRole, myUserId, members }: { teamId: string; myRole: TeamRole; myUserId: string; members: MemberView[] }) {
  const router = useRouter();
  const changeRole = useAction(changeMemberRole, { success: "Role changed" });
  const remove = useAction(removeMember, { success: (r) => (r.revokedKeys ? `Member removed; ${r.revokedKeys} API key(s) revoked` : "Member removed") });
  const leave = useAction(leaveTeam, {
    success: "You left the team",
    refresh: false,
    onSuccess: () => {
      router.push("/");
      router.refresh();
    },
  });
  const isAdmin = roleAtLeast(myRole, "admin");
  const isOwner = roleAtLeast(myRole, "owner");
  return (
    <TableCard
      head={
        <>
          <TableHead>Member</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Joined</TableHead>
          <TableHead className="w-10" />
        </>
      }
    >
      {members.map((m) => {
        const me = m.userId === myUserId;
        const mayEditRole = isAdmin && (isOwner || m.role !== "owner");
        return (
          <TableRow key={m.id} data-testid="member-row" data-email={m.email}>
            <TableCell>
              <div className="flex items-center gap-3">
                <span className="flex size-8 items-center justify-center rounded-full bg-muted text-xs font-semibold uppercase">{(m.name || m.email).slice(0, 1)}</span>
                <div>
                  <p className="font-medium">
                    {m.name} {me ? <span className="text-muted-foreground">(you)</span> : null}
                  </p>
                  <p className="text-xs text-muted-foreground">{m.email}</p>
                </div>
                {!m.active ? <Badge variant="secondary">Deactivated</Badge> : null}
              </div>
            </TableCell>
            <TableCell>
              {mayEditRole ? (
                <Select value={m.role} onValueChange={(role) => changeRole.mutate({ teamId, memberId: m.id, role: role as TeamRole })}>
                  <SelectTrigger className="h-8 w-36" aria-label={`Role of ${m.email}`}>
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {TEAM_ROLES.filter((r) => isOwner || r !== "owner").map((r) => (
                      <SelectItem key={r} value={r}>
                        <span className="capitalize">{r}</span>
                        <span className="ml-2 hidden text-xs text-muted-foreground sm:inline">{ROLE_DESCRIPTIONS[r]}</span>
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              ) : (
                <RoleBadge role={m.role} />
              )}
            </TableCell>
            <TableCell className="text-muted-foreground">
              <TimeAgo date={m.joinedAt} />
            </TableCell>
            <TableCell>
              {me ? (
                <ConfirmAction
                  trigger={
                    <Button variant="ghost" size="icon-sm" aria-label="Leave team">
                      <LogOutIcon />
                    </Button>
                  }
                  title="Leave this team?"
                  description="You lose access to its projects, and the API keys you created in it are revoked."
                  confirmLabel="Leave team"
                  action={leave}
                  input={{ teamId }}
                />
              ) : isAdmin && (isOwner || m.role !== "owner") ? (
                <RowActionsMenu name={m.email}>
                  <ConfirmMenuItem
                    icon={<UserMinusIcon />}
                    label="Remove from team"
                    title={`Remove ${m.email}?`}
                    description="They lose access to every project of this team. API keys they created are revoked at once."
                    confirmLabel="Remove"
                    action={remove}
                    input={{ teamId, memberId: m.id }}
                  />
                </RowActionsMenu>
              ) : null}
            </TableCell>
          </TableRow>
        );
      })}
    </TableCard>
  );
}
