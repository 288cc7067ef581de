"use client";

import {
  ActivityIcon,
  BugIcon,
  PlugIcon,
  ScrollTextIcon,
  BoxesIcon,
  CpuIcon,
  FolderIcon,
  GaugeIcon,
  HeartPulseIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  ServerIcon,
  SettingsIcon,
  UsersIcon,
  WrenchIcon,
  type LucideIcon,
} from "lucide-react";
import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { Logo } from "@/components/logo";
import { paths } from "@/lib/paths";
import { cn } from "@/lib/utils";
import type { ShellTeam, ShellUser } from "./nav-data";
import { TeamSwitcher } from "./team-switcher";
import { UserMenu } from "./user-menu";

interface Item {
  href: string;
  label: string;
  icon: LucideIcon;
  /** Exact match only (overview pages, whose path prefixes every other). */
  exact?: boolean;
}

/** Shown while a click on this link is still loading the page it leads to. */
function Pending() {
  const { pending } = useLinkStatus();
  return <span aria-hidden className={cn("ml-auto size-1.5 rounded-full bg-brand transition-opacity", pending ? "animate-pulse opacity-100" : "opacity-0")} />;
}

function NavLink({ item, active, onNavigate }: { item: Item; active: boolean; onNavigate: () => void }) {
  const Icon = item.icon;
  return (
    <Link
      href={item.href}
      onClick={onNavigate}
      aria-current={active ? "page" : undefined}
      className={cn(
        "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm transition-colors",
        active ? "bg-background font-medium text-foreground shadow-xs ring-1 ring-border" : "text-muted-foreground hover:bg-accent hover:text-foreground",
      )}
    >
      <Icon className="size-4 shrink-0" />
      <span className="truncate">{item.label}</span>
      <Pending />
    </Link>
  );
}

function Section({ title, items, pathname, onNavigate }: { title?: string; items: Item[]; pathname: string; onNavigate: () => void }) {
  return (
    <div className="space-y-0.5">
      {title ? <p className="px-2.5 pt-4 pb-1 text-[11px] font-medium tracking-wide text-muted-foreground uppercase">{title}</p> : null}
      {items.map((item) => (
        <NavLink key={item.href} item={item} active={item.exact ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`)} onNavigate={onNavigate} />
      ))}
    </div>
  );
}

export function Sidebar({
  user,
  teams,
  team,
  project,
  pendingInvitations,
  onNavigate,
}: {
  user: ShellUser;
  teams: ShellTeam[];
  team: ShellTeam | undefined;
  project: ShellTeam["projects"][number] | undefined;
  pendingInvitations: number;
  onNavigate: () => void;
}) {
  const pathname = usePathname();
  const projectItems: Item[] =
    team && project
      ? [
          { href: paths.project(team.slug, project.slug), label: "Overview", icon: LayoutDashboardIcon, exact: true },
          { href: paths.projectSection(team.slug, project.slug, "servers"), label: "Servers", icon: ServerIcon },
          { href: paths.projectSection(team.slug, project.slug, "tools"), label: "Tools", icon: WrenchIcon },
          { href: paths.projectSection(team.slug, project.slug, "logs"), label: "Logs", icon: ScrollTextIcon },
          { href: paths.projectSection(team.slug, project.slug, "errors"), label: "Errors", icon: BugIcon },
          { href: paths.projectSection(team.slug, project.slug, "sessions"), label: "Sessions", icon: PlugIcon },
          { href: paths.projectSection(team.slug, project.slug, "keys"), label: "API keys", icon: KeyRoundIcon },
          { href: paths.projectSection(team.slug, project.slug, "activity"), label: "Activity", icon: ActivityIcon },
          { href: paths.projectSection(team.slug, project.slug, "settings"), label: "Settings", icon: SettingsIcon },
        ]
      : [];
  const teamItems: Item[] = team
    ? [
        { href: paths.team(team.slug), label: "Projects", icon: BoxesIcon, exact: true },
        { href: paths.teamMembers(team.slug), label: "Members", icon: UsersIcon },
        { href: paths.teamLogs(team.slug), label: "Logs", icon: ScrollTextIcon },
        { href: paths.teamActivity(team.slug), label: "Activity", icon: ActivityIcon },
        { href: paths.teamSettings(team.slug), label: "Settings", icon: SettingsIcon },
      ]
    : [];
  const projectLinks: Item[] = team ? team.projects.map((p) => ({ href: paths.project(team.slug, p.slug), label: p.name, icon: FolderIcon })) : [];
  const adminItems: Item[] = user.isAdmin
    ? [
        { href: "/admin", label: "Users", icon: UsersIcon, exact: true },
        { href: "/admin/teams", label: "Teams", icon: BoxesIcon },
        { href: "/admin/workers", label: "Workers", icon: CpuIcon },
        { href: "/admin/health", label: "System health", icon: HeartPulseIcon },
      ]
    : [];
  return (
    <div className="flex h-full flex-col">
      <div className="flex h-12 items-center border-b px-4">
        <Link href="/" onClick={onNavigate}>
          <Logo />
        </Link>
      </div>
      <div className="p-3">
        <TeamSwitcher teams={teams} current={team} pendingInvitations={pendingInvitations} />
      </div>
      <nav className="flex-1 overflow-y-auto px-3 pb-4" aria-label="Main">
        {project ? <Section title={project.name} items={projectItems} pathname={pathname} onNavigate={onNavigate} /> : null}
        {team ? <Section title="Team" items={teamItems} pathname={pathname} onNavigate={onNavigate} /> : null}
        {team && projectLinks.length > 0 ? <Section title="Projects" items={projectLinks} pathname={pathname} onNavigate={onNavigate} /> : null}
        {adminItems.length ? <Section title="Instance admin" items={adminItems} pathname={pathname} onNavigate={onNavigate} /> : null}
        {!team && !user.isAdmin ? <Section items={[{ href: "/", label: "Home", icon: GaugeIcon, exact: true }]} pathname={pathname} onNavigate={onNavigate} /> : null}
      </nav>
      <div className="border-t p-3">
        <UserMenu user={user} />
      </div>
    </div>
  );
}
