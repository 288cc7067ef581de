import { getClientSession, listLogCalls } from "@switchyard/db";
import { logQueryTerm, parseLogQuery, roleAtLeast } from "@switchyard/shared";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EndSessionButton } from "@/components/explorer/end-session-button";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { absoluteTime, formatDuration, formatNumber } from "@/lib/format";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { loadProject } from "@/server/pages";

export const metadata: Metadata = { title: "Session" };

/** One client session: who, how, and its calls in order (the first 200; the explorer has the rest). */
export default async function SessionPage({ params }: { params: Promise<{ team: string; project: string; session: string }> }) {
  const p = await params;
  const { team, project, role } = await loadProject(p.team, p.project);
  const { db } = await getDeps();
  const tenant = { teamId: team.id, projectId: project.id };
  const session = await getClientSession(db, tenant, p.session);
  if (!session) notFound();
  const term = logQueryTerm("session", session.id);
  const parsed = parseLogQuery(term);
  const to = new Date((session.endedAt ?? new Date()).getTime() + 60_000);
  const calls = parsed.ok ? await listLogCalls(db, tenant, { range: { from: session.startedAt, to }, query: parsed.ast, limit: 200 }) : { items: [], nextCursor: null };
  const timeline = [...calls.items].reverse();
  const explorer = `${paths.projectSection(team.slug, project.slug, "logs")}?${new URLSearchParams({ q: term, from: session.startedAt.toISOString(), to: to.toISOString() }).toString()}`;
  return (
    <>
      <PageHeader
        title={`${session.clientName ?? "Unknown client"}${session.clientVersion ? ` ${session.clientVersion}` : ""}`}
        description={<span className="font-mono text-xs">{session.id}</span>}
        actions={
          <>
            <Button size="sm" variant="outline" asChild>
              <Link href={explorer}>Open in explorer</Link>
            </Button>
            {!session.endedAt && roleAtLeast(role, "admin") ? <EndSessionButton projectId={project.id} sessionId={session.id} /> : null}
          </>
        }
      />
      <dl className="mb-6 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4" data-testid="session-summary">
        <div>
          <dt className="text-muted-foreground text-xs">Status</dt>
          <dd>{session.endedAt ? <Badge variant="secondary">ended · {session.endReason ?? "closed"}</Badge> : <Badge variant="success">open</Badge>}</dd>
        </div>
        <div>
          <dt className="text-muted-foreground text-xs">Transport</dt>
          <dd>{session.transport}</dd>
        </div>
        <div>
          <dt className="text-muted-foreground text-xs">API key</dt>
          <dd>{session.keyName ?? (session.userId ? "console try-it" : "—")}</dd>
        </div>
        <div>
          <dt className="text-muted-foreground text-xs">Calls / failed</dt>
          <dd className="tabular-nums">
            {formatNumber(session.callsTotal)} / {formatNumber(session.callsFailed)}
          </dd>
        </div>
        <div>
          <dt className="text-muted-foreground text-xs">Started</dt>
          <dd>{absoluteTime(session.startedAt)}</dd>
        </div>
        <div>
          <dt className="text-muted-foreground text-xs">Last activity</dt>
          <dd>{absoluteTime(session.lastActivityAt)}</dd>
        </div>
        <div>
          <dt className="text-muted-foreground text-xs">Duration</dt>
          <dd>{formatDuration((session.endedAt ?? session.lastActivityAt).getTime() - session.startedAt.getTime())}</dd>
        </div>
        <div>
          <dt className="text-muted-foreground text-xs">User agent</dt>
          <dd className="truncate text-xs">{session.userAgent ?? "—"}</dd>
        </div>
      </dl>
      <h2 className="mb-2 text-sm font-semibold">Timeline</h2>
      {timeline.length === 0 ? (
        <p className="text-muted-foreground text-sm">No calls recorded in this session.</p>
      ) : (
        <Table data-testid="session-timeline">
          <TableHeader>
            <TableRow>
              <TableHead>Time</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Call</TableHead>
              <TableHead className="text-right">Duration</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {timeline.map((c) => (
              <TableRow key={c.key}>
                <TableCell className="font-mono text-xs">{absoluteTime(c.startedAt)}</TableCell>
                <TableCell className="text-xs">{c.status}</TableCell>
                <TableCell className="font-mono text-xs">
                  <Link className="hover:underline" href={`${explorer}&call=${encodeURIComponent(c.key)}`}>
                    {c.serverName} / {c.toolName}
                  </Link>
                  {c.errorMessage ? <span className="text-red-600"> — {c.errorMessage}</span> : null}
                </TableCell>
                <TableCell className="text-right text-xs tabular-nums">{formatDuration(c.durationMs)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
