import { listClientSessions } from "@switchyard/db";
import { CLIENT_TYPES, type ClientType } from "@switchyard/shared";
import { PlugIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/states";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDuration, formatNumber } from "@/lib/format";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { loadProject } from "@/server/pages";

export const metadata: Metadata = { title: "Sessions" };

type Search = { state?: string; client?: string; before?: string };

export default async function SessionsPage({ params, searchParams }: { params: Promise<{ team: string; project: string }>; searchParams: Promise<Search> }) {
  const p = await params;
  const sp = await searchParams;
  const { team, project } = await loadProject(p.team, p.project);
  const state = sp.state === "open" || sp.state === "ended" ? sp.state : undefined;
  const client = (CLIENT_TYPES as readonly string[]).includes(sp.client ?? "") ? (sp.client as ClientType) : undefined;
  const page = await listClientSessions((await getDeps()).db, { teamId: team.id, projectId: project.id }, {
    limit: 50,
    ...(state ? { state } : {}),
    ...(client ? { clientType: client } : {}),
    ...(sp.before ? { before: sp.before } : {}),
  });
  const base = paths.projectSection(team.slug, project.slug, "sessions");
  const link = (patch: Search) => {
    const next = new URLSearchParams(Object.entries({ state, client, ...patch }).filter((e): e is [string, string] => Boolean(e[1])));
    return `${base}${next.size ? `?${next.toString()}` : ""}`;
  };
  return (
    <>
      <PageHeader title="Sessions" description="Client connections to this project's endpoints, with their calls." />
      <div className="mb-4 flex flex-wrap gap-1 text-sm">
        {[undefined, "open", "ended"].map((s) => (
          <Button key={s ?? "all"} size="sm" variant={state === s ? "default" : "outline"} asChild>
            <Link href={link({ state: s, before: undefined })}>{s ?? "all"}</Link>
          </Button>
        ))}
        <span className="mx-2" />
        {[undefined, ...CLIENT_TYPES].map((c) => (
          <Button key={c ?? "any"} size="sm" variant={client === c ? "default" : "outline"} asChild>
            <Link href={link({ client: c, before: undefined })}>{c ?? "any client"}</Link>
          </Button>
        ))}
      </div>
      {page.items.length === 0 ? (
        <EmptyState icon={PlugIcon} title="No sessions" description="Sessions appear when a client connects with one of the project's API keys." />
      ) : (
        <Table data-testid="sessions">
          <TableHeader>
            <TableRow>
              <TableHead>Client</TableHead>
              <TableHead>Transport</TableHead>
              <TableHead>Endpoint</TableHead>
              <TableHead>Key</TableHead>
              <TableHead>Started</TableHead>
              <TableHead>Last activity</TableHead>
              <TableHead>Duration</TableHead>
              <TableHead className="text-right">Calls / failed</TableHead>
              <TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((s) => (
              <TableRow key={s.id}>
                <TableCell>
                  <Link className="font-medium hover:underline" href={paths.session(team.slug, project.slug, s.id)}>
                    {s.clientName ?? "unknown"} {s.clientVersion ? <span className="text-muted-foreground text-xs">{s.clientVersion}</span> : null}
                  </Link>
                </TableCell>
                <TableCell className="text-xs">{s.transport}</TableCell>
                <TableCell className="text-xs">{s.serverId ? "server" : "project"}</TableCell>
                <TableCell className="text-xs">{s.keyName ?? (s.userId ? "console" : "—")}</TableCell>
                <TableCell className="text-xs">
                  <TimeAgo date={s.startedAt} />
                </TableCell>
                <TableCell className="text-xs">
                  <TimeAgo date={s.lastActivityAt} />
                </TableCell>
                <TableCell className="text-xs">{formatDuration((s.endedAt ?? s.lastActivityAt).getTime() - s.startedAt.getTime())}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {formatNumber(s.callsTotal)} / {formatNumber(s.callsFailed)}
                </TableCell>
                <TableCell>{s.endedAt ? <Badge variant="secondary">ended · {s.endReason ?? "closed"}</Badge> : <Badge variant="success">open</Badge>}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {page.nextCursor ? (
        <div className="mt-4">
          <Button size="sm" variant="outline" asChild>
            <Link href={link({ before: page.nextCursor })}>Older sessions</Link>
          </Button>
        </div>
      ) : null}
    </>
  );
}
