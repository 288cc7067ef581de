"use client";

import { CheckIcon, ChevronsUpDownIcon, MailIcon, PlusIcon } from "lucide-react";
import Link from "next/link";
import { RoleBadge } from "@/components/role-badge";
import { Badge } from "@/components/ui/badge";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { paths } from "@/lib/paths";
import type { ShellTeam } from "./nav-data";

function Initial({ name }: { name: string }) {
  return <span className="flex size-6 shrink-0 items-center justify-center rounded-md bg-brand/15 text-xs font-semibold text-brand uppercase">{name.slice(0, 1)}</span>;
}

export function TeamSwitcher({ teams, current, pendingInvitations }: { teams: ShellTeam[]; current: ShellTeam | undefined; pendingInvitations: number }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger className="flex w-full items-center gap-2 rounded-md border bg-background px-2 py-1.5 text-left text-sm shadow-xs hover:bg-accent" data-testid="team-switcher">
        {current ? <Initial name={current.name} /> : null}
        <span className="min-w-0 flex-1 truncate font-medium">{current?.name ?? "Select a team"}</span>
        {pendingInvitations > 0 ? <Badge variant="info">{pendingInvitations}</Badge> : null}
        <ChevronsUpDownIcon className="size-4 text-muted-foreground" />
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-60" align="start">
        <DropdownMenuLabel>Teams</DropdownMenuLabel>
        {teams.length === 0 ? <p className="px-2 py-1.5 text-sm text-muted-foreground">You are not in a team yet.</p> : null}
        {teams.map((t) => (
          <DropdownMenuItem key={t.id} asChild>
            <Link href={paths.team(t.slug)}>
              <Initial name={t.name} />
              <span className="min-w-0 flex-1 truncate">{t.name}</span>
              {t.id === current?.id ? <CheckIcon /> : <RoleBadge role={t.role} />}
            </Link>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/teams/new">
            <PlusIcon />
            Create team
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link href="/invitations">
            <MailIcon />
            Invitations
            {pendingInvitations > 0 ? <Badge variant="info" className="ml-auto">{pendingInvitations}</Badge> : null}
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
