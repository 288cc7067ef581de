"use client";

import { ChevronRightIcon } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { paths } from "@/lib/paths";
import type { ShellTeam } from "./nav-data";

const SECTION_LABELS: Record<string, string> = {
  servers: "Servers",
  tools: "Tools",
  keys: "API keys",
  activity: "Activity",
  settings: "Settings",
  members: "Members",
  events: "Events",
  new: "Add",
  admin: "Admin",
  teams: "Teams",
  workers: "Workers",
  health: "System health",
  account: "Account",
  invitations: "Invitations",
};

export function Breadcrumbs({ team, project, serverName }: { team: ShellTeam | undefined; project: ShellTeam["projects"][number] | undefined; serverName: string | undefined }) {
  const pathname = usePathname();
  const crumbs: { label: string; href?: string }[] = [];
  if (team) crumbs.push({ label: team.name, href: paths.team(team.slug) });
  if (team && project) crumbs.push({ label: project.name, href: paths.project(team.slug, project.slug) });
  if (team && project && serverName) crumbs.push({ label: "Servers", href: paths.projectSection(team.slug, project.slug, "servers") });
  if (team && project && serverName) crumbs.push({ label: decodeURIComponent(serverName), href: paths.server(team.slug, project.slug, serverName) });
  const last = pathname.split("/").filter(Boolean).at(-1) ?? "";
  const label = SECTION_LABELS[last];
  if (label && crumbs.at(-1)?.label !== label) crumbs.push({ label });
  if (crumbs.length === 0) crumbs.push({ label: label ?? "Switchyard" });
  return (
    <nav aria-label="Breadcrumb" className="flex min-w-0 items-center gap-1 text-sm">
      {crumbs.map((c, i) => (
        <span key={`${c.label}-${i}`} className="flex min-w-0 items-center gap-1">
          {i > 0 ? <ChevronRightIcon className="size-3.5 shrink-0 text-muted-foreground" /> : null}
          {c.href && i < crumbs.length - 1 ? (
            <Link href={c.href} className="truncate text-muted-foreground hover:text-foreground">
              {c.label}
            </Link>
          ) : (
            <span className="truncate font-medium">{c.label}</span>
          )}
        </span>
      ))}
    </nav>
  );
}
