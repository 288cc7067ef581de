"use client";

import { MenuIcon } from "lucide-react";
import { useParams } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useUiStore } from "@/lib/stores/ui-store";
import { cn } from "@/lib/utils";
import { Breadcrumbs } from "./breadcrumbs";
import type { ShellTeam, ShellUser } from "./nav-data";
import { Sidebar } from "./sidebar";

export function AppShell({ user, teams, pendingInvitations, children }: { user: ShellUser; teams: ShellTeam[]; pendingInvitations: number; children: React.ReactNode }) {
  const params = useParams<{ team?: string; project?: string; server?: string }>();
  const team = teams.find((t) => t.slug === params.team);
  const project = team?.projects.find((p) => p.slug === params.project);
  const open = useUiStore((s) => s.mobileNavOpen);
  const setOpen = useUiStore((s) => s.setMobileNavOpen);
  return (
    <div className="flex min-h-screen">
      {/* The column carries the sidebar's background down the whole page; the nav inside stays in view. */}
      <div className="shrink-0 md:w-64 md:border-r md:bg-sidebar">
        <aside
          className={cn(
            "fixed inset-y-0 left-0 z-40 w-64 border-r bg-sidebar transition-transform md:sticky md:top-0 md:h-screen md:translate-x-0 md:border-r-0",
            open ? "translate-x-0" : "-translate-x-full",
          )}
        >
          <Sidebar user={user} teams={teams} team={team} project={project} pendingInvitations={pendingInvitations} onNavigate={() => setOpen(false)} />
        </aside>
      </div>
      {open ? <div className="fixed inset-0 z-30 bg-black/30 md:hidden" onClick={() => setOpen(false)} aria-hidden /> : null}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-20 flex h-12 items-center gap-2 border-b bg-background/90 px-4 backdrop-blur md:px-8">
          <Button variant="ghost" size="icon-sm" className="md:hidden" onClick={() => setOpen(true)} aria-label="Open navigation">
            <MenuIcon />
          </Button>
          <Breadcrumbs team={team} project={project} serverName={params.server} />
        </header>
        <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 md:px-8 md:py-8">{children}</main>
      </div>
    </div>
  );
}
