/**
 * The project overview's sections. Each loads its own data inside a Suspense boundary (the page
 * shell shows at once; slow queries stream in behind skeletons). Loaders are per-request cached,
 * so sections sharing data query once.
 */
import { getProjectCallStats, listProjectTools, listServers, searchActivityFeed } from "@switchyard/db";
import { roleAtLeast, type TeamRole } from "@switchyard/shared";
import { ServerIcon } from "lucide-react";
import Link from "next/link";
import { cache } from "react";
import { EmptyState } from "@/components/states";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { countExposedTools, emptyToolsReason } from "@/lib/exposed-tools";
import { formatNumber, formatPercent } from "@/lib/format";
import { getDeps } from "@/server/deps";
import { CallChart } from "./call-chart";
import { ConnectionSnippets } from "./connection-snippets";
import { StatCard } from "./stat-card";

const servers = cache(async (projectId: string) => listServers((await getDeps()).db, projectId));
const callStats = cache(async (projectId: string, since: number) => getProjectCallStats((await getDeps()).db, projectId, new Date(since)));
const tools = cache(async (projectId: string) => listProjectTools((await getDeps()).db, projectId));

/** The 24 h window, fixed per request so every section agrees. */
export const windowStart = cache(() => Date.now() - 24 * 3600_000);

export async function OverviewStats({ projectId, logsPath }: { projectId: string; logsPath: (q: string) => string }) {
  const [rows, stats, toolRows] = await Promise.all([servers(projectId), callStats(projectId, windowStart()), tools(projectId)]);
  const enabled = rows.filter((s) => s.enabled);
  const online = enabled.filter((s) => s.status === "online").length;
  const { exposed, held, notUp } = countExposedTools(toolRows);
  const toolsHint = [held ? `${held} held for approval` : "", notUp ? `${notUp} more once their server is online` : ""].filter(Boolean).join(" · ");
  return (
    <>
      <StatCard label="Servers online" value={`${online} / ${enabled.length}`} hint={rows.length > enabled.length ? `${rows.length - enabled.length} disabled` : "enabled servers, last check"} />
      <StatCard label="Calls (24 h)" value={formatNumber(stats.calls)} hint="tools/call through the gateway" href={logsPath("")} />
      <StatCard label="Error rate (24 h)" value={stats.calls ? formatPercent(stats.failed / stats.calls) : "—"} hint={stats.calls ? `${formatNumber(stats.failed)} failed, timed out or rejected` : "no calls yet"} href={logsPath("-status:success")} />
      <StatCard label="Tools exposed" value={formatNumber(exposed)} hint={toolsHint || "enabled tools of servers that are up"} />
    </>
  );
}

export function StatsSkeleton() {
  return (
    <>
      {Array.from({ length: 4 }, (_unused, i) => (
        <Card key={i} className="space-y-2 px-5 py-4">
          <Skeleton className="h-3 w-24" />
          <Skeleton className="h-7 w-16" />
          <Skeleton className="h-3 w-32" />
        </Card>
      ))}
    </>
  );
}

export async function CallsSection({ projectId }: { projectId: string }) {
  const stats = await callStats(projectId, windowStart());
  if (stats.calls === 0) return <p className="py-8 text-center text-sm text-muted-foreground">No calls in the last 24 hours. Connect a client below to get started.</p>;
  return <CallChart hourly={stats.hourly.map((h) => ({ hour: h.hour.toISOString(), calls: h.calls, failed: h.failed }))} now={windowStart() + 24 * 3600_000} />;
}

export async function ServersSection({ projectId, base, role }: { projectId: string; base: string; role: TeamRole }) {
  const [rows, stats] = await Promise.all([servers(projectId), callStats(projectId, windowStart())]);
  if (rows.length === 0) {
    return (
      <EmptyState
        icon={ServerIcon}
        title="No servers"
        className="py-6"
        action={
          roleAtLeast(role, "developer") ? (
            <Button asChild size="sm">
              <Link href={`${base}/servers/new`}>Add a server</Link>
            </Button>
          ) : undefined
        }
      />
    );
  }
  return (
    <ul className="divide-y text-sm">
      {rows.slice(0, 8).map((s) => {
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
  );
}

export async function ConnectSection({ projectId, projectSlug, keysHref }: { projectId: string; projectSlug: string; keysHref: string }) {
  const [{ config }, rows, toolRows] = await Promise.all([getDeps(), servers(projectId), tools(projectId)]);
  const empty = emptyToolsReason(rows, toolRows);
  return (
    <>
      {empty ? (
        <p className="mb-3 rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm" data-testid="empty-tools-notice">
          <code>tools/list</code> answers no tools right now. {empty}
        </p>
      ) : null}
      <ConnectionSnippets gatewayUrl={config.publicGatewayUrl} projectId={projectId} projectSlug={projectSlug} servers={rows.map((s) => s.name)} keysHref={keysHref} />
    </>
  );
}

export async function ActivitySection({ teamId, projectId }: { teamId: string; projectId: string }) {
  const feed = await searchActivityFeed((await getDeps()).db, teamId, { projectId, limit: 6 });
  if (feed.items.length === 0) return <p className="py-6 text-center text-sm text-muted-foreground">Nothing has happened in this project yet.</p>;
  return (
    <ul className="space-y-3 text-sm">
      {feed.items.map((a) => (
        <li key={a.id}>
          <p className="break-words">{a.summary}</p>
          <p className="text-xs text-muted-foreground">
            {a.actor?.email ?? "System"} · <TimeAgo date={a.at.toISOString()} />
          </p>
        </li>
      ))}
    </ul>
  );
}

export function SectionSkeleton({ lines = 4 }: { lines?: number }) {
  return (
    <div className="space-y-3" aria-busy="true" aria-label="Loading">
      {Array.from({ length: lines }, (_unused, i) => (
        <Skeleton key={i} className="h-5 w-full" />
      ))}
    </div>
  );
}
