import { listErrorGroups } from "@switchyard/db";
import { LOG_RANGE_NAMES, logQueryTerm, resolveLogRange, type LogRangePreset } from "@switchyard/shared";
import { BugIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Sparkline } from "@/components/explorer/sparkline";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/states";
import { TimeAgo } from "@/components/time-ago";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatNumber } from "@/lib/format";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { loadProject } from "@/server/pages";

export const metadata: Metadata = { title: "Errors" };

/** Failed calls grouped by server, tool and message with variable parts masked (Sentry's issues, for tool calls). */
export default async function ErrorGroupsPage({ params, searchParams }: { params: Promise<{ team: string; project: string }>; searchParams: Promise<{ range?: string }> }) {
  const p = await params;
  const sp = await searchParams;
  const { team, project } = await loadProject(p.team, p.project);
  const range: LogRangePreset = (LOG_RANGE_NAMES as readonly string[]).includes(sp.range ?? "") ? (sp.range as LogRangePreset) : "24h";
  const window = resolveLogRange({ range });
  if ("error" in window) throw new Error(window.error);
  const groups = await listErrorGroups((await getDeps()).db, { teamId: team.id, projectId: project.id }, window, null);
  const base = paths.projectSection(team.slug, project.slug, "errors");
  return (
    <>
      <PageHeader
        title="Errors"
        description="Failed, timed-out and rejected calls, grouped by server, tool and message (numbers, ids, addresses and paths masked)."
        actions={LOG_RANGE_NAMES.map((r) => (
          <Button key={r} size="sm" variant={r === range ? "default" : "outline"} asChild>
            <Link href={`${base}?range=${r}`}>{r}</Link>
          </Button>
        ))}
      />
      {groups.length === 0 ? (
        <EmptyState icon={BugIcon} title="No failed calls" description={`Nothing failed in the last ${range}.`} />
      ) : (
        <Table data-testid="error-groups">
          <TableHeader>
            <TableRow>
              <TableHead>Error</TableHead>
              <TableHead>Server / tool</TableHead>
              <TableHead className="text-right">Count</TableHead>
              <TableHead>Over {range}</TableHead>
              <TableHead>First seen</TableHead>
              <TableHead>Last seen</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {groups.map((g) => {
              const q = `${logQueryTerm("server", g.serverName)} ${logQueryTerm("tool", g.toolName)} -status:success -status:cancelled`;
              return (
                <TableRow key={`${g.serverName}/${g.toolName}/${g.pattern}`}>
                  <TableCell className="max-w-md">
                    <Link className="font-mono text-xs hover:underline" href={paths.logs(team.slug, project.slug, q, range)} title={g.example}>
                      {g.pattern || "(no message)"}
                    </Link>
                  </TableCell>
                  <TableCell className="font-mono text-xs">
                    {g.serverName} / {g.toolName}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{formatNumber(g.count)}</TableCell>
                  <TableCell>
                    <Sparkline values={g.sparkline} />
                  </TableCell>
                  <TableCell className="text-xs">
                    <TimeAgo date={g.firstSeen} />
                  </TableCell>
                  <TableCell className="text-xs">
                    <TimeAgo date={g.lastSeen} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </>
  );
}
