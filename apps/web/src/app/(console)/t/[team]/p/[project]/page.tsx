import { getProjectCallStats, listProjectTools, listServers, searchActivityFeed } from "@switchyard/db";
import { ServerIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { CallChart } from "@/components/overview/call-chart";
import { ConnectionSnippets } from "@/components/overview/connection-snippets";
import { StatCard } from "@/components/overview/stat-card";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/states";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatNumber, formatPercent } from "@/lib/format";
import { paths } from "@/lib/paths";
import { can } from "@/lib/roles";
import { getDeps } from "@/server/deps";
import { loadProject } from "@/server/pages";

export const metadata: Metadata = { title: "Overview" };

export default async function ProjectOverview({ params }: { params: Promise<{ team: string; project: string }> }) {
  const p = await params;
  const { team, project, role } = await loadProject(p.team, p.project);
  const { db, config } = await getDeps();
  const now = Date.now();
  const [servers, stats, tools, activity] = await Promise.all([
    listServers(db, project.id),
    getProjectCallStats(db, project.id, new Date(now - 24 * 3600_000)),
    listProjectTools(db, project.id),
    searchActivityFeed(db, team.id, { projectId: project.id, limit: 6 }),
  ]);
  const enabled = servers.filter((s) => s.enabled);
  const online = enabled.filter((s) => s.status === "online").length;
  const visibleTools = tools.filter((t) => t.enabled && !t.pendingApproval && t.server.enabled).length;
  const held = tools.filter((t) => t.pendingApproval).length;
  const base = paths.project(team.slug, project.slug);
  return (
    <>
      <PageHeader title={project.name} description={project.description || "Project overview"} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Servers online" value={`${online} / ${enabled.length}`} hint={servers.length > enabled.length ? `${servers.length - enabled.length} disabled` : "enabled servers, last check"} />
        <StatCard label="Calls (24 h)" value={formatNumber(stats.calls)} hint="tools/call through the gateway" />
        <StatCard label="Error rate (24 h)" value={stats.calls ? formatPercent(stats.failed / stats.calls) : "—"} hint={stats.calls ? `${formatNumber(stats.failed)} failed, timed out or rejected` : "no calls yet"} />
        <StatCard label="Tools exposed" value={formatNumber(visibleTools)} hint={held ? `${held} held for approval` : "enabled tools of enabled servers"} />
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-5">
        <Card className="lg:col-span-3">
          <CardHeader>
            <CardTitle>Calls, last 24 hours</CardTitle>
            <CardDescription>Per hour; failures in red.</CardDescription>
          </CardHeader>
          <CardContent>
            {stats.calls === 0 ? (
              <p className="py-8 text-center text-sm text-muted-foreground">No calls in the last 24 hours. Connect a client below to get started.</p>
            ) : (
              <CallChart hourly={stats.hourly.map((h) => ({ hour: h.hour.toISOString(), calls: h.calls, failed: h.failed }))} now={now} />
            )}
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader className="flex-row items-center justify-between">
            <div className="space-y-1">
              <CardTitle>Servers</CardTitle>
              <CardDescription>Cached status from the last check.</CardDescription>
            </div>
            <Button asChild variant="outline" size="sm">
              <Link href={`${base}/servers`}>View all</Link>
            </Button>
          </CardHeader>
          <CardContent>
            {servers.length === 0 ? (
              <EmptyState
                icon={ServerIcon}
                title="No servers"
                className="py-6"
                action={
                  can(role, "developer") ? (
                    <Button asChild size="sm">
                      <Link href={`${base}/servers/new`}>Add a server</Link>
                    </Button>
                  ) : undefined
                }
              />
            ) : (
              <ul className="divide-y text-sm">
                {servers.slice(0, 8).map((s) => {
                  const calls = stats.byServer.find((b) => b.serverId === s.id);
                  return (
                    <li key={s.id} className="flex items-center gap-3 py-2">
                      <Link href={`${base}/servers/${s.name}`} className="min-w-0 flex-1 truncate font-medium hover:underline">
                        {s.name}
                      </Link>
                      <span className="text-xs text-muted-foreground">{calls ? `${formatNumber(calls.calls)} calls` : null}</span>
                      <StatusBadge status={s.status} enabled={s.enabled} />
                    </li>
                  );
                })}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-5">
        <Card className="lg:col-span-3">
          <CardHeader>
            <CardTitle>Connect a client</CardTitle>
            <CardDescription>One URL for every enabled server, or one per server. Authenticate with a project API key.</CardDescription>
          </CardHeader>
          <CardContent>
            <ConnectionSnippets gatewayUrl={config.publicGatewayUrl} projectId={project.id} projectSlug={project.slug} servers={servers.map((s) => s.name)} keysHref={`${base}/keys`} />
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader className="flex-row items-center justify-between">
            <CardTitle>Recent activity</CardTitle>
            <Button asChild variant="ghost" size="sm">
              <Link href={`${base}/activity`}>All activity</Link>
            </Button>
          </CardHeader>
          <CardContent>
            {activity.items.length === 0 ? (
              <p className="py-6 text-center text-sm text-muted-foreground">Nothing has happened in this project yet.</p>
            ) : (
              <ul className="space-y-3 text-sm">
                {activity.items.map((a) => (
                  <li key={a.id}>
                    <p className="break-words">{a.summary}</p>
                    <p className="text-xs text-muted-foreground">
                      {a.actor?.email ?? "System"} · <TimeAgo date={a.at.toISOString()} />
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
